package dev.steward.playbook;

import dev.steward.core.Ids;
import dev.steward.identity.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The CTAs, their tasks and their history as stored ({@code cta}, {@code cta_task}, {@code cta_event}). */
@Component
class Ctas {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    static final String COLUMNS = """
            select c.id, c.account_id, p.name as playbook, c.playbook_version, c.type, c.title, c.priority, c.status,
                   c.owner_id, c.created_at, c.due_at, c.sla_days, c.escalated_at, c.snoozed_until, c.snooze_reason,
                   c.closed_at, c.closed_by, c.outcome, c.outcome_reason, c.cause,
                   (select count(*) from cta_task t where t.cta_id = c.id) as tasks,
                   (select count(*) from cta_task t where t.cta_id = c.id and t.done_at is not null) as tasks_done
              from cta c left join playbook p on p.id = c.playbook_id""";

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final ApplicationEventPublisher events;

    Ctas(JdbcClient jdbc, ObjectMapper json, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
    }

    /** A CTA as stored, before names are looked up. */
    record Row(
            UUID id,
            UUID account,
            String playbook,
            Integer playbookVersion,
            String type,
            String title,
            String priority,
            String status,
            UUID owner,
            Instant createdAt,
            Instant dueAt,
            int slaDays,
            Instant escalatedAt,
            LocalDate snoozedUntil,
            String snoozeReason,
            Instant closedAt,
            String closedBy,
            String outcome,
            String outcomeReason,
            Map<String, Object> cause,
            int tasks,
            int tasksDone) {}

    /** A CTA to make: for an account, from a playbook ({@code null}: by hand), with its tasks. */
    record New(
            UUID account,
            UUID playbook,
            Integer playbookVersion,
            CtaType type,
            String title,
            Priority priority,
            UUID owner,
            Instant createdAt,
            Instant dueAt,
            int slaDays,
            Map<String, Object> cause,
            List<NewTask> tasks) {}

    record NewTask(String title, String role, UUID assignee, Instant dueAt) {}

    /**
     * Makes the CTA with its tasks and its first history entry; empty when the account already has an open CTA of the
     * playbook (whichever transaction made it).
     */
    Optional<UUID> insert(New cta, String actor) {
        return insert(cta, actor, null);
    }

    /** Made by a person: the first history entry names them and keeps their id. */
    Optional<UUID> insert(New cta, User person) {
        return insert(cta, person.displayName(), person.id());
    }

    private Optional<UUID> insert(New cta, String actor, @Nullable UUID actorId) {
        UUID id = Ids.newId();
        int inserted = jdbc.sql("""
                        insert into cta (id, account_id, playbook_id, playbook_version, type, title, priority, status,
                                         owner_id, created_at, due_at, sla_days, cause)
                        values (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?::jsonb)
                        on conflict (account_id, playbook_id) where status <> 'closed' and playbook_id is not null
                        do nothing""")
                .params(
                        id,
                        cta.account(),
                        cta.playbook(),
                        cta.playbookVersion(),
                        cta.type().value(),
                        cta.title(),
                        cta.priority().value(),
                        cta.owner(),
                        Timestamp.from(cta.createdAt()),
                        Timestamp.from(cta.dueAt()),
                        cta.slaDays(),
                        json.writeValueAsString(cta.cause()))
                .update();
        if (inserted == 0) {
            return Optional.empty();
        }
        int position = 0;
        for (NewTask task : cta.tasks()) {
            jdbc.sql("""
                            insert into cta_task (id, cta_id, position, title, assignee_role, assignee_id, due_at)
                            values (?, ?, ?, ?, ?, ?, ?)""")
                    .params(
                            Ids.newId(),
                            id,
                            position++,
                            task.title(),
                            task.role(),
                            task.assignee(),
                            Timestamp.from(task.dueAt()))
                    .update();
        }
        event(
                id,
                cta.createdAt(),
                actor,
                actorId,
                "created",
                Map.of("title", cta.title(), "priority", cta.priority().value()));
        return Optional.of(id);
    }

    /** An entry by Steward itself (escalated, woke). */
    void event(UUID cta, Instant at, String actor, String kind, Map<String, Object> detail) {
        event(cta, at, actor, null, kind, detail);
    }

    /** An entry by a person, named as shown and kept by id. */
    void event(UUID cta, Instant at, User person, String kind, Map<String, Object> detail) {
        event(cta, at, person.displayName(), person.id(), kind, detail);
    }

    private void event(
            UUID cta, Instant at, String actor, @Nullable UUID actorId, String kind, Map<String, Object> detail) {
        jdbc.sql("""
                        insert into cta_event (id, cta_id, at, actor, actor_id, kind, detail)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb)""")
                .params(Ids.newId(), cta, Timestamp.from(at), actor, actorId, kind, json.writeValueAsString(detail))
                .update();
        events.publishEvent(new CtasChanged(cta));
    }

    Optional<Row> find(UUID id) {
        return jdbc.sql(COLUMNS + " where c.id = ?").param(id).query(this::row).optional();
    }

    /** The CTA, locked until the transaction ends, so that two people's changes apply one after the other. */
    Optional<Row> lock(UUID id) {
        jdbc.sql("select id from cta where id = ? for update")
                .param(id)
                .query(UUID.class)
                .optional();
        return find(id);
    }

    List<Row> rows(String where, List<Object> params, String order, int limit) {
        List<Object> all = new ArrayList<>(params);
        all.add(limit);
        return jdbc.sql(COLUMNS + " where " + where + " order by " + order + " limit ?")
                .params(all)
                .query(this::row)
                .list();
    }

    record TaskRow(
            UUID id,
            int position,
            String title,
            String role,
            UUID assignee,
            Instant dueAt,
            Instant doneAt,
            String doneBy) {}

    List<TaskRow> tasks(UUID cta) {
        return jdbc.sql("""
                        select id, position, title, assignee_role, assignee_id, due_at, done_at, done_by
                          from cta_task where cta_id = ? order by position""")
                .param(cta)
                .query((rs, n) -> new TaskRow(
                        rs.getObject("id", UUID.class),
                        rs.getInt("position"),
                        rs.getString("title"),
                        rs.getString("assignee_role"),
                        rs.getObject("assignee_id", UUID.class),
                        instant(rs, "due_at"),
                        instant(rs, "done_at"),
                        rs.getString("done_by")))
                .list();
    }

    List<CtaDetail.Event> events(UUID cta) {
        return jdbc.sql("select at, actor, kind, detail from cta_event where cta_id = ? order by at, id")
                .param(cta)
                .query((rs, n) -> new CtaDetail.Event(
                        instant(rs, "at"),
                        rs.getString("actor"),
                        rs.getString("kind"),
                        json.readValue(rs.getString("detail"), MAP)))
                .list();
    }

    /** Sets columns of the CTA; {@code assignments} is SQL such as {@code status = ?}, with its values. */
    void update(UUID id, String assignments, Object... values) {
        // A value may be null: a CTA closed without a reason stores none.
        List<Object> params = new ArrayList<>(java.util.Arrays.asList(values));
        params.add(id);
        jdbc.sql("update cta set " + assignments + " where id = ?")
                .params(params)
                .update();
        events.publishEvent(new CtasChanged(id));
    }

    boolean markTask(UUID cta, UUID task, Instant at, String by) {
        return jdbc.sql("update cta_task set done_at = ?, done_by = ? where id = ? and cta_id = ?")
                        .params(at == null ? null : Timestamp.from(at), by, task, cta)
                        .update()
                == 1;
    }

    /** The open CTAs of these playbooks' accounts, by playbook: which accounts have one. */
    Set<UUID> openFor(UUID playbook, Collection<UUID> accounts) {
        return Set.copyOf(jdbc.sql("""
                        select account_id from cta
                         where playbook_id = ? and status <> 'closed' and account_id = any(?)""")
                .params(playbook, accounts.toArray(UUID[]::new))
                .query(UUID.class)
                .list());
    }

    /** Open CTAs due before the time that have not been escalated, locked, skipping those another instance holds. */
    List<Row> overdue(Instant at, int limit) {
        List<UUID> ids = jdbc.sql("""
                        select id from cta where status = 'open' and escalated_at is null and due_at < ?
                         order by due_at limit ? for update skip locked""")
                .params(Timestamp.from(at), limit)
                .query(UUID.class)
                .list();
        // The array is one parameter: List.of(array) would spread it into as many.
        return ids.isEmpty()
                ? List.of()
                : rows("c.id = any(?)", List.of((Object) ids.toArray(UUID[]::new)), "c.due_at", limit);
    }

    /** Snoozed CTAs whose day has come, locked, skipping those another instance holds. */
    List<UUID> waking(LocalDate today, int limit) {
        return jdbc.sql("""
                        select id from cta where status = 'snoozed' and snoozed_until <= ?
                         order by snoozed_until limit ? for update skip locked""").params(today, limit).query(UUID.class).list();
    }

    /** How many open (or snoozed) CTAs each owner has, and how many of them are overdue. */
    Map<UUID, long[]> openCounts(Instant at) {
        Map<UUID, long[]> counts = new HashMap<>();
        jdbc.sql("""
                        select owner_id, count(*), count(*) filter (where status = 'open' and due_at < ?)
                          from cta where status <> 'closed' and owner_id is not null group by owner_id""").param(Timestamp.from(at)).query(rs -> {
            counts.put(rs.getObject(1, UUID.class), new long[] {rs.getLong(2), rs.getLong(3)});
        });
        return counts;
    }

    /** The owner's open CTAs past due (the partial index on owner and due time serves it). */
    long overdueCount(UUID owner, Instant at) {
        return jdbc.sql("select count(*) from cta where owner_id = ? and status <> 'closed' and status = 'open'"
                        + " and due_at < ?")
                .params(owner, Timestamp.from(at))
                .query(Long.class)
                .single();
    }

    void deleteAccount(UUID account) {
        jdbc.sql("delete from cta where account_id = ?").param(account).update();
        jdbc.sql("delete from playbook_firing where account_id = ?")
                .param(account)
                .update();
    }

    private Row row(ResultSet rs, int n) throws SQLException {
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getObject("account_id", UUID.class),
                rs.getString("playbook"),
                rs.getObject("playbook_version", Integer.class),
                rs.getString("type"),
                rs.getString("title"),
                rs.getString("priority"),
                rs.getString("status"),
                rs.getObject("owner_id", UUID.class),
                instant(rs, "created_at"),
                instant(rs, "due_at"),
                rs.getInt("sla_days"),
                instant(rs, "escalated_at"),
                rs.getObject("snoozed_until", LocalDate.class),
                rs.getString("snooze_reason"),
                instant(rs, "closed_at"),
                rs.getString("closed_by"),
                rs.getString("outcome"),
                rs.getString("outcome_reason"),
                json.readValue(rs.getString("cause"), MAP),
                rs.getInt("tasks"),
                rs.getInt("tasks_done"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp time = rs.getTimestamp(column);
        return time == null ? null : time.toInstant();
    }
}
