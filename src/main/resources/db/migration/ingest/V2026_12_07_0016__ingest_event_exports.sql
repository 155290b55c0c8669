alter table ingest_source drop constraint ingest_source_kind_check;
alter table ingest_source add constraint ingest_source_kind_check
    check (kind in ('segment', 'csv', 'stripe', 'api', 'warehouse', 'zendesk', 'intercom', 'pendo', 'amplitude', 'mixpanel'));

-- The last day (UTC) of an Amplitude or Mixpanel source's export pulled completely: each pull goes on from the day
-- after, one day at a time, up to the last complete day. None before the first pull, which back-fills.
create table ingest_event_export_day (
    source_id      uuid primary key references ingest_source (id) on delete cascade,
    pulled_through date not null,
    updated_at     timestamptz not null
);
