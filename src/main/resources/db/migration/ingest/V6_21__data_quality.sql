-- The data-quality report's snapshot: per account, the time of its latest fact of each kind, as gathered from the
-- modules that own those facts. Rebuilt as a whole by each refresh, so that the report pages and filters over every
-- account with one indexed table instead of asking five modules per request.
create table ingest_account_freshness (
    account_id    uuid primary key,
    name          text not null,
    crm_at        timestamptz,
    usage_at      timestamptz,
    support_at    timestamptz,
    billing_at    timestamptz,
    engagement_at timestamptz
);
create index ingest_account_freshness_name on ingest_account_freshness (lower(name), account_id);
-- Name search is "contains", as on the accounts list: a trigram index finds the few matching rows.
create extension if not exists pg_trgm;
create index ingest_account_freshness_name_trigrams on ingest_account_freshness using gin (name gin_trgm_ops);

-- When the snapshot was last rebuilt (one row).
create table ingest_freshness_refresh (
    only_row     boolean primary key default true check (only_row),
    refreshed_at timestamptz not null,
    accounts     integer not null
);
