alter table ingest_source drop constraint ingest_source_kind_check;
alter table ingest_source add constraint ingest_source_kind_check
    check (kind in ('segment', 'csv', 'stripe', 'api', 'warehouse'));

-- How Steward reaches a pulled source (a warehouse by JDBC today): its settings (URL, user, options) as shown, the
-- secret (password) encrypted with AES-GCM under the key of steward.secrets.key, how often it is pulled, and whether
-- its schedule is paused. next_sync_at is when the scheduler pulls it next.
create table ingest_pull_connection (
    source_id     uuid primary key references ingest_source (id) on delete cascade,
    settings      jsonb not null,
    secret        text,
    every_minutes integer not null check (every_minutes between 5 and 10080),
    paused        boolean not null default false,
    next_sync_at  timestamptz,
    checked_at    timestamptz not null
);

-- A warehouse query and what its rows become: daily usage or records of one kind of the data model, mapped as a CSV
-- file's columns are. With a watermark column, each pull asks only for rows past the largest value seen so far.
create table ingest_warehouse_feed (
    id               uuid primary key,
    source_id        uuid not null references ingest_source (id) on delete cascade,
    name             text not null check (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    query            text not null check (length(query) between 1 and 20000),
    entity           text not null,
    mapping          jsonb not null,
    -- The source whose external ids the rows' account keys are (the CRM's, typically); null: this source's own.
    accounts_source  text,
    watermark_column text,
    watermark        text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    unique (source_id, name)
);

-- Every pull of a source: when it ran, why (schedule, a person, the API), what it read and did, and the first
-- rejected rows with the reason; failure says why a pull stopped. A running pull has no finished_at.
create table ingest_sync_run (
    id             uuid primary key,
    source_id      uuid not null references ingest_source (id) on delete cascade,
    feed           text,
    trigger        text not null check (trigger in ('schedule', 'manual')),
    started_at     timestamptz not null,
    finished_at    timestamptz,
    state          text not null check (state in ('running', 'succeeded', 'partial', 'failed')),
    rows_read      bigint not null default 0,
    created        bigint not null default 0,
    updated        bigint not null default 0,
    unchanged      bigint not null default 0,
    rejected       bigint not null default 0,
    watermark_from text,
    watermark_to   text,
    errors         jsonb not null default '[]'::jsonb,
    failure        text
);
create index ingest_sync_run_source on ingest_sync_run (source_id, started_at desc);
