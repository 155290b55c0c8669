-- The Stripe API key of a Stripe source, when one was given to read what the account already holds (the backfill):
-- kept as given, since calling Stripe needs the key itself; pages and the API show only its last characters. With
-- it, the Stripe account the key belongs to, as Stripe named it when the key was checked.
create table ingest_stripe_api_key (
    source_id           uuid primary key references ingest_source (id) on delete cascade,
    api_key             text not null check (api_key ~ '^(sk|rk)_(test|live)_[A-Za-z0-9]{8,250}$'),
    stripe_account_id   text,
    stripe_account_name text,
    checked_at          timestamptz not null
);

-- The backfill of a Stripe source: its customers, subscriptions and invoices read through the API and applied as a
-- webhook event would apply them. One row per source, the latest run: how far it got, and why it stopped if it failed.
create table ingest_stripe_backfill (
    source_id     uuid primary key references ingest_source (id) on delete cascade,
    state         text not null check (state in ('running', 'done', 'failed')),
    started_at    timestamptz not null,
    finished_at   timestamptz,
    customers     integer not null default 0,
    subscriptions integer not null default 0,
    invoices      integer not null default 0,
    rejected      integer not null default 0,
    failure       text
);
