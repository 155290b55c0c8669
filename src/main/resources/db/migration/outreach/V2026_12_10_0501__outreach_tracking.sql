-- What became of each journey email after it left: its Message-ID (replies quoting it are matched to it, whoever
-- sends them), the first time its tracking pixel was fetched (an approximate "opened") and its tracked links clicked.
alter table outreach_send add column message_id text;
alter table outreach_send add column opened_at timestamptz;
alter table outreach_send add column clicked_at timestamptz;
alter table outreach_send add column clicks int not null default 0;
create unique index outreach_send_message_id on outreach_send (message_id) where message_id is not null;

-- Messages of the reply mailbox already handled, by Message-ID (or UIDVALIDITY and UID when a message has none):
-- written in the transaction that handles a message, so that a crash before it is marked read does not handle it
-- twice.
create table outreach_handled_message (
    message_key text        primary key,
    handled_at  timestamptz not null
);

-- Which side of a journey's measure or event trigger each account was on when last evaluated: a contact's account
-- enters when it goes past (false to true), once per crossing; an account seen for the first time is only recorded.
create table outreach_crossing (
    journey_id uuid        not null references outreach_journey (id) on delete cascade,
    trigger    text        not null,
    account_id uuid        not null,
    past       boolean     not null,
    since      timestamptz not null,
    primary key (journey_id, trigger, account_id)
);
create index outreach_crossing_account on outreach_crossing (account_id);
