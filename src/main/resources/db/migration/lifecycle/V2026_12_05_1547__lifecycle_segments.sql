-- Named account_segment* to keep them apart from the ingest module's segment_* tables, which hold what Segment (the
-- tracking API) delivered.

-- Segments by name; what they say lives in their versions, so that every change is kept with its author and time.
create table account_segment (
    id         uuid primary key,
    name       text not null unique,
    created_at timestamptz not null
);

-- Each saved text of a segment, exactly as it was sent. A draft may be invalid (its problems are kept to show them);
-- only a valid version is ever published, and publishing one supersedes the one before.
create table account_segment_version (
    id           uuid primary key,
    segment_id   uuid not null references account_segment (id) on delete cascade,
    version      integer not null check (version > 0),
    yaml         text not null,
    status       text not null check (status in ('draft', 'published', 'superseded')),
    valid        boolean not null,
    problems     jsonb not null default '[]'::jsonb,
    author_id    uuid,
    author_name  text not null,
    created_at   timestamptz not null,
    published_at timestamptz,
    unique (segment_id, version),
    check ((status = 'draft') = (published_at is null))
);
create unique index account_segment_version_one_published on account_segment_version (segment_id) where status = 'published';

-- Membership as facts: an account entered a segment at a time and left it at a later one (null while it is in), so
-- the members of any past day are known. The account is not a foreign key (as for every fact table); a deleted
-- account's rows are removed when the customer module announces the deletion.
create table account_segment_membership (
    segment_id uuid not null references account_segment (id) on delete cascade,
    account_id uuid not null,
    entered_at timestamptz not null,
    left_at    timestamptz,
    check (left_at is null or left_at >= entered_at)
);
-- At most one open membership per segment and account; it also answers "members now".
create unique index account_segment_membership_open on account_segment_membership (segment_id, account_id) where left_at is null;
create index account_segment_membership_history on account_segment_membership (segment_id, entered_at);
create index account_segment_membership_account on account_segment_membership (account_id);
