-- Account attributes as timestamped facts: a number (yes/no as 1/0) such as tenure in months or monthly charges, true
-- as of a day. A snapshot of customers (one row per customer with its attributes, as churn datasets come) is a set of
-- such facts on one day; scorecards read the latest value on or before the day they score, never a later one.
create table account_attribute (
    account_id uuid not null references account (id) on delete cascade,
    name       text not null check (name ~ '^[a-z][a-z0-9_]*$' and length(name) <= 100),
    as_of      date not null,
    value      double precision not null check (value = value and value not in ('Infinity', '-Infinity')),
    source     text not null,
    updated_at timestamptz not null,
    primary key (account_id, name, as_of)
);
create index account_attribute_name on account_attribute (name);
