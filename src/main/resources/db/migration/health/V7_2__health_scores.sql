-- Each account's health per day, with what explains it: the scorecard version, and per measure (in the order the
-- version lists them) the raw value and, for percentile measures, the rank the account had in its segment; NaN where
-- a measure had no data. The engine rebuilds the full explanation from these, so it is kept for every day at the
-- cost of a few numbers. A parent's score is the ARR-weighted roll-up of its own and its children's; own_score keeps
-- the parent's own. The account is not a foreign key (millions of rows); a deleted account's scores are removed when
-- the customer module announces the deletion.
create table health_score (
    account_id        uuid not null,
    day               date not null,
    scorecard         text not null,
    scorecard_version integer not null,
    score             real not null check (score between 0 and 100),
    color             text not null check (color in ('green', 'yellow', 'red', 'black')),
    coverage          real not null check (coverage between 0 and 1),
    own_score         real,
    raw               float8[] not null,
    ranks             float8[] not null,
    computed_at       timestamptz not null,
    primary key (account_id, day)
);
create index health_score_day on health_score (day, scorecard, scorecard_version);

-- A CSM's override of an account's color or score, with the reason and until when; the computed score stays beside
-- it. An override ends at its expiry on its own, or earlier when someone removes it.
create table health_override (
    id          uuid primary key,
    account_id  uuid not null,
    color       text not null check (color in ('green', 'yellow', 'red')),
    score       real check (score between 0 and 100),
    reason      text not null check (length(btrim(reason)) > 0),
    expires_on  date not null,
    author_id   uuid,
    author_name text not null,
    created_at  timestamptz not null,
    ended_at    timestamptz,
    ended_by    text
);
create index health_override_account on health_override (account_id, created_at desc);
-- At most one override in force per account.
create unique index health_override_one_open on health_override (account_id) where ended_at is null;
