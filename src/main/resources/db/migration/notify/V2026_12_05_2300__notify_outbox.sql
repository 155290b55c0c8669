-- Notifications: each person's in-app list, their email preference, the webhook endpoints administrators register,
-- the events broadcast to them, and the outbox: one row per notification (or event) and channel still to deliver,
-- delivered after commit, retried with back-off, claimed with "for update skip locked" so that each goes out once
-- however many instances share the database. Every time is the application's (its clock), never the database's.

-- The in-app list: every notification lands here, whatever the person's email preference.
create table notify_notification (
    id           uuid        primary key,
    recipient_id uuid        not null,
    kind         text        not null,
    subject      text        not null,
    body         text        not null,
    link         text,
    key          text,
    created_at   timestamptz not null,
    read_at      timestamptz,
    -- A second notification with the same key for the same person is ignored (null keys never collide).
    constraint notify_notification_key unique (recipient_id, key)
);

-- Newest first, page after page.
create index notify_notification_list on notify_notification (recipient_id, created_at desc, id desc);
-- The bell's count.
create index notify_notification_unread on notify_notification (recipient_id) where read_at is null;

-- How each person wants email: at once, in one daily digest, or not at all. No row: at once.
create table notify_preference (
    user_id    uuid        primary key,
    email_mode text        not null check (email_mode in ('immediate', 'daily', 'off')),
    updated_at timestamptz not null
);

-- Where events for integrators go, signed with the endpoint's secret; kinds are names or prefixes ("cta.*", "*").
create table notify_webhook (
    id          uuid        primary key,
    url         text        not null,
    secret      text        not null,
    kinds       text[]      not null,
    description text        not null default '',
    enabled     boolean     not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);

-- An event broadcast to the endpoints that wanted its kind (kept only when at least one did).
create table notify_event (
    id          uuid        primary key,
    kind        text        not null,
    text        text        not null,
    data        jsonb       not null,
    occurred_at timestamptz not null
);

-- The outbox. channel email: one email (of a notification, or a digest with its own subject and body);
-- digest: a notification waiting for its recipient's daily digest, sent once the digest takes it (digest_id);
-- webhook: one event to one endpoint.
create table notify_delivery (
    id              uuid        primary key,
    channel         text        not null check (channel in ('email', 'digest', 'webhook')),
    status          text        not null check (status in ('pending', 'sent', 'failed', 'not_configured')),
    recipient_id    uuid,
    notification_id uuid references notify_notification (id) on delete cascade,
    event_id        uuid references notify_event (id) on delete cascade,
    endpoint_id     uuid references notify_webhook (id) on delete cascade,
    digest_id       uuid references notify_delivery (id) on delete set null,
    subject         text,
    body            text,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz,
    last_error      text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    sent_at         timestamptz,
    check (channel <> 'webhook' or (event_id is not null and endpoint_id is not null)),
    check (channel = 'webhook' or recipient_id is not null)
);

-- What the delivery job claims: due email and webhook deliveries.
create index notify_delivery_due on notify_delivery (next_attempt_at)
    where status = 'pending' and channel <> 'digest';
-- What the daily digest takes, per person.
create index notify_delivery_digest on notify_delivery (recipient_id, created_at)
    where status = 'pending' and channel = 'digest';
-- What the outbox page shows: everything not (yet) delivered.
create index notify_delivery_open on notify_delivery (updated_at desc) where status <> 'sent';
create index notify_delivery_notification on notify_delivery (notification_id);
create index notify_delivery_event on notify_delivery (event_id);
create index notify_delivery_endpoint on notify_delivery (endpoint_id);
create index notify_delivery_digest_of on notify_delivery (digest_id);
