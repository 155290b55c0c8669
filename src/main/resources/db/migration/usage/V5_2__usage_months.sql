-- Each account's daily values per metric and calendar month in one row, derived from usage_daily (which stays the
-- record) and rebuilt for the months a write touches. Scoring reads a few rows per account and metric instead of one
-- per day: a 90-day window is 4 rows per metric rather than 90, which is what lets 100,000 accounts be scored in
-- seconds. Days without a stored value are absent; the others are packed as binary, which reads several times faster
-- than arrays of numbers in text: `days` holds each day of the month as a 2-byte integer and `vals` its value as an
-- 8-byte float, both big-endian (int2send, float8send) and in the same order.
create table usage_month (
    account_id uuid not null,
    metric     text not null,
    month      date not null check (extract(day from month) = 1),
    days       bytea not null,
    vals       bytea not null check (length(vals) = 4 * length(days)),
    primary key (account_id, metric, month)
);

-- The first and last day each account has any usage stored: before the first, usage measures have no data (N/A);
-- after it, a day without usage counts as zero use.
create table usage_account (
    account_id uuid primary key,
    first_day  date not null,
    last_day   date not null check (last_day >= first_day)
);

insert into usage_month (account_id, metric, month, days, vals)
select account_id, metric, date_trunc('month', day)::date,
       string_agg(int2send(extract(day from day)::smallint), ''::bytea order by day),
       string_agg(float8send(value::float8), ''::bytea order by day)
  from usage_daily
 group by 1, 2, 3;

insert into usage_account (account_id, first_day, last_day)
select account_id, min(day), max(day) from usage_daily group by account_id;
