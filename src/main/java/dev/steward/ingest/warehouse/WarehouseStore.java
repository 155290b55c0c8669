package dev.steward.ingest.warehouse;

import dev.steward.core.Ids;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Warehouse connections (settings, the encrypted password, the schedule) and their feeds, with each feed's watermark. */
@Repository
class WarehouseStore {

    /** A connection as stored; {@code secret} is the sealed password. */
    record Connection(
            UUID source,
            Warehouse.Settings settings,
            @Nullable String secret,
            int everyMinutes,
            boolean paused,
            @Nullable Instant nextSyncAt,
            Instant checkedAt) {}

    /** A feed as stored. */
    record Feed(
            UUID id,
            UUID source,
            String name,
            String query,
            String entity,
            JsonNode mapping,
            @Nullable String accountsSource,
            @Nullable String watermarkColumn,
            @Nullable String watermark,
            Instant createdAt,
            Instant updatedAt) {}

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    WarehouseStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void saveConnection(Connection c) {
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

    Optional<Connection> connection(UUID source) {
        return jdbc.sql("select * from ingest_pull_connection where source_id = ?")
                .param(source)
                .query(this::connectionRow)
                .optional();
    }

    /** The warehouse connections due for a pull at this time, not paused (other pulled sources have their own jobs). */
    List<UUID> due(Instant at) {
        return jdbc.sql("""
                        select c.source_id from ingest_pull_connection c
                        join ingest_source s on s.id = c.source_id and s.kind = 'warehouse'
                        where not c.paused and c.next_sync_at is not null and c.next_sync_at <= ?
                        order by c.next_sync_at""").param(Timestamp.from(at)).query(UUID.class).list();
    }

    void nextSyncAt(UUID source, Instant at) {
        jdbc.sql("update ingest_pull_connection set next_sync_at = ? where source_id = ?")
                .params(Timestamp.from(at), source)
                .update();
    }

    List<Feed> feeds(UUID source) {
        return jdbc.sql("select * from ingest_warehouse_feed where source_id = ? order by name")
                .param(source)
                .query(this::feedRow)
                .list();
    }

    Optional<Feed> feed(UUID source, String name) {
        return jdbc.sql("select * from ingest_warehouse_feed where source_id = ? and name = ?")
                .params(source, name)
                .query(this::feedRow)
                .optional();
    }

    /** Saves a feed by its name; a changed query or watermark column starts again from the first row. */
    Feed saveFeed(
            UUID source,
            String name,
            String query,
            String entity,
            JsonNode mapping,
            @Nullable String accountsSource,
            @Nullable String watermarkColumn,
            Instant at) {
        jdbc.sql("""
                        insert into ingest_warehouse_feed (id, source_id, name, query, entity, mapping, accounts_source,
                                                           watermark_column, created_at, updated_at)
                        values (?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?)
                        on conflict (source_id, name) do update set query = excluded.query, entity = excluded.entity,
                            mapping = excluded.mapping, accounts_source = excluded.accounts_source,
                            watermark_column = excluded.watermark_column,
                            watermark = case when ingest_warehouse_feed.query = excluded.query
                                              and ingest_warehouse_feed.entity = excluded.entity
                                              and ingest_warehouse_feed.watermark_column
                                                  is not distinct from excluded.watermark_column
                                             then ingest_warehouse_feed.watermark end,
                            updated_at = excluded.updated_at""")
                .params(
                        Ids.newId(),
                        source,
                        name,
                        query,
                        entity,
                        json.writeValueAsString(mapping),
                        accountsSource,
                        watermarkColumn,
                        Timestamp.from(at),
                        Timestamp.from(at))
                .update();
        return feed(source, name).orElseThrow();
    }

    boolean deleteFeed(UUID source, String name) {
        return jdbc.sql("delete from ingest_warehouse_feed where source_id = ? and name = ?")
                        .params(source, name)
                        .update()
                > 0;
    }

    void watermark(UUID feed, @Nullable String watermark) {
        jdbc.sql("update ingest_warehouse_feed set watermark = ? where id = ?")
                .params(watermark, feed)
                .update();
    }

    private Connection connectionRow(ResultSet rs, int n) throws SQLException {
        Timestamp next = rs.getTimestamp("next_sync_at");
        return new Connection(
                rs.getObject("source_id", UUID.class),
                json.readValue(rs.getString("settings"), Warehouse.Settings.class),
                rs.getString("secret"),
                rs.getInt("every_minutes"),
                rs.getBoolean("paused"),
                next == null ? null : next.toInstant(),
                rs.getTimestamp("checked_at").toInstant());
    }

    private Feed feedRow(ResultSet rs, int n) throws SQLException {
        return new Feed(
                rs.getObject("id", UUID.class),
                rs.getObject("source_id", UUID.class),
                rs.getString("name"),
                rs.getString("query"),
                rs.getString("entity"),
                json.readTree(rs.getString("mapping")),
                rs.getString("accounts_source"),
                rs.getString("watermark_column"),
                rs.getString("watermark"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
