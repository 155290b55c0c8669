package dev.steward.notify;

import dev.steward.core.Cursor;
import dev.steward.core.InvalidInputException;
import dev.steward.core.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each person's in-app notifications: newest first, read or unread. */
@Repository
class Inbox {

    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 200;

    private static final String COLUMNS = "id, kind, subject, body, link, created_at, read_at";

    private final JdbcClient jdbc;

    Inbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the notification unless its recipient already has one with its key; whether it was stored. */
    boolean add(UUID id, Notification notification, Instant at) {
        return jdbc.sql("""
                        insert into notify_notification (id, recipient_id, kind, subject, body, link, key, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (recipient_id, key) do nothing
                        """)
                        .params(
                                id,
                                notification.recipient(),
                                notification.kind(),
                                notification.subject(),
                                notification.body(),
                                notification.link(),
                                notification.key(),
                                Timestamp.from(at))
                        .update()
                > 0;
    }

    /** One page of a person's notifications, newest first; only the unread ones when asked. */
    Page<InAppNotification> page(UUID recipient, boolean unreadOnly, Integer limit, String cursor) {
        int size = new dev.steward.core.PageLimit(DEFAULT_LIMIT, MAX_LIMIT).of(limit);
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from notify_notification where recipient_id = ?");
        List<Object> params = new ArrayList<>(List.of(recipient));
        if (unreadOnly) {
            sql.append(" and read_at is null");
        }
        if (cursor != null && !cursor.isBlank()) {
            Cursor after = Cursor.decode(cursor);
            sql.append(" and (created_at, id) < (?, ?)");
            params.add(Timestamp.from(instant(after)));
            params.add(after.id());
        }
        sql.append(" order by created_at desc, id desc limit ?");
        params.add(size + 1);
        List<InAppNotification> rows =
                jdbc.sql(sql.toString()).params(params).query(Inbox::map).list();
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        InAppNotification last = rows.get(size - 1);
        return new Page<>(
                List.copyOf(rows.subList(0, size)), new Cursor(last.createdAt().toString(), last.id()).encode());
    }

    Optional<InAppNotification> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from notify_notification where id = ?")
                .param(id)
                .query(Inbox::map)
                .optional();
    }

    /** What the bell shows: one count on the index of unread notifications. */
    int unread(UUID recipient) {
        return jdbc.sql("select count(*) from notify_notification where recipient_id = ? and read_at is null")
                .param(recipient)
                .query(Integer.class)
                .single();
    }

    /** Marks one of the person's notifications read (again is fine); false when they have no such notification. */
    boolean markRead(UUID recipient, UUID id, Instant at) {
        return jdbc.sql("""
                        update notify_notification set read_at = coalesce(read_at, ?)
                        where id = ? and recipient_id = ?
                        """).params(Timestamp.from(at), id, recipient).update() > 0;
    }

    /** Marks every unread notification of the person read; how many there were. */
    int markAllRead(UUID recipient, Instant at) {
        return jdbc.sql("update notify_notification set read_at = ? where recipient_id = ? and read_at is null")
                .params(Timestamp.from(at), recipient)
                .update();
    }

    private static Instant instant(Cursor cursor) {
        try {
            return Instant.parse(cursor.sortValue());
        } catch (DateTimeParseException | NullPointerException e) {
            throw new InvalidInputException("cursor", "is not a cursor returned by this API; start again without it");
        }
    }

    static InAppNotification map(ResultSet rs, int row) throws SQLException {
        Timestamp read = rs.getTimestamp("read_at");
        return new InAppNotification(
                rs.getObject("id", UUID.class),
                rs.getString("kind"),
                rs.getString("subject"),
                rs.getString("body"),
                rs.getString("link"),
                rs.getTimestamp("created_at").toInstant(),
                read == null ? null : read.toInstant());
    }
}
