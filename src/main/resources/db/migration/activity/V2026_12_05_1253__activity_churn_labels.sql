-- Labelled snapshots: whether each account of a snapshot churned within the snapshot's horizon after its day, as churn
-- datasets give it (one row per customer with a churned yes/no). The label is the outcome a backtest of the snapshot
-- judges scores against, on that one day; no churn date is made up for it.
create table churn_label (
    snapshot     text not null check (length(snapshot) between 1 and 200),
    account_id   uuid not null references account (id) on delete cascade,
    as_of        date not null,
    horizon_days integer not null check (horizon_days between 1 and 730),
    churned      boolean not null,
    source       text not null,
    updated_at   timestamptz not null,
    primary key (snapshot, account_id)
);
create index churn_label_account on churn_label (account_id);
