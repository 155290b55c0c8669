-- Users who sign in to Steward. Roles: ADMIN, MANAGER, CSM, VIEWER.
create table app_user (
    id              uuid primary key,
    email           text not null,
    display_name    text not null,
    role            text not null check (role in ('ADMIN', 'MANAGER', 'CSM', 'VIEWER')),
    password_hash   text,
    enabled         boolean not null default true,
    failed_sign_ins integer not null default 0,
    locked_until    timestamptz,
    created_at      timestamptz not null default now()
);
create unique index app_user_email on app_user (lower(email));
