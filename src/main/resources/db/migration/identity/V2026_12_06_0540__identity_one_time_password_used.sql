-- A one-time password (printed at first start, or set by an administrator) works for one sign-in: when it was used.
-- Setting a new password clears it.
alter table app_user add column one_time_used_at timestamptz;
