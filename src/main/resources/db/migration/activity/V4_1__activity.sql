-- Timestamped facts about an account other than product usage. Every table carries the time(s) the fact became
-- true and the (source, external_id) it has in the system it came from, so that imports are idempotent upserts.

create table ticket (
    id                uuid primary key,
    account_id        uuid not null references account (id) on delete cascade,
    source            text not null,
    external_id       text,
    opened_at         timestamptz not null,
    first_response_at timestamptz check (first_response_at >= opened_at),
    resolved_at       timestamptz check (resolved_at >= opened_at),
    subject           text not null,
    priority          text not null check (priority in ('low', 'normal', 'high', 'urgent')),
    status            text not null check (status in ('open', 'pending', 'solved', 'closed')),
    escalated         boolean not null default false,
    csat              smallint check (csat between 1 and 5),
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (source, external_id)
);
create index ticket_account_time on ticket (account_id, opened_at desc, id desc);

create table invoice (
    id          uuid primary key,
    account_id  uuid not null references account (id) on delete cascade,
    source      text not null,
    external_id text,
    issued_on   date not null,
    due_on      date not null check (due_on >= issued_on),
    paid_on     date,
    amount      numeric(14, 2) not null check (amount >= 0),
    currency    char(3) not null default 'USD',
    status      text not null check (status in ('draft', 'open', 'paid', 'void', 'uncollectible')),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (source, external_id)
);
create index invoice_account_time on invoice (account_id, issued_on desc, id desc);

create table meeting (
    id                         uuid primary key,
    account_id                 uuid not null references account (id) on delete cascade,
    source                     text not null,
    external_id                text,
    occurred_at                timestamptz not null,
    type                       text not null
        check (type in ('qbr', 'kickoff', 'check_in', 'training', 'executive_briefing', 'other')),
    title                      text not null,
    attendees                  jsonb not null default '[]'::jsonb,
    executive_sponsor_attended boolean not null default false,
    notes                      text,
    created_at                 timestamptz not null default now(),
    updated_at                 timestamptz not null default now(),
    unique (source, external_id)
);
create index meeting_account_time on meeting (account_id, occurred_at desc, id desc);

create table survey_response (
    id               uuid primary key,
    account_id       uuid not null references account (id) on delete cascade,
    source           text not null,
    external_id      text,
    responded_at     timestamptz not null,
    kind             text not null check (kind in ('nps', 'csat')),
    score            smallint not null
        check ((kind = 'nps' and score between 0 and 10) or (kind = 'csat' and score between 1 and 5)),
    comment          text,
    respondent_email text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    unique (source, external_id)
);
create index survey_response_account_time on survey_response (account_id, responded_at desc, id desc);

create table note (
    id          uuid primary key,
    account_id  uuid not null references account (id) on delete cascade,
    source      text not null,
    external_id text,
    -- A user of Steward, or nobody when the note was imported; not a foreign key because users may be removed
    -- while their notes stay part of the account's history.
    author_id   uuid,
    written_at  timestamptz not null,
    body        text not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (source, external_id)
);
create index note_account_time on note (account_id, written_at desc, id desc);

create table churn_event (
    id              uuid primary key,
    account_id      uuid not null references account (id) on delete cascade,
    source          text not null,
    external_id     text,
    churned_on      date not null,
    reason_category text not null
        check (reason_category in ('product_fit', 'support', 'champion_left', 'budget', 'competitor', 'other')),
    reason          text,
    arr_lost        numeric(14, 2) check (arr_lost >= 0),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    unique (source, external_id)
);
create index churn_event_account_time on churn_event (account_id, churned_on desc, id desc);
