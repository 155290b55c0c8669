package dev.steward.ingest;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** What the processor needs of a stored event (from the queue or from the held events); traits are JSON. */
record StoredEvent(
        long batch,
        UUID sourceId,
        String messageId,
        String type,
        String userId,
        String anonymousId,
        String groupId,
        String name,
        Instant occurredAt,
        Instant receivedAt,
        String traits) {

    static final String COLUMNS =
            "batch, source_id, message_id, type, user_id, anonymous_id, group_id, name, occurred_at, received_at, traits";

    /** Who did it: the userId, or the anonymousId of a user not identified yet. */
    public String userKey() {
        return userId != null ? userId : anonymousId;
    }

    boolean usage() {
        return type.equals("track") || type.equals("page") || type.equals("screen");
    }

    static StoredEvent read(ResultSet rs, int row) throws SQLException {
        return new StoredEvent(
                rs.getLong("batch"),
                rs.getObject("source_id", UUID.class),
                rs.getString("message_id"),
                rs.getString("type"),
                rs.getString("user_id"),
                rs.getString("anonymous_id"),
                rs.getString("group_id"),
                rs.getString("name"),
                rs.getTimestamp("occurred_at").toInstant(),
                rs.getTimestamp("received_at").toInstant(),
                rs.getString("traits"));
    }
}
