-- Salesforce sources: a kind of its own, added to the kinds the constraint holds as it stands (as HubSpot's was), so
-- that kinds other connectors add in migrations of the same day are kept whatever order they run in.
do $$
declare
    definition text;
begin
    select pg_get_constraintdef(oid) into definition from pg_constraint
    where conrelid = 'ingest_source'::regclass and conname = 'ingest_source_kind_check';
    if definition is null or position('''salesforce''' in definition) > 0 then
        return;
    end if;
    execute 'alter table ingest_source drop constraint ingest_source_kind_check';
    execute 'alter table ingest_source add constraint ingest_source_kind_check '
        || replace(definition, 'ARRAY[', 'ARRAY[''salesforce''::text, ');
end
$$;

-- The parents a CRM's companies name and what was last written back to them serve every CRM connector (HubSpot,
-- Salesforce): HubSpot's tables become the pulled sources' own.
alter table ingest_hubspot_parent rename to ingest_pull_parent;
alter table ingest_hubspot_pushed rename to ingest_pull_pushed;
alter index ingest_hubspot_parent_pkey rename to ingest_pull_parent_pkey;
alter index ingest_hubspot_pushed_pkey rename to ingest_pull_pushed_pkey;

-- A Salesforce org's authorization under way (OAuth 2 web-server flow): what the administrator gave, the client
-- secret sealed, until Salesforce sends them back with a code (or an hour has passed).
create table ingest_salesforce_authorization (
    state      text primary key,
    name       text not null,
    settings   jsonb not null,
    secret     text not null,
    started_at timestamptz not null
);

-- The org's daily API allowance as Salesforce last reported it (Sforce-Limit-Info: api-usage=used/max) in each run.
create table ingest_salesforce_allowance (
    run_id      uuid primary key references ingest_sync_run (id) on delete cascade,
    source_id   uuid not null references ingest_source (id) on delete cascade,
    used        bigint not null,
    allowance   bigint not null,
    reported_at timestamptz not null
);
create index ingest_salesforce_allowance_source on ingest_salesforce_allowance (source_id, reported_at desc);
