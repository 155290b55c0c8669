package dev.steward.ingest.sync;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Where each feed of a pulled source goes on from (a time, a cursor: what the feed's own API takes), kept when a pull
 * of that feed reached the end, so that a pull cut off starts the feed again from the one before.
 */
@Repository
public class FeedCursors {

    private final JdbcClient jdbc;

    FeedCursors(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Where the feed goes on from; empty before its first full pull. */
    public Optional<String> find(UUID source, String feed) {
        return jdbc.sql("select cursor from ingest_pull_cursor where source_id = ? and feed = ?")
                .params(source, feed)
                .query(String.class)
                .optional();
    }

    /** Each feed's cursor, by feed. */
    public Map<String, String> all(UUID source) {
        Map<String, String> found = new HashMap<>();
        jdbc.sql("select feed, cursor from ingest_pull_cursor where source_id = ?")
                .param(source)
                .query(rs -> {
                    found.put(rs.getString(1), rs.getString(2));
                });
        return found;
    }

    /** Forgets where the feed goes on from. */
    public void delete(UUID source, String feed) {
        jdbc.sql("delete from ingest_pull_cursor where source_id = ? and feed = ?")
                .params(source, feed)
                .update();
    }

    public void save(UUID source, String feed, String cursor, Instant at) {
        jdbc.sql("""
                        insert into ingest_pull_cursor (source_id, feed, cursor, updated_at) values (?, ?, ?, ?)
                        on conflict (source_id, feed) do update set cursor = excluded.cursor,
                            updated_at = excluded.updated_at""").params(source, feed, cursor, Timestamp.from(at)).update();
    }
}
