package dev.steward.insight;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * The report schedules, their runs and the email each run queued per recipient. A due schedule is claimed by locking
 * its row ("for update skip locked") for the length of its run, which moves it to its next due time before committing,
 * and a run is stored once per schedule and due time: with any number of instances, a due time is sent once.
 */
@Repository
class ReportSchedules {

    private static final String COLUMNS = "id, owner_id, name, report, tier, cron, time_zone, recipient_ids, enabled,"
            + " next_run_at, created_at, updated_at,"
            + " (select max(r.ran_at) from insight_report_run r where r.schedule_id = s.id) as last_run_at";

    private final JdbcClient jdbc;

    ReportSchedules(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A schedule as stored. */
    record Row(
            UUID id,
            UUID ownerId,
            String name,
            String report,
            @Nullable String tier,
            String cron,
            String timeZone,
            List<UUID> recipientIds,
            boolean enabled,
            @Nullable Instant nextRunAt,
            @Nullable Instant lastRunAt,
            Instant createdAt,
            Instant updatedAt) {}

    /** A run's email to one recipient: the outbox delivery, or why there is none. */
    record Queued(
            UUID recipient,
            @Nullable UUID delivery,
            @Nullable String error) {}

    /** A run as stored, with what it queued. */
    record StoredRun(
            UUID id,
            UUID scheduleId,
            @Nullable Instant dueAt,
            @Nullable UUID requestedBy,
            Instant ranAt,
            @Nullable String error,
            List<Queued> queued) {}

    void insert(Row row) {
        jdbc.sql("""
                        insert into insight_report_schedule (id, owner_id, name, report, tier, cron, time_zone,
                                                             recipient_ids, enabled, next_run_at, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                .params(
                        row.id(),
                        row.ownerId(),
                        row.name(),
                        row.report(),
                        row.tier(),
                        row.cron(),
                        row.timeZone(),
                        uuids(row.recipientIds()),
                        row.enabled(),
                        timestamp(row.nextRunAt()),
                        Timestamp.from(row.createdAt()),
                        Timestamp.from(row.updatedAt()))
                .update();
    }

    void update(Row row) {
        jdbc.sql("""
                        update insight_report_schedule
                           set name = ?, report = ?, tier = ?, cron = ?, time_zone = ?, recipient_ids = ?, enabled = ?,
                               next_run_at = ?, updated_at = ?
                         where id = ?
                        """)
                .params(
                        row.name(),
                        row.report(),
                        row.tier(),
                        row.cron(),
                        row.timeZone(),
                        uuids(row.recipientIds()),
                        row.enabled(),
                        timestamp(row.nextRunAt()),
                        Timestamp.from(row.updatedAt()),
                        row.id())
                .update();
    }

    boolean delete(UUID id) {
        return jdbc.sql("delete from insight_report_schedule where id = ?")
                        .param(id)
                        .update()
                > 0;
    }

    Optional<Row> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from insight_report_schedule s where id = ?")
                .param(id)
                .query(ReportSchedules::map)
                .optional();
    }

    /** Every schedule, or those a person owns or receives; by name. */
    List<Row> list(@Nullable UUID person) {
        if (person == null) {
            return jdbc.sql("select " + COLUMNS + " from insight_report_schedule s order by lower(name), id")
                    .query(ReportSchedules::map)
                    .list();
        }
        return jdbc.sql("select " + COLUMNS
                        + " from insight_report_schedule s where owner_id = ? or ? = any(recipient_ids)"
                        + " order by lower(name), id")
                .params(person, person)
                .query(ReportSchedules::map)
                .list();
    }

    /** Locks the enabled schedule due longest ago that no other run holds. */
    Optional<Row> claimNextDue(Instant now) {
        return jdbc.sql("select " + COLUMNS + """
                         from insight_report_schedule s
                        where enabled and next_run_at <= ?
                        order by next_run_at, id
                        limit 1
                        for update skip locked
                        """)
                .param(Timestamp.from(now))
                .query(ReportSchedules::map)
                .optional();
    }

    /** Locks this schedule if it is still due at {@code due} (no other run moved it on). */
    Optional<Row> claimIfDue(UUID id, Instant due) {
        return jdbc.sql("select " + COLUMNS + """
                         from insight_report_schedule s
                        where id = ? and enabled and next_run_at = ?
                        for update
                        """)
                .params(id, Timestamp.from(due))
                .query(ReportSchedules::map)
                .optional();
    }

    void moveOn(UUID id, @Nullable Instant next, Instant at) {
        jdbc.sql("update insight_report_schedule set next_run_at = ?, updated_at = ? where id = ?")
                .params(timestamp(next), Timestamp.from(at), id)
                .update();
    }

    /**
     * Stores a run; false when the schedule already has one for this due time (null due times, runs asked for, never
     * collide).
     */
    boolean addRun(
            UUID id,
            UUID schedule,
            @Nullable Instant due,
            @Nullable UUID requestedBy,
            Instant at,
            @Nullable String error) {
        return jdbc.sql("""
                        insert into insight_report_run (id, schedule_id, due_at, requested_by, ran_at, error)
                        values (?, ?, ?, ?, ?, ?)
                        on conflict (schedule_id, due_at) do nothing
                        """)
                        .params(id, schedule, timestamp(due), requestedBy, Timestamp.from(at), error)
                        .update()
                > 0;
    }

    void addQueued(UUID run, Queued queued) {
        jdbc.sql("""
                        insert into insight_report_delivery (run_id, recipient_id, delivery_id, error)
                        values (?, ?, ?, ?)
                        """)
                .params(run, queued.recipient(), queued.delivery(), queued.error())
                .update();
    }

    /** The schedule whose run queued this outbox email, if one did. */
    Optional<UUID> scheduleOfDelivery(UUID delivery) {
        return jdbc.sql("""
                        select r.schedule_id from insight_report_delivery d join insight_report_run r on r.id = d.run_id
                         where d.delivery_id = ?
                        """).param(delivery).query(UUID.class).optional();
    }

    /** The schedule's latest runs, newest first, with what each queued. */
    List<StoredRun> runs(UUID schedule, int limit) {
        Map<UUID, StoredRun> runs = new LinkedHashMap<>();
        jdbc.sql("""
                        select id, schedule_id, due_at, requested_by, ran_at, error from insight_report_run
                         where schedule_id = ? order by ran_at desc, id desc limit ?
                        """)
                .params(schedule, limit)
                .query((rs, row) -> new StoredRun(
                        rs.getObject("id", UUID.class),
                        rs.getObject("schedule_id", UUID.class),
                        instant(rs.getTimestamp("due_at")),
                        rs.getObject("requested_by", UUID.class),
                        rs.getTimestamp("ran_at").toInstant(),
                        rs.getString("error"),
                        new ArrayList<>()))
                .list()
                .forEach(run -> runs.put(run.id(), run));
        if (!runs.isEmpty()) {
            jdbc.sql("""
                            select run_id, recipient_id, delivery_id, error from insight_report_delivery
                             where run_id = any(?) order by recipient_id
                            """)
                    .param(uuids(runs.keySet()))
                    .query((rs, row) -> {
                        runs.get(rs.getObject("run_id", UUID.class))
                                .queued()
                                .add(new Queued(
                                        rs.getObject("recipient_id", UUID.class),
                                        rs.getObject("delivery_id", UUID.class),
                                        rs.getString("error")));
                        return null;
                    })
                    .list();
        }
        return List.copyOf(runs.values());
    }

    private static SqlArrayValue uuids(Collection<UUID> ids) {
        return new SqlArrayValue("uuid", ids.toArray());
    }

    static Row map(ResultSet rs, int row) throws SQLException {
        Array recipients = rs.getArray("recipient_ids");
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getObject("owner_id", UUID.class),
                rs.getString("name"),
                rs.getString("report"),
                rs.getString("tier"),
                rs.getString("cron"),
                rs.getString("time_zone"),
                Arrays.stream((Object[]) recipients.getArray())
                        .map(id -> id instanceof UUID uuid ? uuid : UUID.fromString(id.toString()))
                        .toList(),
                rs.getBoolean("enabled"),
                instant(rs.getTimestamp("next_run_at")),
                instant(rs.getTimestamp("last_run_at")),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
