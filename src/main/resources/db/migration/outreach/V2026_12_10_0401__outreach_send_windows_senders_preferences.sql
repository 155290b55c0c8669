-- The sender (the address in From) of what a journey sent, so that each sender's daily limit counts its sends across
-- journeys; rows sent before it was kept went out from the configured sender.
alter table outreach_send add column sender text;
create index outreach_send_sender on outreach_send (sender, sent_at);

-- The kinds of journey mail (journeys' categories) an address chose not to get on its preference page. Keyed by the
-- address (lower case), like the list of addresses off customer mail.
create table outreach_preference (
    email          text        primary key,
    categories_off text[]      not null default '{}',
    updated_at     timestamptz not null
);
