-- Each time a person signed in (with a password or through single sign-on; API keys are not sign-ins), for the
-- adoption figures. Not a foreign key: a removed user's sign-ins stay part of what their team did.
create table sign_in (
    user_id uuid        not null,
    at      timestamptz not null,
    method  text        not null check (method in ('password', 'single sign-on'))
);
create index sign_in_at on sign_in (at);
