package dev.steward.ingest.warehouse;

import dev.steward.core.Ids;
import dev.steward.ingest.Source;
import dev.steward.ingest.sync.PullConnections;
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
public class WarehouseStore {

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

    private final PullConnections connections;

    WarehouseStore(JdbcClient jdbc, ObjectMapper json, PullConnections connections) {
        this.jdbc = jdbc;
        this.json = json;
        this.connections = connections;
    }

    void saveConnection(Connection c) {
        connections.save(new PullConnections.Connection<>(
                c.source(), c.settings(), c.secret(), c.everyMinutes(), c.paused(), c.nextSyncAt(), c.checkedAt()));
    }

    Optional<Connection> connection(UUID source) {
        return connections
                .find(source, Warehouse.Settings.class)
                .map(c -> new Connection(
                        c.source(),
                        c.settings(),
                        c.secret(),
                        c.everyMinutes(),
                        c.paused(),
                        c.nextSyncAt(),
                        c.checkedAt()));
    }

    /** The warehouse connections due for a pull at this time, not paused. */
    List<UUID> due(Instant at) {
        return connections.due(Source.Kind.warehouse, at);
    }

    void nextSyncAt(UUID source, Instant at) {
        connections.nextSyncAt(source, at);
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
    public Feed saveFeed(
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
