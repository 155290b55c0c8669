-- Books of business: each account's owner as facts. An account came to an owner at a time and left them at a later one
-- (null while they own it), with the cause: a territory of the published assignment rules ('rule'), a balancing move
-- that kept the territory ('balance'), a person who assigned it by hand ('manual'), or the owner on the account record
-- itself, set by the API, a CSV import or a CRM ('record'). A pinned owner is left in place by the rules until handed
-- back: one assigned by hand, or changed on the record while rules were in force. The assignment rules are a document
-- named 'Books of business' kept beside the journey.
create table account_ownership (
    id          bigint generated always as identity primary key,
    account_id  uuid not null,
    owner_id    uuid not null,
    territory   text,
    entered_at  timestamptz not null,
    left_at     timestamptz,
    cause       text not null check (cause in ('rule', 'balance', 'manual', 'record')),
    assigned_by text,
    reason      text,
    pinned      boolean not null,
    check (left_at is null or left_at >= entered_at),
    check (cause not in ('manual', 'balance') or (assigned_by is not null and reason is not null))
);
create unique index account_ownership_open on account_ownership (account_id) where left_at is null;
create index account_ownership_history on account_ownership (account_id, entered_at);
create index account_ownership_current on account_ownership (owner_id) where left_at is null;
