-- The people at a customer account. left_at matters: a champion leaving is an early churn signal.
create table contact (
    id          uuid primary key,
    account_id  uuid not null references account (id) on delete cascade,
    name        text not null,
    email       text,
    title       text,
    phone       text,
    role        text not null default 'other',
    joined_at   date not null,
    left_at     date check (left_at is null or left_at >= joined_at),
    -- The contact's id in the system it came from (CRM), unique within that system.
    source      text,
    external_id text,
    version     bigint not null default 0,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    check ((source is null) = (external_id is null))
);
create index contact_account on contact (account_id, id);
create unique index contact_external_id on contact (source, external_id);
create index contact_name on contact (lower(name), id);
