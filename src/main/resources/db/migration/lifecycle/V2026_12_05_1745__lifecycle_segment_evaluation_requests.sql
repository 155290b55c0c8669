-- Accounts whose facts or scores changed and whose segment membership waits to be decided again. A row is written in
-- the transaction that changed the facts, so the request is kept exactly when the facts are; the membership job (on
-- whichever instance runs it) takes rows in the transaction that records the decisions, so a crash loses none.
create table account_segment_evaluation_request (
    id         bigint generated always as identity primary key,
    account_id uuid not null
);
