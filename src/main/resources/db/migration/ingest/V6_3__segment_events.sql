-- The messageIds each Segment source has sent: a message sent again is answered 200 but stored once. Kept apart from
-- the events because a unique key on a partitioned table must include the partition key, and a retried message carries
-- a new sentAt and so a different corrected timestamp. Pruned after the retention period.
create table segment_message (
    source_id   uuid not null,
    message_id  text not null,
    received_at timestamptz not null,
    primary key (source_id, message_id)
);
-- Rows arrive in time order, so a block range index finds old ones for pruning at almost no cost per insert.
create index segment_message_received on segment_message using brin (received_at);

create sequence segment_event_seq cache 100;

-- Every stored event as it was sent (context merged from its batch, the write key removed), partitioned by day of its
-- clock-skew corrected timestamp so that removing old events drops whole tables. Partitions are created as events for
-- a new day arrive and dropped after the retention period, once processed.
--
-- xid is the transaction that stored the event. The processor takes events in (xid, seq) order, but only those of
-- transactions older than every transaction still running: all of those have ended, so each committed event is seen
-- exactly once, however the storing transactions interleave and commit.
create table segment_event (
    seq          bigint not null default nextval('segment_event_seq'),
    xid          xid8 not null default pg_current_xact_id(),
    source_id    uuid not null,
    message_id   text not null,
    type         text not null check (type in ('identify', 'group', 'track', 'page', 'screen', 'alias')),
    user_id      text,
    anonymous_id text,
    -- groupId of a group call, else context.groupId.
    group_id     text,
    -- The event of a track call, the name of a page or screen call, the previousId of an alias.
    name         text,
    occurred_at  timestamptz not null,
    received_at  timestamptz not null,
    payload      json not null
) partition by range (occurred_at);
create index segment_event_order on segment_event (xid, seq);

-- How far the processor got: the (xid, seq) of the last event it applied. One row.
create table segment_progress (
    singleton boolean primary key default true check (singleton),
    xid       xid8 not null,
    seq       bigint not null
);
insert into segment_progress (xid, seq) values ('0', 0);

-- Events whose account is not known yet (no group for the user, or a group no account has), held until it is.
-- A copy of the event row: held events are never dropped, whatever the retention of segment_event.
create table segment_held (
    seq          bigint primary key,
    source_id    uuid not null,
    message_id   text not null,
    type         text not null,
    user_id      text,
    anonymous_id text,
    group_id     text,
    name         text,
    occurred_at  timestamptz not null,
    received_at  timestamptz not null,
    payload      json not null,
    held_at      timestamptz not null
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
-- as absolute values, so re-sending them never double counts.
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
