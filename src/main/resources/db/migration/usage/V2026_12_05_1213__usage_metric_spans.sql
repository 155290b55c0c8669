-- The first and last day each metric has a value for any account, kept up to date as usage is written. A window of
-- days outside a metric's span has no data (Steward does not know whether anyone used it), which scoring reads as N/A
-- rather than as zero use: an export whose usage ends two years ago says nothing about last month.
create table usage_metric_span (
    metric    text primary key,
    first_day date not null,
    last_day  date not null check (last_day >= first_day)
);

insert into usage_metric_span (metric, first_day, last_day)
select metric, min(day), max(day) from usage_daily group by metric;
