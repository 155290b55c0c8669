-- Email to an address outside Steward's users (a customer's contact answering a survey): the outbox row carries the
-- address, an HTML part beside the plain-text body, extra header lines ("Name: value", one a line, such as
-- List-Unsubscribe), and a key that makes queueing it twice queue it once, however many instances try at once.
alter table notify_delivery
    add column to_address text,
    add column html_body  text,
    add column headers    text,
    add column send_key   text;

-- An email goes to a user (recipient_id) or to an address (to_address); the old check asked for a recipient.
do $$
declare
    name text;
begin
    for name in
        select conname from pg_constraint
         where conrelid = 'notify_delivery'::regclass and contype = 'c'
           and pg_get_constraintdef(oid) like '%recipient_id IS NOT NULL%'
    loop
        execute format('alter table notify_delivery drop constraint %I', name);
    end loop;
end $$;

alter table notify_delivery
    add constraint notify_delivery_addressed
        check (channel = 'webhook' or recipient_id is not null or (channel = 'email' and to_address is not null));

create unique index notify_delivery_send_key on notify_delivery (send_key) where send_key is not null;
