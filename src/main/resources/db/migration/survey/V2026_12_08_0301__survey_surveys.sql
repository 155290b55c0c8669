-- NPS surveys emailed to customers' contacts. A survey names its audience (a segment, or every account when null)
-- and the contact roles it asks; sending it invites each eligible contact once (the primary key of
-- survey_invitation, whatever instance sends), and the answer (last one wins) is kept on the invitation and recorded
-- as a survey response fact of the account. Times are the application's clock, never the database's.
create table survey (
    id         uuid        primary key,
    name       text        not null,
    subject    text        not null,
    question   text        not null,
    segment    text,
    roles      text[]      not null,
    created_by uuid,
    created_at timestamptz not null,
    sent_at    timestamptz
);

create table survey_invitation (
    survey_id   uuid        not null references survey (id) on delete cascade,
    contact_id  uuid        not null,
    account_id  uuid        not null,
    email       text        not null,
    delivery_id uuid,
    invited_at  timestamptz not null,
    score       smallint    check (score between 0 and 10),
    comment     text,
    answered_at timestamptz,
    answers     integer     not null default 0,
    primary key (survey_id, contact_id)
);

create index survey_invitation_account on survey_invitation (account_id);

-- Addresses that asked for no more survey mail (lower case), by one-click unsubscribe or its page.
create table survey_unsubscribe (
    email           text        primary key,
    unsubscribed_at timestamptz not null,
    survey_id       uuid
);

-- The key answer links are signed with when steward.survey.token-key is not set: made once, shared by instances.
create table survey_signing_key (
    id         integer     primary key check (id = 1),
    key        bytea       not null,
    created_at timestamptz not null
);
