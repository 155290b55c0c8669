-- What Steward last wrote back to each HubSpot company (health score, color, trend, CSM, link), as a fingerprint, so
-- that a write-back sends only the companies whose values changed.
create table ingest_hubspot_pushed (
    source_id   uuid not null references ingest_source (id) on delete cascade,
    company_id  text not null,
    fingerprint text not null,
    pushed_at   timestamptz not null,
    primary key (source_id, company_id)
);
