-- A hold by hand may end before its day when the stage's exit rule holds for the account; the stay says so.
alter table account_stage
    add column ended_by_exit_rule boolean not null default false,
    add constraint account_stage_exit_rule_ends_a_hold
        check (not ended_by_exit_rule or (cause = 'manual' and left_at is not null));
