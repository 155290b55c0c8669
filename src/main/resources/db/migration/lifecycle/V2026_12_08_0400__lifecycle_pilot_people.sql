-- The people flagged for the pilot: their accounts are in the pilot group (the segment "Pilot"), beside the accounts
-- picked by hand (the static segment "Pilot accounts").
create table lifecycle_pilot_person (
    email      text primary key,
    flagged_at timestamptz not null,
    flagged_by uuid not null
);
