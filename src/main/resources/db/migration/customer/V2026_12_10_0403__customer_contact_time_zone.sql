-- A contact's own time zone (an IANA name such as Europe/Berlin), when known: email journeys send within their send
-- window in it.
alter table contact add column time_zone text;
