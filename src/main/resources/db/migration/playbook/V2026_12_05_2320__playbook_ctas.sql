-- Playbooks are versioned documents (YAML exactly as sent, every version kept), like segments and scorecards: the
-- published version of a playbook is the one in force; retiring a playbook switches it off without losing its history.
create table playbook (
    id         uuid primary key,
    name       text not null unique,
    created_at timestamptz not null,
    retired_at timestamptz
);

create table playbook_version (
    id          uuid primary key,
    playbook_id uuid not null references playbook (id) on delete cascade,
    version     int not null,
    yaml        text not null,
    status      text not null check (status in ('draft', 'published', 'superseded')),
    valid       boolean not null,
    problems    jsonb not null,
    author_id   uuid,
    author_name text,
    created_at  timestamptz not null,
    published_at timestamptz,
    unique (playbook_id, version)
);
create unique index playbook_version_published on playbook_version (playbook_id) where status = 'published';

-- A call to action: work for one account, with an owner, a priority and a due time under the playbook's SLA (business
-- days on the working calendar), caused by a fact recorded in cause (the trigger, the fact, the score then). A CTA is
-- open, snoozed until a day, or closed with an outcome and a reason. At most one open CTA per account and playbook:
-- the index makes a second one impossible, whichever instance tries.
create table cta (
    id               uuid primary key,
    account_id       uuid not null,
    playbook_id      uuid references playbook (id) on delete set null,
    playbook_version int,
    type             text not null check (type in ('risk', 'renewal', 'expansion', 'onboarding', 'lifecycle', 'activity')),
    title            text not null,
    priority         text not null check (priority in ('low', 'medium', 'high', 'urgent')),
    status           text not null check (status in ('open', 'snoozed', 'closed')),
    owner_id         uuid,
    created_at       timestamptz not null,
    due_at           timestamptz not null,
    sla_days         int not null,
    cause            jsonb not null,
    snoozed_until    date,
    snooze_reason    text,
    escalated_at     timestamptz,
    closed_at        timestamptz,
    closed_by        text,
    outcome          text check (outcome in ('saved', 'not_saved', 'expanded', 'renewed', 'not_needed')),
    outcome_reason   text,
    check ((status = 'closed') = (closed_at is not null and outcome is not null)),
    check (status <> 'snoozed' or snoozed_until is not null)
);
create unique index cta_one_open_per_playbook on cta (account_id, playbook_id)
    where status <> 'closed' and playbook_id is not null;
create index cta_owner_open on cta (owner_id, due_at) where status <> 'closed';
create index cta_account on cta (account_id, created_at);
create index cta_due_open on cta (due_at) where status = 'open' and escalated_at is null;
create index cta_playbook on cta (playbook_id, created_at);

-- The steps of a CTA, each due some business days after the CTA was created, for a role (the CSM, their manager, the
-- executive sponsor) resolved to a person when the CTA was made.
create table cta_task (
    id            uuid primary key,
    cta_id        uuid not null references cta (id) on delete cascade,
    position      int not null,
    title         text not null,
    assignee_role text not null check (assignee_role in ('csm', 'manager', 'executive_sponsor')),
    assignee_id   uuid,
    due_at        timestamptz not null,
    done_at       timestamptz,
    done_by       text,
    unique (cta_id, position)
);

-- Everything that happened to a CTA, in order: created, commented, snoozed, woke, reassigned, task done or reopened,
-- priority changed, escalated, closed, reopened. The account's timeline and the CTA's history read it.
create table cta_event (
    id       uuid primary key,
    cta_id   uuid not null references cta (id) on delete cascade,
    at       timestamptz not null,
    actor    text not null,
    kind     text not null,
    detail   jsonb not null default '{}'::jsonb
);
create index cta_event_cta on cta_event (cta_id, at);

-- Each time a playbook's trigger fired for an account: whether a CTA was made, the account was held back as control,
-- or it was skipped (an open CTA already, cooldown). Cooldowns and the effectiveness report read it.
create table playbook_firing (
    id               uuid primary key,
    playbook_id      uuid not null references playbook (id) on delete cascade,
    playbook_version int not null,
    account_id       uuid not null,
    at               timestamptz not null,
    day              date not null,
    result           text not null check (result in ('cta', 'control', 'open', 'cooldown', 'failed')),
    cta_id           uuid,
    fact_key         text not null,
    score            double precision,
    detail           jsonb not null default '{}'::jsonb
);
-- One firing per playbook, account and fact: the same fact seen twice (two instances, a replayed event) fires once.
create unique index playbook_firing_fact on playbook_firing (playbook_id, account_id, fact_key);
create index playbook_firing_account on playbook_firing (account_id, playbook_id, at);
create index playbook_firing_report on playbook_firing (playbook_id, day);

-- The working calendar of SLAs: days off besides weekends.
create table working_holiday (
    day  date primary key,
    name text not null
);
