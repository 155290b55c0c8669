-- Why a customer has no health score: written by the health module's re-score when no published scorecard applies to
-- the account (null once it is scored, or while it waits for its first re-score).
alter table account add column unscored_reason text;

-- Data quality and the accounts list count and list these; they are few next to every account.
create index account_unscored_reason_idx on account (name) where unscored_reason is not null;
