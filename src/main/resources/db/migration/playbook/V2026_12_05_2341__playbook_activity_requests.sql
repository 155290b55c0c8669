-- Accounts whose tickets, survey responses or contacts changed and whose activity triggers (an NPS response, an
-- escalated ticket, a run of tickets, a champion leaving) wait to be looked at. A row is written in the transaction
-- that changed the facts, so the request is kept exactly when the facts are; the playbook job (on whichever instance
-- runs it) takes the rows within seconds. An account may have several rows; they are taken together.
create table playbook_activity_request (
    id         bigint generated always as identity primary key,
    account_id uuid not null
);
