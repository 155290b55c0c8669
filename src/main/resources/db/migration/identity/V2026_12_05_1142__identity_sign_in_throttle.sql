-- Failed sign-ins counted per client (IP address) and per client and email, shared by every instance. An email is
-- no longer locked for everyone: guessing from one client must not lock its owner out from another.
create table sign_in_throttle (
    key               text        primary key,
    failures          integer     not null,
    window_started_at timestamptz not null,
    locked_until      timestamptz,
    expires_at        timestamptz not null
);

create index sign_in_throttle_expires on sign_in_throttle (expires_at);

alter table app_user drop column failed_sign_ins;
alter table app_user drop column locked_until;
