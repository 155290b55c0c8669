alter table ingest_source drop constraint ingest_source_kind_check;
alter table ingest_source add constraint ingest_source_kind_check
    check (kind in ('segment', 'csv', 'stripe', 'api', 'warehouse', 'zendesk', 'intercom', 'pendo', 'amplitude', 'mixpanel', 'freshdesk'));

-- Where each feed of a pulled source goes on from (a time, a cursor: each feed's own), kept when a pull of that feed
-- reached the end, so that a pull cut off starts that feed again from the one before. Any pull connector's.
create table ingest_pull_cursor (
    source_id  uuid not null references ingest_source (id) on delete cascade,
    feed       text not null,
    cursor     text not null,
    updated_at timestamptz not null,
    primary key (source_id, feed)
);

-- How each company of a vendor became an account: created from it (the vendor names the account), or linked to an
-- account Steward already had, by its external id or its domain (the vendor names nothing). Any pull connector's.
create table ingest_pull_company (
    source_id  uuid not null references ingest_source (id) on delete cascade,
    company_id text not null,
    matched_by text not null check (matched_by in ('created', 'external_id', 'domain')),
    primary key (source_id, company_id)
);

-- The company of each Freshdesk ticket pulled, so that a satisfaction rating (which names only its ticket) finds its
-- account.
create table ingest_freshdesk_ticket (
    source_id  uuid not null references ingest_source (id) on delete cascade,
    ticket_id  bigint not null,
    company_id bigint,
    primary key (source_id, ticket_id)
);
