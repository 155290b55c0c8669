-- A CRM source's field mapping: per object (company, contact, deal), which of the vendor's properties fills which
-- Steward field or custom field of the account, and which system wins when both have a value. A source without rows
-- reads its records as the connector always has.
create table ingest_crm_field_mapping (
    source_id uuid not null references ingest_source (id) on delete cascade,
    object    text not null,
    target    text not null,
    property  text not null,
    policy    text not null check (policy in ('crm', 'steward')),
    position  int  not null,
    primary key (source_id, object, target)
);
