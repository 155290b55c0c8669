-- Contracts and subscriptions. A contract covers the days start_date <= d < end_date (the end date is the first
-- day no longer covered). A renewal points at the contract it renews; the renewal outcome (renewed, expanded,
-- contracted, churned, pending) is derived from that chain, and account.current_arr / renewal_date from the
-- contracts active today.
create table contract (
    id                   uuid primary key,
    account_id           uuid not null references account (id) on delete cascade,
    start_date           date not null,
    end_date             date not null check (end_date >= start_date),
    arr                  numeric(14, 2) not null check (arr >= 0),
    seats                integer check (seats >= 0),
    plan                 text,
    status               text not null default 'active',
    auto_renew           boolean not null default false,
    previous_contract_id uuid references contract (id) on delete set null check (previous_contract_id <> id),
    source               text,
    external_id          text,
    version              bigint not null default 0,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    check ((source is null) = (external_id is null))
);
create index contract_account on contract (account_id, start_date, id);
create unique index contract_external_id on contract (source, external_id);
create index contract_end on contract (end_date, id);
create index contract_previous on contract (previous_contract_id) where previous_contract_id is not null;

-- Sales opportunities: new business, renewals and expansions. created_at is when the opportunity was opened in
-- its source system (when Steward first stored it if the source did not say).
create table opportunity (
    id          uuid primary key,
    account_id  uuid not null references account (id) on delete cascade,
    name        text not null,
    type        text not null,
    amount      numeric(14, 2) check (amount >= 0),
    stage       text not null,
    close_date  date,
    source      text,
    external_id text,
    version     bigint not null default 0,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    check ((source is null) = (external_id is null))
);
create index opportunity_account on opportunity (account_id, id);
create unique index opportunity_external_id on opportunity (source, external_id);
create index opportunity_close on opportunity (close_date, id);
