alter table ingest_source drop constraint ingest_source_kind_check;
alter table ingest_source add constraint ingest_source_kind_check
    check (kind in ('segment', 'csv', 'stripe', 'api', 'warehouse', 'zendesk', 'intercom', 'pendo'));

-- The day each Pendo feed of a source reads from next (in the subscription's time zone), kept after each slice of days
-- it wrote, so that a pull cut off resumes there; the last day or two are read again, as Pendo processes events late.
create table ingest_pendo_cursor (
    source_id  uuid not null references ingest_source (id) on delete cascade,
    feed       text not null check (feed in ('activity', 'features', 'pages', 'track_events')),
    next_day   date not null,
    updated_at timestamptz not null,
    primary key (source_id, feed)
);

-- Daily values of Pendo accounts that name no Steward account yet (no account has the Pendo account id as its external
-- id in the accounts source): held, and written to usage by the first pull after such an account appears.
create table ingest_pendo_held (
    source_id     uuid not null references ingest_source (id) on delete cascade,
    pendo_account text not null,
    metric        text not null,
    day           date not null,
    value         numeric not null,
    held_at       timestamptz not null,
    primary key (source_id, pendo_account, metric, day)
);
