-- An address can be off the list because its owner unsubscribed or because its mail server refused it (a bounce).
alter table survey_unsubscribe add column reason text not null default 'unsubscribed'
    check (reason in ('unsubscribed', 'bounced'));
alter table survey_unsubscribe add column detail text;
