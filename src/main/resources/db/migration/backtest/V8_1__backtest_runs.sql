-- A backtest: which scorecard versions scored which as-of days, over which horizons and segment, who asked for it,
-- how far it has got (status, days done of days in total, the error if it failed), and its results (JSON, as the API
-- returns them). Runs are kept until deleted, so that two can be compared side by side.
create table backtest_run (
    id          uuid primary key,
    name        text not null,
    scorecards  jsonb not null,
    as_of_dates date[] not null,
    horizons    integer[] not null,
    segment     text,
    status      text not null check (status in ('queued', 'running', 'done', 'failed')),
    days_done   integer not null default 0,
    error       text,
    created_by  text not null,
    created_at  timestamptz not null,
    started_at  timestamptz,
    finished_at timestamptz,
    results     jsonb
);
create index backtest_run_created on backtest_run (created_at desc, id desc);
