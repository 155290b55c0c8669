alter table ingest_source drop constraint ingest_source_kind_check;
alter table ingest_source add constraint ingest_source_kind_check
    check (kind in ('segment', 'csv', 'stripe', 'api', 'warehouse', 'zendesk'));

-- What a pull of a vendor's API did besides creating, updating and leaving records alone: records it removed
-- because the vendor deleted (or merged) them, records it read that are not Steward's business (a ticket of no
-- organization, a rating offered but not given), and the API calls it made (retries and waits included).
alter table ingest_sync_run add column deleted bigint not null default 0;
alter table ingest_sync_run add column skipped bigint not null default 0;
alter table ingest_sync_run add column api_calls bigint not null default 0;

-- Where each Zendesk export of a source goes on from: the cursor (or start time) after the last page written, kept
-- in the same transaction as that page's records, so that a pull cut off resumes after the last page it wrote.
create table ingest_zendesk_cursor (
    source_id  uuid not null references ingest_source (id) on delete cascade,
    object     text not null check (object in ('organizations', 'users', 'tickets', 'satisfaction_ratings')),
    cursor     text not null,
    updated_at timestamptz not null,
    primary key (source_id, object)
);

-- How each Zendesk organization became an account: created from it (Zendesk names the account), or linked to an
-- account Steward already had, by the organization's external_id or one of its domains (Zendesk names nothing).
create table ingest_zendesk_organization (
    source_id       uuid not null references ingest_source (id) on delete cascade,
    organization_id bigint not null,
    matched_by      text not null check (matched_by in ('created', 'external_id', 'domain')),
    primary key (source_id, organization_id)
);

-- The organization of each ticket pulled, so that a satisfaction rating (which names only its ticket) finds its
-- account.
create table ingest_zendesk_ticket (
    source_id       uuid not null references ingest_source (id) on delete cascade,
    ticket_id       bigint not null,
    organization_id bigint,
    primary key (source_id, ticket_id)
);
