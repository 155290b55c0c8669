-- Scorecards by name; what they say lives in their versions, so that every change is kept with its author and time.
create table scorecard (
    id         uuid primary key,
    name       text not null unique,
    created_at timestamptz not null default now()
);

-- Each saved text of a scorecard, exactly as it was sent. A draft may be invalid (its problems are kept to show them);
-- only a valid version is ever published, and publishing one supersedes the one before.
create table scorecard_version (
    id           uuid primary key,
    scorecard_id uuid not null references scorecard (id) on delete cascade,
    version      integer not null check (version > 0),
    yaml         text not null,
    status       text not null check (status in ('draft', 'published', 'superseded')),
    valid        boolean not null,
    problems     jsonb not null default '[]'::jsonb,
    author_id    uuid,
    author_name  text not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz,
    unique (scorecard_id, version),
    check ((status = 'draft') = (published_at is null))
);

-- An account's scorecard must be unambiguous: at most one published version per scorecard.
create unique index scorecard_version_one_published on scorecard_version (scorecard_id) where status = 'published';
