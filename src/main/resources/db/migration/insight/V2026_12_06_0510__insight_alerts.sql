-- Alert rules: each person's conditions over accounts (CEL, per account) or thresholds on executive figures, the
-- accounts (or, for a figure, the rule itself) for which a rule holds now, so that it fires once per crossing, the
-- history of what fired, and the accounts whose facts changed and wait for their rules to be evaluated again.
-- Every time is the application's (its clock), never the database's.

create table insight_alert_rule (
    id              uuid        primary key,
    owner_id        uuid        not null,
    name            text        not null,
    kind            text        not null check (kind in ('account', 'figure')),
    -- account rules: the CEL condition and whose accounts it watches
    condition       text,
    scope           text check (scope in ('book', 'all')),
    -- figure rules: which figure, narrowed to a tier and/or an owner, compared with a threshold
    figure          text,
    tier            text,
    figure_owner_id uuid,
    operator        text check (operator in ('above', 'below')),
    threshold       numeric,
    channels        text[]      not null,
    delivery        text        not null check (delivery in ('immediate', 'digest')),
    webhook_topic   text,
    enabled         boolean     not null,
    -- when the rule's first evaluation (of its current condition) finished; null: not yet
    baseline_at     timestamptz,
    -- figure rules: whether the threshold is crossed now, the last value read and when
    holding         boolean     not null default false,
    last_value      numeric,
    evaluated_at    timestamptz,
    -- why the last evaluation could not decide (no data, a condition that no longer compiles); null when it could
    last_problem    text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    check (kind <> 'account' or (condition is not null and scope is not null)),
    check (kind <> 'figure' or (figure is not null and operator is not null and threshold is not null))
);

create index insight_alert_rule_owner on insight_alert_rule (owner_id, created_at);

-- The accounts an account rule holds for now: a row appears when the rule crosses for the account (it fires) and
-- goes when the account recovers, so that the next crossing fires again.
create table insight_alert_state (
    rule_id    uuid        not null references insight_alert_rule (id) on delete cascade,
    account_id uuid        not null,
    since      timestamptz not null,
    primary key (rule_id, account_id)
);

create index insight_alert_state_account on insight_alert_state (account_id);

-- What each rule reported: the initial state, each crossing, each recovery (an account's, or the figure's).
create table insight_alert_firing (
    id           uuid        primary key,
    rule_id      uuid        not null references insight_alert_rule (id) on delete cascade,
    event        text        not null check (event in ('initial', 'crossed', 'recovered')),
    account_id   uuid,
    account_name text,
    value        numeric,
    message      text        not null,
    fired_at     timestamptz not null
);

create index insight_alert_firing_rule on insight_alert_firing (rule_id, fired_at desc, id);
create index insight_alert_firing_account on insight_alert_firing (account_id) where account_id is not null;

-- Accounts whose health, fields, contracts, contacts or attributes changed, waiting for the account rules (see
-- core.AccountQueue): written in the transaction of the change, taken by the alerts job in the one that records what
-- it decided.
create table insight_alert_request (
    id         bigint generated always as identity primary key,
    account_id uuid not null
);
