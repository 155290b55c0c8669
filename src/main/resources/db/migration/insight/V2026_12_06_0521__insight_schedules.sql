-- Reports emailed on a schedule: what (the executive dashboard, or each recipient's cockpit), to whom, when (a cron
-- expression in an IANA time zone), and each run with the email it queued for each recipient. How an email went is
-- read from the notify module's outbox by its delivery id, never copied here. Times are the application's clock.
create table insight_report_schedule (
    id            uuid        primary key,
    owner_id      uuid        not null,
    name          text        not null,
    report        text        not null check (report in ('executive', 'cockpit')),
    tier          text,
    cron          text        not null,
    time_zone     text        not null,
    recipient_ids uuid[]      not null,
    enabled       boolean     not null,
    -- The due time the next run stands for; null while paused.
    next_run_at   timestamptz,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

-- What the job looks for every minute.
create index insight_report_schedule_due on insight_report_schedule (next_run_at) where enabled;

-- One run of a schedule: at its due time (once per due time, whatever instance runs it), or asked for ("send now").
create table insight_report_run (
    id           uuid        primary key,
    schedule_id  uuid        not null references insight_report_schedule (id) on delete cascade,
    due_at       timestamptz,
    requested_by uuid,
    ran_at       timestamptz not null,
    -- Why nothing could be sent (the report could not be made), else null.
    error        text,
    constraint insight_report_run_once unique (schedule_id, due_at)
);

create index insight_report_run_history on insight_report_run (schedule_id, ran_at desc, id desc);

-- The email a run queued for each recipient (delivery_id, in the outbox), or why none was (error).
create table insight_report_delivery (
    run_id       uuid not null references insight_report_run (id) on delete cascade,
    recipient_id uuid not null,
    delivery_id  uuid,
    error        text,
    primary key (run_id, recipient_id),
    check (delivery_id is not null or error is not null)
);

create unique index insight_report_delivery_outbox on insight_report_delivery (delivery_id);
