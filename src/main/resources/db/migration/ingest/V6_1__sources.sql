-- Where data comes from: one row per connected source (a Segment workspace, a CSV export, a Stripe account).
-- Records written into other modules carry the source's name in their own `source` column.
create table ingest_source (
    id                      uuid primary key,
    name                    text not null unique check (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    kind                    text not null check (kind in ('segment', 'csv', 'stripe', 'api')),
    -- Kind-specific settings (event-to-metric mapping, saved column mappings, ...), validated by the kind's code.
    settings                jsonb not null default '{}'::jsonb,
    -- How often data is expected; a source silent for longer is flagged by the data-quality report.
    expected_interval_hours integer check (expected_interval_hours > 0),
    created_at              timestamptz not null default now()
);

-- What arrived per source and day: accepted and rejected record counts and the time of the latest arrival.
create table ingest_receipt_daily (
    source_id        uuid not null references ingest_source (id) on delete cascade,
    day              date not null,
    accepted         bigint not null default 0 check (accepted >= 0),
    rejected         bigint not null default 0 check (rejected >= 0),
    last_received_at timestamptz not null,
    primary key (source_id, day)
);

-- The latest rejected records per source with the reason and an excerpt of what was sent, for the data sources page.
create table ingest_rejection (
    id          bigint generated always as identity primary key,
    source_id   uuid not null references ingest_source (id) on delete cascade,
    received_at timestamptz not null,
    -- The record as the sender knows it: an index in a batch, a row number in a file, a message or event id.
    record      text not null,
    field       text,
    reason      text not null,
    excerpt     text
);
create index ingest_rejection_latest on ingest_rejection (source_id, received_at desc, id desc);
