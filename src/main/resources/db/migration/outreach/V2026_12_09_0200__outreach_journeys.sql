-- Email journeys: versioned YAML documents kept like playbooks (YAML exactly as sent, every version kept); the
-- published version is in force until the journey is switched off.
create table outreach_journey (
    id          uuid        primary key,
    name        text        not null unique,
    created_at  timestamptz not null,
    stopped_at  timestamptz
);

create table outreach_journey_version (
    id           uuid        primary key,
    journey_id   uuid        not null references outreach_journey (id) on delete cascade,
    version      int         not null,
    yaml         text        not null,
    status       text        not null check (status in ('draft', 'published', 'superseded', 'deleted')),
    valid        boolean     not null,
    problems     jsonb       not null,
    author_id    uuid,
    author_name  text,
    created_at   timestamptz not null,
    published_at timestamptz,
    unique (journey_id, version)
);
create unique index outreach_journey_version_published on outreach_journey_version (journey_id)
    where status = 'published';

-- One contact's way through one journey: at most one per journey and contact (the primary key decides, whichever
-- instance enrols), at a step, due again at next_due_at while active. Times are the application's clock.
create table outreach_enrolment (
    id          uuid        primary key,
    journey_id  uuid        not null references outreach_journey (id) on delete cascade,
    version     int         not null,
    contact_id  uuid        not null,
    account_id  uuid        not null,
    email       text        not null,
    step        int         not null,
    state       text        not null check (state in ('active', 'finished', 'exited', 'held_out', 'stopped')),
    reason      text,
    entered_at  timestamptz not null,
    next_due_at timestamptz,
    updated_at  timestamptz not null,
    unique (journey_id, contact_id)
);
create index outreach_enrolment_due on outreach_enrolment (next_due_at) where state = 'active';
create index outreach_enrolment_contact on outreach_enrolment (contact_id);
create index outreach_enrolment_account on outreach_enrolment (account_id);
create index outreach_enrolment_email on outreach_enrolment (lower(email));

-- What a step sent (an email, or a survey): the outbox delivery, and what became of it. The token is the capability
-- of the email's unsubscribe link.
create table outreach_send (
    id              uuid        primary key,
    enrolment_id    uuid        not null references outreach_enrolment (id) on delete cascade,
    journey_id      uuid        not null,
    step            int         not null,
    kind            text        not null check (kind in ('email', 'survey')),
    account_id      uuid        not null,
    contact_id      uuid        not null,
    email           text        not null,
    subject         text        not null,
    delivery_id     uuid,
    survey_id       uuid,
    token           text        not null unique,
    sent_at         timestamptz not null,
    bounced_at      timestamptz,
    replied_at      timestamptz,
    unsubscribed_at timestamptz,
    unique (enrolment_id, step)
);
create index outreach_send_email on outreach_send (lower(email), sent_at);
create index outreach_send_delivery on outreach_send (delivery_id);
create index outreach_send_account on outreach_send (account_id);

-- What happened to an account's contacts in journeys, for its timeline: entered, sent, replied, unsubscribed,
-- bounced, exited, finished.
create table outreach_event (
    id          uuid        primary key,
    account_id  uuid        not null,
    contact_id  uuid,
    journey_id  uuid,
    at          timestamptz not null,
    kind        text        not null,
    title       text        not null,
    summary     text        not null default ''
);
create index outreach_event_account on outreach_event (account_id, at desc, id desc);
