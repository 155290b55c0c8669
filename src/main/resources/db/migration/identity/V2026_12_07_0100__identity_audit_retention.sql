-- Retention of the audit trail. Jobs are actors too (the retention job is the first). The oldest entries may be
-- removed by the retention job alone: in its own transaction it first appends an entry that anchors the chain's new
-- start (the last sequence number it removes and that entry's hash; AuditTrail.retain), then sets
-- steward.audit_retain_through to that number, and only a DELETE of entries up to it passes the trigger. Updates and
-- truncation stay refused to every role, the owner's too.
alter table audit_entry drop constraint audit_entry_actor_kind_check;
alter table audit_entry add constraint audit_entry_actor_kind_check check (actor_kind in ('user', 'api_key', 'job'));

create or replace function audit_entry_append_only() returns trigger language plpgsql as $$
begin
    if TG_OP = 'DELETE' then
        if OLD.seq <= coalesce(nullif(current_setting('steward.audit_retain_through', true), '')::bigint, 0) then
            return OLD;
        end if;
    end if;
    raise exception 'the audit trail is append-only: entries cannot be changed or deleted';
end
$$;
