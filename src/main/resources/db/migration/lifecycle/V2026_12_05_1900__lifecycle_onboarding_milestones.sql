-- Onboarding milestones each account has completed: which (the key of a milestone of the journey document), when,
-- by whom, with an optional note. Completing one again replaces the row; undoing it deletes it. The account is not a
-- foreign key; a deleted account's rows are removed when the customer module announces the deletion.
create table account_milestone (
    account_id   uuid not null,
    milestone    text not null,
    completed_on date not null,
    completed_by text not null,
    note         text,
    recorded_at  timestamptz not null,
    primary key (account_id, milestone)
);
