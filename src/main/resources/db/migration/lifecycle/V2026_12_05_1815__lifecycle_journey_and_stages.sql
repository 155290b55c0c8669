-- The customer journey: lifecycle stages in order with their entry rules, kept like segments as versions of a YAML
-- document (one journey is in force: the published version of the document named in the journey settings).
create table lifecycle_journey (
    id         uuid primary key,
    name       text not null unique,
    created_at timestamptz not null
);

create table lifecycle_journey_version (
    id           uuid primary key,
    journey_id   uuid not null references lifecycle_journey (id) on delete cascade,
    version      integer not null check (version > 0),
    yaml         text not null,
    status       text not null check (status in ('draft', 'published', 'superseded')),
    valid        boolean not null,
    problems     jsonb not null default '[]'::jsonb,
    author_id    uuid,
    author_name  text not null,
    created_at   timestamptz not null,
    published_at timestamptz,
    unique (journey_id, version),
    check ((status = 'draft') = (published_at is null))
);
create unique index lifecycle_journey_version_one_published on lifecycle_journey_version (journey_id) where status = 'published';

-- Each account's stages as facts: it entered a stage at a time and left it at a later one (null while it is in), with
-- the cause: the stage's entry rule, or a person who moved it by hand with a reason, in which case rules leave it
-- there until hold_until. The account is not a foreign key (as for every fact table); a deleted account's rows are
-- removed when the customer module announces the deletion.
create table account_stage (
    id         bigint generated always as identity primary key,
    account_id uuid not null,
    stage      text not null,
    stage_name text not null,
    entered_at timestamptz not null,
    left_at    timestamptz,
    cause      text not null check (cause in ('rule', 'manual')),
    moved_by   text,
    reason     text,
    hold_until date,
    check (left_at is null or left_at >= entered_at),
    check ((cause = 'manual') = (moved_by is not null and reason is not null and hold_until is not null))
);
create unique index account_stage_open on account_stage (account_id) where left_at is null;
create index account_stage_history on account_stage (account_id, entered_at);
create index account_stage_current on account_stage (stage) where left_at is null;
