-- The metrics product usage is measured in. Keys are stable identifiers that scorecards refer to.
create table usage_metric (
    key         text primary key check (key ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$'),
    name        text not null,
    description text,
    unit        text not null,
    -- How a day's values combine over a window: summed (events) or the highest (distinct users).
    aggregation text not null check (aggregation in ('sum', 'max')),
    created_at  timestamptz not null default now()
);

insert into usage_metric (key, name, description, unit, aggregation) values
    ('logins', 'Logins', 'Sign-ins to the product', 'logins', 'sum'),
    ('active_users', 'Active users', 'Distinct users active that day', 'users', 'max'),
    ('events', 'Events', 'Tracked product events', 'events', 'sum'),
    ('feature.dashboards', 'Dashboards', 'Uses of the dashboards feature', 'uses', 'sum'),
    ('feature.reports', 'Reports', 'Uses of the reports feature', 'uses', 'sum'),
    ('feature.integrations', 'Integrations', 'Uses of the integrations feature', 'uses', 'sum'),
    ('feature.automations', 'Automations', 'Uses of the automations feature', 'uses', 'sum'),
    ('feature.api', 'API', 'Calls to the public API', 'calls', 'sum');

-- One value per account, metric and day. Neither the account nor the metric is a foreign key: loads run to tens of
-- millions of rows and a per-row key check would make them three times slower. Accounts and metrics are checked when
-- written, and the usage of a deleted account is removed when the customer module announces the deletion.
create table usage_daily (
    account_id uuid not null,
    metric     text not null,
    day        date not null,
    value      numeric not null check (value >= 0),
    primary key (account_id, metric, day)
);
