-- Each account's stage in the customer journey as the lifecycle module last decided it (its key and the name it had
-- when the account entered it), kept on the account so that the accounts list shows it and filters by it without a
-- join and without asking that module for its members. The lifecycle module owns the stays (account_stage); both
-- columns are null while the account is in no stage. The older hand-typed lifecycle_stage stays beside it.
alter table account
    add column journey_stage      text,
    add column journey_stage_name text,
    add check ((journey_stage is null) = (journey_stage_name is null));
-- The list's default order within a stage, so that a small stage's first page is read from the index.
create index account_journey_stage on account (journey_stage, lower(name), id) where journey_stage is not null;
