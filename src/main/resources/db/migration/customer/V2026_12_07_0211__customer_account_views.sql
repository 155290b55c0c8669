-- Who opened an account's page on which day (in Steward's time zone), once per person, account and day however often
-- they reloaded it: the adoption figures count the accounts each person looked at. The person is not a foreign key:
-- a removed user's views stay part of what their team did.
create table account_view (
    user_id    uuid not null,
    account_id uuid not null references account (id) on delete cascade,
    day        date not null,
    primary key (user_id, account_id, day)
);
create index account_view_day on account_view (day);
