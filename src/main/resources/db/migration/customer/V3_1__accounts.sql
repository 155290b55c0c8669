-- Customer accounts: the unit everything else in Steward hangs off.
create table account (
    id              uuid primary key,
    name            text not null,
    parent_id       uuid references account (id) on delete set null,
    tier            text,
    industry        text,
    region          text,
    employees       integer check (employees >= 0),
    owner_id        uuid,
    lifecycle_stage text,
    custom_fields   jsonb not null default '{}'::jsonb,
    -- Derived from contracts (sum of ARR of contracts active today, next end date) so that lists can filter
    -- and sort on them; recomputed whenever an account's contracts change and daily.
    current_arr     numeric(14, 2) not null default 0,
    renewal_date    date,
    version         bigint not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index account_parent on account (parent_id) where parent_id is not null;
create index account_owner on account (owner_id, id);
create index account_name on account (lower(name), id);
create index account_arr on account (current_arr, id);
create index account_tier_arr on account (tier, current_arr, id);
create index account_renewal on account (renewal_date, id);
create index account_updated on account (updated_at, id);

-- The ids an account has in other systems (CRM, billing, product analytics), unique per system.
create table account_external_id (
    source      text not null,
    external_id text not null,
    account_id  uuid not null references account (id) on delete cascade,
    primary key (source, external_id)
);
create index account_external_id_account on account_external_id (account_id);
