-- A contract may be open-ended: a subscription that renews until it is ended has no end date, and is in force from
-- its start until one is set. Exports often list running subscriptions without an end; making one up turned into
-- "churn" on the made-up day.
alter table contract alter column end_date drop not null;
