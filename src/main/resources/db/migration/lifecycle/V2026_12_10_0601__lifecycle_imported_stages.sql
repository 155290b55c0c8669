-- Stays from before Steward kept stages, brought in from another system or reconstructed (the demo company): cause
-- 'imported', with who imported them (moved_by) and a reason.
alter table account_stage drop constraint account_stage_cause_check;
alter table account_stage add constraint account_stage_cause_check check (cause in ('rule', 'manual', 'imported'));
