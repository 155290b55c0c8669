-- Accounts whose facts changed and that wait to be re-scored. A row is written in the transaction that changed the
-- facts, so the request is kept exactly when the facts are; the re-score job (on whichever instance runs it) takes the
-- rows and re-scores their accounts. An account may have several rows; they are taken together.
create table health_rescore_request (
    id         bigint generated always as identity primary key,
    account_id uuid not null
);
