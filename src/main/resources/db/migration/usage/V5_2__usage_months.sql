-- Each account's daily values per metric and calendar month in one row, derived from usage_daily (which stays the
-- record) and rebuilt for the months a write touches. Scoring reads a few rows per account and metric instead of one
-- per day: a 90-day window is 4 rows per metric rather than 90, which is what lets 100,000 accounts be scored in
-- seconds. days[i] is the day of the month of vals[i]; days without a stored value are absent.
create table usage_month (
    account_id uuid not null,
    metric     text not null,
    month      date not null check (extract(day from month) = 1),
    days       smallint[] not null,
    vals       float8[] not null check (cardinality(days) = cardinality(vals)),
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
       array_agg(extract(day from day)::smallint order by day), array_agg(value::float8 order by day)
  from usage_daily
 group by 1, 2, 3;

insert into usage_account (account_id, first_day, last_day)
select account_id, min(day), max(day) from usage_daily group by account_id;
