-- Events the processor could not apply (it failed on them even alone), set aside with the reason so that every other
-- event is applied. Shown on the data sources page; an administrator replays them (back into the queue, e.g. after
-- changing the source's mapping or upgrading Steward) or discards them. What the processor needs of the event, as in
-- segment_held.
create table segment_quarantine (
    batch          bigint not null,
    source_id      uuid not null references ingest_source (id) on delete cascade,
    message_id     text not null,
    type           text not null,
    user_id        text,
    anonymous_id   text,
    group_id       text,
    name           text,
    occurred_at    timestamptz not null,
    received_at    timestamptz not null,
    -- The traits of an identify or group call, as JSON text.
    traits         text,
    reason         text not null,
    quarantined_at timestamptz not null,
    primary key (source_id, message_id)
);
create index segment_quarantine_latest on segment_quarantine (source_id, quarantined_at desc);
