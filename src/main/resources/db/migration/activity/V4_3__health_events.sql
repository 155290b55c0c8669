-- What happened to an account's health, for its timeline: a change of computed color, or an override set or ended.
-- Written by the health module through the activity API; the health module keeps the scores themselves.
create table health_event (
    id          uuid primary key,
    account_id  uuid not null references account (id) on delete cascade,
    source      text not null,
    external_id text,
    occurred_at timestamptz not null,
    change      text not null check (change in ('color_changed', 'override_set', 'override_ended')),
    from_color  text check (from_color in ('green', 'yellow', 'red', 'black')),
    to_color    text check (to_color in ('green', 'yellow', 'red', 'black')),
    score       real,
    reason      text,
    author_name text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (source, external_id)
);
create index health_event_account_time on health_event (account_id, occurred_at desc, id desc);
