package dev.steward.ingest;

import dev.steward.core.ConflictException;
import dev.steward.core.Ids;
import dev.steward.core.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The connected sources and the record of what each delivered and rejected. */
@Repository
public class Sources {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    Sources(JdbcClient jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Creates a source; a name already taken is a conflict. */
    public Source create(String name, Source.Kind kind, JsonNode settings, Integer expectedIntervalHours) {
        UUID id = Ids.newId();
        int added = jdbc.sql("""
                        insert into ingest_source (id, name, kind, settings, expected_interval_hours, created_at)
                        values (?, ?, ?, ?::jsonb, ?, ?) on conflict (name) do nothing""")
                .params(
                        id,
                        name,
                        kind.name(),
                        settings == null ? "{}" : json.writeValueAsString(settings),
                        expectedIntervalHours,
                        Timestamp.from(clock.instant()))
                .update();
        if (added == 0) {
            throw ConflictException.of("a source named '" + name + "' already exists");
        }
        return get(name);
    }

    public Optional<Source> find(String name) {
        return jdbc.sql("select * from ingest_source where name = ?")
                .param(name)
                .query(this::source)
                .optional();
    }

    /** The source with this id, if any. */
    public Optional<Source> find(UUID id) {
        return jdbc.sql("select * from ingest_source where id = ?")
                .param(id)
                .query(this::source)
                .optional();
    }

    public Source get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("source", name));
    }

    public List<Source> all() {
        return jdbc.sql("select * from ingest_source order by name")
                .query(this::source)
                .list();
    }

    /** Replaces a source's kind-specific settings. */
    public Source updateSettings(String name, JsonNode settings) {
        int updated = jdbc.sql("update ingest_source set settings = ?::jsonb where name = ?")
                .params(json.writeValueAsString(settings), name)
                .update();
        if (updated == 0) {
            throw new NotFoundException("source", name);
        }
        return get(name);
    }

    /** Rows each source's daily receipt counts are spread over (see the migration that added them). */
    static final int RECEIPT_SHARDS = 8;

    /**
     * Counts what a source delivered now: records accepted and refused, with the refused ones' reasons. The day's
     * counts are spread over {@link #RECEIPT_SHARDS} rows; readers sum them.
     */
    public void received(Source source, long accepted, List<Rejection> rejections) {
        Instant now = clock.instant();
        jdbc.sql("""
                        insert into ingest_receipt_daily (source_id, day, shard, accepted, rejected,
                                                          last_received_at)
                        values (?, ?, ?, ?, ?, ?)
                        on conflict (source_id, day, shard) do update set
                            accepted = ingest_receipt_daily.accepted + excluded.accepted,
                            rejected = ingest_receipt_daily.rejected + excluded.rejected,
                            last_received_at = greatest(ingest_receipt_daily.last_received_at,
                                                        excluded.last_received_at)""")
                .params(
                        source.id(),
                        now.atOffset(ZoneOffset.UTC).toLocalDate(),
                        // Concurrent requests of a source add to different rows, so none waits for another's commit.
                        java.util.concurrent.ThreadLocalRandom.current().nextInt(RECEIPT_SHARDS),
                        accepted,
                        (long) rejections.size(),
                        Timestamp.from(now))
                .update();
        for (Rejection rejection : rejections) {
            jdbc.sql("""
                            insert into ingest_rejection (source_id, received_at, record, field, reason, excerpt)
                            values (?, ?, ?, ?, ?, ?)""")
                    .params(
                            source.id(),
                            Timestamp.from(now),
                            rejection.record(),
                            rejection.field(),
                            rejection.reason(),
                            rejection.excerpt())
                    .update();
        }
    }

    /** The latest refused records of a source, newest first. */
    public List<Rejection> latestRejections(Source source, int limit) {
        return jdbc.sql("""
                        select record, field, reason, excerpt from ingest_rejection
                        where source_id = ? order by received_at desc, id desc limit ?""")
                .params(source.id(), limit)
                .query((rs, n) -> new Rejection(
                        rs.getString("record"), rs.getString("field"), rs.getString("reason"), rs.getString("excerpt")))
                .list();
    }

    private Source source(ResultSet rs, int row) throws SQLException {
        return new Source(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                Source.Kind.valueOf(rs.getString("kind")),
                json.readTree(rs.getString("settings")),
                (Integer) rs.getObject("expected_interval_hours"),
                rs.getTimestamp("created_at").toInstant());
    }
}
