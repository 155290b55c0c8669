package dev.steward.backtest;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Stores backtest runs, their progress and their results. */
@Repository
class BacktestRuns {

    private static final TypeReference<List<BacktestRequest.ScorecardRef>> REFS = new TypeReference<>() {};
    private static final String COLUMNS = """
            id, name, scorecards::text, as_of_dates, horizons, segment, status, days_done, error, created_by,
            created_at, started_at, finished_at""";

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    BacktestRuns(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(BacktestRun run) {
        jdbc.sql("""
                        insert into backtest_run (id, name, scorecards, as_of_dates, horizons, segment, status,
                                                  created_by, created_at)
                        values (:id, :name, cast(:scorecards as jsonb), :dates, :horizons, :segment, :status,
                                :createdBy, :createdAt)""")
                .param("id", run.id())
                .param("name", run.name())
                .param("scorecards", json.writeValueAsString(run.scorecards()))
                .param("dates", new SqlArrayValue("date", run.asOfDates().toArray()))
                .param("horizons", new SqlArrayValue("integer", run.horizons().toArray()))
                .param("segment", run.segment())
                .param("status", run.status().value())
                .param("createdBy", run.createdBy())
                .param("createdAt", Timestamp.from(run.createdAt()))
                .update();
    }

    /** Marks the run running from the start: a run taken over from an instance that died begins again. */
    void started(UUID id, Instant at) {
        jdbc.sql("""
                        update backtest_run set status = 'running', started_at = :at, days_done = 0, error = null,
                                                finished_at = null
                         where id = :id""").param("id", id).param("at", Timestamp.from(at)).update();
    }

    void progressed(UUID id, int daysDone) {
        jdbc.sql("update backtest_run set days_done = :done where id = :id")
                .param("id", id)
                .param("done", daysDone)
                .update();
    }

    void finished(UUID id, BacktestResults results, Instant at) {
        jdbc.sql("""
                        update backtest_run set status = 'done', results = cast(:results as jsonb), finished_at = :at
                         where id = :id""")
                .param("id", id)
                .param("results", json.writeValueAsString(results))
                .param("at", Timestamp.from(at))
                .update();
    }

    void failed(UUID id, String error, Instant at) {
        jdbc.sql("update backtest_run set status = 'failed', error = :error, finished_at = :at where id = :id")
                .param("id", id)
                .param("error", error)
                .param("at", Timestamp.from(at))
                .update();
    }

    /** Puts a run that its instance handed back (it was stopping) in the queue again. */
    void requeued(UUID id) {
        jdbc.sql("update backtest_run set status = 'queued', started_at = null, days_done = 0 where id = :id")
                .param("id", id)
                .update();
    }

    Optional<BacktestRun> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + ", results::text from backtest_run where id = :id")
                .param("id", id)
                .query((rs, row) -> run(rs, rs.getString(14)))
                .optional();
    }

    /** The newest runs first, without their results. */
    List<BacktestRun> list(int limit) {
        return jdbc.sql("select " + COLUMNS + " from backtest_run order by created_at desc, id desc limit :limit")
                .param("limit", limit)
                .query((rs, row) -> run(rs, null))
                .list();
    }

    boolean delete(UUID id) {
        return jdbc.sql("delete from backtest_run where id = :id")
                        .param("id", id)
                        .update()
                > 0;
    }

    private BacktestRun run(ResultSet rs, String results) throws SQLException {
        List<LocalDate> dates = new ArrayList<>();
        for (Object day : (Object[]) rs.getArray(4).getArray()) {
            dates.add(((java.sql.Date) day).toLocalDate());
        }
        Array horizons = rs.getArray(5);
        return new BacktestRun(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                json.readValue(rs.getString(3), REFS),
                dates,
                Arrays.stream((Integer[]) horizons.getArray()).toList(),
                rs.getString(6),
                BacktestRun.Status.valueOf(rs.getString(7).toUpperCase(Locale.ROOT)),
                rs.getInt(8),
                dates.size(),
                rs.getString(9),
                rs.getString(10),
                instant(rs.getTimestamp(11)),
                instant(rs.getTimestamp(12)),
                instant(rs.getTimestamp(13)),
                results == null ? null : json.readValue(results, BacktestResults.class));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
