-- A CSM's sentiment about an account: a score from 1 to 5 that always comes with its reason.

create table sentiment (
    id          uuid primary key,
    account_id  uuid not null references account (id) on delete cascade,
    source      text not null,
    external_id text,
    -- A user of Steward, or nobody when the sentiment was imported; not a foreign key for the same reason as
    -- note.author_id: users may be removed while what they recorded stays part of the account's history.
    author_id   uuid,
    recorded_at timestamptz not null,
    score       smallint not null check (score between 1 and 5),
    reason      text not null check (length(btrim(reason)) > 0),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (source, external_id)
);
create index sentiment_account_time on sentiment (account_id, recorded_at desc, id desc);
