package dev.steward.ingest.sync;

import dev.steward.core.Ids;
import dev.steward.core.JobChanged;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The history of every pull of a connected source: one row per run, written when it starts (so that a pull cut off
 * by a crash shows as one that never finished) and completed when it ends.
 */
@Repository
public class SyncRuns {

    /** Most rejected rows kept with a run; the counts cover them all. */
    public static final int KEPT_ERRORS = 20;

    /** Why a run started. */
    public enum Trigger {
        schedule,
        manual
    }

    /** How a run ended; {@code partial}: it finished, but some rows were rejected. */
    public enum State {
        running,
        succeeded,
        partial,
        failed
    }

    /** A rejected row as a run keeps it: where (row or record), which field, what it held, why. */
    public record RowError(
            String where, @Nullable String field, @Nullable String value, String reason) {}

    /**
     * What a run did. {@code deleted}: records removed because the source deleted them; {@code skipped}: records read
     * that are not Steward's business (a vendor's record of no customer); {@code apiCalls}: calls a pull of a vendor's
     * API made, retries included.
     */
    public record Counts(
            long rowsRead,
            long created,
            long updated,
            long unchanged,
            long rejected,
            long deleted,
            long skipped,
            long apiCalls) {

        /** The counts of a run that deletes and skips nothing and calls no API (a warehouse query). */
        public Counts(long rowsRead, long created, long updated, long unchanged, long rejected) {
            this(rowsRead, created, updated, unchanged, rejected, 0, 0, 0);
        }
    }

    /** A run as pages and the API show it. */
    public record Run(
            UUID id,
            @Nullable String feed,
            Trigger trigger,
            Instant startedAt,
            @Nullable Instant finishedAt,
            State state,
            Counts counts,
            @Nullable String watermarkFrom,
            @Nullable String watermarkTo,
            List<RowError> errors,
            @Nullable String failure) {

        public boolean running() {
            return state == State.running;
        }

        /** Seconds from start to end, or null while it runs. */
        public @Nullable Double seconds() {
            return finishedAt == null ? null : (finishedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
        }
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    SyncRuns(
            JdbcClient jdbc,
            ObjectMapper json,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    public UUID start(UUID source, @Nullable String feed, Trigger trigger, @Nullable String watermark, Instant at) {
        UUID id = Ids.newId();
        jdbc.sql("""
                        insert into ingest_sync_run (id, source_id, feed, trigger, started_at, state, watermark_from)
                        values (?, ?, ?, ?, ?, 'running', ?)""")
                .params(id, source, feed, trigger.name(), Timestamp.from(at), watermark)
                .update();
        return id;
    }

    public void finish(
            UUID run,
            State state,
            Counts counts,
            @Nullable String watermark,
            List<RowError> errors,
            @Nullable String failure,
            Instant at) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                        update ingest_sync_run set finished_at = ?, state = ?, rows_read = ?, created = ?, updated = ?,
                            unchanged = ?, rejected = ?, deleted = ?, skipped = ?, api_calls = ?, watermark_to = ?,
                            errors = cast(? as jsonb), failure = ?
                        where id = ?""")
                    .params(
                            Timestamp.from(at),
                            state.name(),
                            counts.rowsRead(),
                            counts.created(),
                            counts.updated(),
                            counts.unchanged(),
                            counts.rejected(),
                            counts.deleted(),
                            counts.skipped(),
                            counts.apiCalls(),
                            watermark,
                            json.writeValueAsString(errors.subList(0, Math.min(KEPT_ERRORS, errors.size()))),
                            failure,
                            run)
                    .update();
            announce(run, state, counts, failure);
        });
    }

    /**
     * A run that created, changed or deleted records is a job's change: the audit trail records it (a run that
     * changed nothing is not, or every five-minute pull would be an entry).
     */
    private void announce(UUID run, State state, Counts counts, @Nullable String failure) {
        if (counts.created() + counts.updated() + counts.deleted() == 0) {
            return;
        }
        String target = jdbc.sql("""
                        select '/sources/' || s.name || coalesce(' (' || r.feed || ')', '')
                        from ingest_sync_run r join ingest_source s on s.id = r.source_id where r.id = ?""").param(run).query(String.class).optional().orElse("/sources (run " + run + ")");
        String summary = state.name() + ": " + counts.rowsRead() + " read, " + counts.created() + " created, "
                + counts.updated() + " updated, " + counts.unchanged() + " unchanged, " + counts.deleted()
                + " deleted, " + counts.rejected() + " rejected" + (failure == null ? "" : "; " + failure);
        int status = switch (state) {
            case failed -> 500;
            case partial -> 207;
            default -> 200;
        };
        events.publishEvent(new JobChanged("PULL", target, status, summary));
    }

    /** Runs of a source that a stop cut off: marked failed, so that they no longer look as if they ran. */
    public int abandonRunning(UUID source, Instant at) {
        return jdbc.sql("""
                        update ingest_sync_run set state = 'failed', finished_at = ?,
                            failure = 'Steward stopped while this pull ran; the next one starts from the last watermark kept'
                        where source_id = ? and state = 'running'""").params(Timestamp.from(at), source).update();
    }

    /** The source's latest runs, newest first. */
    public List<Run> latest(UUID source, int limit) {
        return jdbc.sql("select * from ingest_sync_run where source_id = ? order by started_at desc, id desc limit ?")
                .params(source, limit)
                .query(this::run)
                .list();
    }

    public Optional<Run> find(UUID source, UUID run) {
        return jdbc.sql("select * from ingest_sync_run where source_id = ? and id = ?")
                .params(source, run)
                .query(this::run)
                .optional();
    }

    private Run run(ResultSet rs, int n) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        JsonNode errors = json.readTree(rs.getString("errors"));
        List<RowError> rowErrors = new java.util.ArrayList<>();
        errors.forEach(e -> rowErrors.add(new RowError(
                e.path("where").asString(),
                e.hasNonNull("field") ? e.get("field").asString() : null,
                e.hasNonNull("value") ? e.get("value").asString() : null,
                e.path("reason").asString())));
        return new Run(
                rs.getObject("id", UUID.class),
                rs.getString("feed"),
                Trigger.valueOf(rs.getString("trigger")),
                rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant(),
                State.valueOf(rs.getString("state")),
                new Counts(
                        rs.getLong("rows_read"),
                        rs.getLong("created"),
                        rs.getLong("updated"),
                        rs.getLong("unchanged"),
                        rs.getLong("rejected"),
                        rs.getLong("deleted"),
                        rs.getLong("skipped"),
                        rs.getLong("api_calls")),
                rs.getString("watermark_from"),
                rs.getString("watermark_to"),
                rowErrors,
                rs.getString("failure"));
    }
}
