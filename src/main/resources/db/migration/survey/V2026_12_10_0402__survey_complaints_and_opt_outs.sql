-- An address can also be off customer mail because its owner reported a message as spam (a feedback-loop complaint).
alter table survey_unsubscribe drop constraint if exists survey_unsubscribe_reason_check;
alter table survey_unsubscribe add constraint survey_unsubscribe_reason_check
    check (reason in ('unsubscribed', 'bounced', 'complaint'));

-- Addresses that chose on their preference page to get no surveys, while still getting other customer mail.
create table survey_opt_out (
    email      text        primary key,
    opted_at   timestamptz not null
);
