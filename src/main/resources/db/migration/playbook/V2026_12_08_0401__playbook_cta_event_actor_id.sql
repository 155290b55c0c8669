-- Who did what on a CTA, by id as well as by the name shown: adoption counts a person's CTA work by who they are, not
-- by a display name two people may share or one person may change. Null for Steward's own entries and for entries
-- made before this column existed (those are matched by name, where the name is one person's).
alter table cta_event add column actor_id uuid;
create index cta_event_actor on cta_event (actor_id, at) where actor_id is not null;
