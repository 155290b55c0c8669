package dev.steward.ingest.sync;

import dev.steward.ingest.Source;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/**
 * How Steward reaches each pulled source (a warehouse, Zendesk…): one row per source with its settings (each kind's
 * own record, stored as JSON), its sealed secret, how often it is pulled, whether its schedule is paused and when it is
 * pulled next. Every pull connector keeps its connection here.
 */
@Repository
public class PullConnections {

    /** A connection: {@code settings} is the kind's own record; {@code secret} is sealed (see SecretBox). */
    public record Connection<S>(
            UUID source,
            S settings,
            @Nullable String secret,
            int everyMinutes,
            boolean paused,
            @Nullable Instant nextSyncAt,
            Instant checkedAt) {}

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    PullConnections(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void save(Connection<?> c) {
        jdbc.sql("""
                        insert into ingest_pull_connection (source_id, settings, secret, every_minutes, paused,
                                                            next_sync_at, checked_at)
                        values (?, cast(? as jsonb), ?, ?, ?, ?, ?)
                        on conflict (source_id) do update set settings = excluded.settings, secret = excluded.secret,
                            every_minutes = excluded.every_minutes, paused = excluded.paused,
                            next_sync_at = excluded.next_sync_at, checked_at = excluded.checked_at""")
                .params(
                        c.source(),
                        json.writeValueAsString(c.settings()),
                        c.secret(),
                        c.everyMinutes(),
                        c.paused(),
                        c.nextSyncAt() == null ? null : Timestamp.from(c.nextSyncAt()),
                        Timestamp.from(c.checkedAt()))
                .update();
    }

    public <S> Optional<Connection<S>> find(UUID source, Class<S> settings) {
        return jdbc.sql("select * from ingest_pull_connection where source_id = ?")
                .param(source)
                .query((rs, n) -> row(rs, settings))
                .optional();
    }

    /** The connections of sources of this kind due for a pull at this time, not paused, the longest due first. */
    public List<UUID> due(Source.Kind kind, Instant at) {
        return jdbc.sql("""
                        select c.source_id from ingest_pull_connection c
                        join ingest_source s on s.id = c.source_id and s.kind = ?
                        where not c.paused and c.next_sync_at is not null and c.next_sync_at <= ?
                        order by c.next_sync_at""")
                .params(kind.name(), Timestamp.from(at))
                .query(UUID.class)
                .list();
    }

    public void nextSyncAt(UUID source, Instant at) {
        jdbc.sql("update ingest_pull_connection set next_sync_at = ? where source_id = ?")
                .params(Timestamp.from(at), source)
                .update();
    }

    private <S> Connection<S> row(ResultSet rs, Class<S> settings) throws SQLException {
        Timestamp next = rs.getTimestamp("next_sync_at");
        return new Connection<>(
                rs.getObject("source_id", UUID.class),
                json.readValue(rs.getString("settings"), settings),
                rs.getString("secret"),
                rs.getInt("every_minutes"),
                rs.getBoolean("paused"),
                next == null ? null : next.toInstant(),
                rs.getTimestamp("checked_at").toInstant());
    }
}
