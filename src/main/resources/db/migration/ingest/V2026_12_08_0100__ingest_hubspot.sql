-- HubSpot sources: a kind of its own. The kinds are read from the constraint as it stands and 'hubspot' is added to
-- them, so that kinds other connectors add in migrations of the same day are kept whatever order they run in.
do $$
declare
    definition text;
begin
    select pg_get_constraintdef(oid) into definition from pg_constraint
    where conrelid = 'ingest_source'::regclass and conname = 'ingest_source_kind_check';
    if definition is null or position('''hubspot''' in definition) > 0 then
        return;
    end if;
    execute 'alter table ingest_source drop constraint ingest_source_kind_check';
    execute 'alter table ingest_source add constraint ingest_source_kind_check '
        || replace(definition, 'ARRAY[', 'ARRAY[''hubspot''::text, ');
end
$$;

-- The parent each HubSpot company names (hs_parent_company_id) that is not yet its account's parent: the parent
-- company may come in a later page or pull. Kept until both companies have their accounts, then set and removed.
create table ingest_hubspot_parent (
    source_id  uuid not null references ingest_source (id) on delete cascade,
    company_id text not null,
    parent_id  text not null,
    primary key (source_id, company_id)
);
