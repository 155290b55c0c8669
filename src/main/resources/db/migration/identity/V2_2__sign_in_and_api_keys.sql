-- A user created with a one-time password (the first administrator) must choose their own on first sign-in.
alter table app_user add column must_change_password boolean not null default false;

-- API keys act as the user who created them, limited by their scope. Only a SHA-256 hash of the secret is kept;
-- the prefix (the secret's first characters) lets people tell their keys apart.
create table api_key (
    id           uuid primary key,
    user_id      uuid not null references app_user (id) on delete cascade,
    name         text not null,
    scope        text not null check (scope in ('read', 'read_write')),
    prefix       text not null,
    secret_hash  text not null,
    created_at   timestamptz not null,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create unique index api_key_secret_hash on api_key (secret_hash);
create index api_key_user on api_key (user_id, created_at);
