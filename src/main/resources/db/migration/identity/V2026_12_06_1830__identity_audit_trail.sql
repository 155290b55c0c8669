-- The audit trail: every change a person or an API key asked for, in order (seq), each entry chained to the one
-- before by a SHA-256 hash over its own fields and the previous hash, so that an entry altered, removed or inserted
-- out of turn breaks the chain from there on (AuditTrail.verify reports where). Append-only: no role may change or
-- delete an entry (the triggers below refuse it, the owner's too; only dropping the triggers, which the chain then
-- shows, gets past them).
create table audit_entry (
    seq        bigint primary key check (seq > 0),
    at         timestamptz not null,
    actor      text not null,
    actor_kind text not null check (actor_kind in ('user', 'api_key')),
    address    text,
    action     text not null,
    target     text not null,
    status     integer not null,
    detail     text,
    prev_hash  text not null,
    hash       text not null
);
create index audit_entry_at on audit_entry (at);
create index audit_entry_actor on audit_entry (actor, seq);

create function audit_entry_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit trail is append-only: entries cannot be changed or deleted';
end
$$;
create trigger audit_entry_no_change before update or delete on audit_entry
    for each row execute function audit_entry_append_only();
create trigger audit_entry_no_truncate before truncate on audit_entry
    for each statement execute function audit_entry_append_only();
