package dev.steward.ingest;

import dev.steward.core.StorableText;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * Events the processor could not apply, set aside with the reason so that every other event goes on being applied:
 * listed on the data sources page and by the API, replayed into the queue or discarded by an administrator.
 */
@Repository
class SegmentQuarantine {

    /** Longest reason kept: the start of an error message says what went wrong. */
    static final int REASON_LENGTH = 1000;

    private final JdbcClient jdbc;

    SegmentQuarantine(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A quarantined event: what the processor needs of it, why it failed and when. */
    record Quarantined(StoredEvent event, String reason, Instant quarantinedAt) {}

    /** Sets an event aside with the reason it could not be applied (the latest reason, if it was set aside before). */
    void add(StoredEvent e, String reason, Instant now) {
        String kept = StorableText.visible(reason == null ? "failed without a message" : reason);
        if (kept.length() > REASON_LENGTH) {
            kept = kept.substring(0, REASON_LENGTH) + "…";
        }
        jdbc.sql("""
                        insert into segment_quarantine (batch, source_id, message_id, type, user_id, anonymous_id,
                                                        group_id, name, occurred_at, received_at, traits, reason,
                                                        quarantined_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (source_id, message_id) do update set
                            reason = excluded.reason, quarantined_at = excluded.quarantined_at""")
                // Setting an event aside must not fail on the very text that may have made it fail: what the
                // database cannot store is kept written out as escapes.
                .params(
                        e.batch(),
                        e.sourceId(),
                        StorableText.visible(e.messageId()),
                        e.type(),
                        StorableText.visible(e.userId()),
                        StorableText.visible(e.anonymousId()),
                        StorableText.visible(e.groupId()),
                        StorableText.visible(e.name()),
                        Timestamp.from(e.occurredAt()),
                        Timestamp.from(e.receivedAt()),
                        StorableText.visible(e.traits()),
                        kept,
                        Timestamp.from(now))
                .update();
    }

    long count(UUID source) {
        return jdbc.sql("select count(*) from segment_quarantine where source_id = ?")
                .param(source)
                .query(Long.class)
                .single();
    }

    /** The latest quarantined events of a source, newest first. */
    List<Quarantined> latest(UUID source, int limit) {
        return jdbc.sql("select " + StoredEvent.COLUMNS + ", reason, quarantined_at from segment_quarantine"
                        + " where source_id = ? order by quarantined_at desc, message_id limit ?")
                .params(source, limit)
                .query((rs, n) -> new Quarantined(
                        StoredEvent.read(rs, n),
                        rs.getString("reason"),
                        rs.getTimestamp("quarantined_at").toInstant()))
                .list();
    }

    /** Takes (deletes and returns) the source's quarantined events with these messageIds, or all when null. */
    List<StoredEvent> take(UUID source, Collection<String> messageIds) {
        return jdbc.sql("delete from segment_quarantine where source_id = ?"
                        + (messageIds == null ? "" : " and message_id = any(?)") + " returning " + StoredEvent.COLUMNS)
                .params(
                        messageIds == null
                                ? List.of(source)
                                : List.of(source, new SqlArrayValue("text", messageIds.toArray())))
                .query(StoredEvent::read)
                .list();
    }
}
