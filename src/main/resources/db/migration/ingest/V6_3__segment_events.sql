-- The messageIds each Segment source has sent, so that a message sent again is answered 200 but stored once. The key
-- is a 128-bit hash of the source and the messageId: a small fixed-size key keeps the index, which every event
-- passes, fast. Kept apart from the events because a unique key on a partitioned table must include the partition key,
-- and a retried message carries a new sentAt and so a different corrected timestamp. Pruned after the retention period.
create table segment_message (
    key         uuid primary key,
    received_at timestamptz not null
);
-- Rows arrive in time order, so a block range index finds old ones for pruning at almost no cost per insert.
create index segment_message_received on segment_message using brin (received_at);

-- One row per request that stored events: the processor's queue. It is written in the transaction that stores the
-- events, so the processor sees a batch exactly when its events are committed, and deletes it in the transaction that
-- applies them, so each event is applied exactly once. It carries what the processor needs of each event, so that the
-- events themselves need no index.
create sequence segment_batch_id;
create table segment_batch (
    id          bigint primary key,
    source_id   uuid not null,
    -- The days the batch's events fall on, to look in those partitions only.
    first_day   date not null,
    last_day    date not null,
    events      integer not null,
    received_at timestamptz not null,
    -- Per event, a JSON array: messageId, type, userId, anonymousId, groupId, name, timestamp, traits.
    work        text not null
);

-- Every stored event as it was sent (the write key taken out), partitioned by day of its clock-skew corrected
-- timestamp so that removing old events drops whole tables. Partitions are created as events for a new day arrive
-- and dropped after the retention period, once processed.
create table segment_event (
    batch        bigint not null,
    source_id    uuid not null,
    message_id   text not null,
    type         text not null check (type in ('identify', 'group', 'track', 'page', 'screen', 'alias')),
    user_id      text,
    anonymous_id text,
    -- groupId of a group call, else context.groupId (of the message, else of its batch).
    group_id     text,
    -- The event of a track call, the name of a page or screen call, the previousId of an alias.
    name         text,
    occurred_at  timestamptz not null,
    received_at  timestamptz not null,
    -- The message as JSON text: checked when received, kept as sent.
    payload      text not null
) partition by range (occurred_at);

-- Events whose account is not known yet (no group for the user, or a group no account has), held until it is.
-- What the processor needs of the event: held events are never dropped, whatever the retention of segment_event.
create table segment_held (
    batch        bigint not null,
    source_id    uuid not null,
    message_id   text not null,
    type         text not null,
    user_id      text,
    anonymous_id text,
    group_id     text,
    name         text,
    occurred_at  timestamptz not null,
    received_at  timestamptz not null,
    -- The traits of an identify or group call, as JSON.
    traits       text,
    held_at      timestamptz not null,
    primary key (source_id, message_id)
);
create index segment_held_group on segment_held (source_id, group_id);
create index segment_held_user on segment_held (source_id, coalesce(user_id, anonymous_id));

-- The group (account external id) each user was last seen in, from group calls, so that events without
-- context.groupId find their account.
create table segment_user_group (
    source_id  uuid not null,
    user_key   text not null,
    group_id   text not null,
    updated_at timestamptz not null,
    primary key (source_id, user_key)
);

-- Rollups, kept forever. Counts per account, metric and day, over all Segment sources; written to the usage module
-- as absolute values, so writing them again never double counts.
create table segment_usage_daily (
    account_id uuid not null,
    metric     text not null,
    day        date not null,
    value      bigint not null check (value >= 0),
    primary key (account_id, metric, day)
);

-- Who was active per account and day: distinct active users per day and per trailing window are counted from it.
create table segment_active_user (
    account_id uuid not null,
    day        date not null,
    user_key   text not null,
    primary key (account_id, day, user_key)
);
