package dev.steward.notify;

import dev.steward.core.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * The outbox: what is still to be delivered and how it went. A delivery is claimed by locking its row ("for update
 * skip locked") for the length of one attempt, so that with any number of instances each is attempted by one at a
 * time, and a delivery sent is marked so in the same transaction.
 */
@Repository
class Outbox {

    private static final String COLUMNS = "id, channel, status, recipient_id, notification_id, event_id, endpoint_id,"
            + " subject, body, attempts, next_attempt_at, last_error, created_at, updated_at, sent_at";

    private final JdbcClient jdbc;

    Outbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An email of a notification, due at once. */
    UUID addEmail(UUID notification, UUID recipient, Instant at) {
        return insert(Delivery.Channel.email, recipient, notification, null, null, null, null, at);
    }

    /** A notification waiting for its recipient's daily digest. */
    UUID addDigestItem(UUID notification, UUID recipient, Instant at) {
        return insert(Delivery.Channel.digest, recipient, notification, null, null, null, null, at);
    }

    /** An email with its own subject and body (a digest, a report), due at once. */
    UUID addEmail(UUID recipient, String subject, String body, Instant at) {
        return insert(Delivery.Channel.email, recipient, null, null, null, subject, body, at);
    }

    /** A digest email with its own subject and body, due at once. */
    UUID addDigestEmail(UUID recipient, String subject, String body, Instant at) {
        return insert(Delivery.Channel.email, recipient, null, null, null, subject, body, at);
    }

    /**
     * An email to an address outside Steward's users, due at once; empty when an email with the same key was queued
     * before (by this instance or another), and nothing is queued.
     */
    Optional<UUID> addExternalEmail(ExternalEmail email, Instant at) {
        Timestamp now = Timestamp.from(at);
        return jdbc.sql("""
                        insert into notify_delivery (id, channel, status, to_address, subject, body, html_body, headers,
                                                     send_key, next_attempt_at, created_at, updated_at)
                        values (?, 'email', 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (send_key) where send_key is not null do nothing
                        returning id
                        """)
                .params(
                        Ids.newId(),
                        email.to(),
                        email.subject(),
                        email.text(),
                        email.html(),
                        email.headerLines(),
                        email.key(),
                        now,
                        now,
                        now)
                .query(UUID.class)
                .optional();
    }

    /** What an email to an address outside Steward's users has beyond a delivery: the address, HTML and headers. */
    Optional<External> external(UUID id) {
        return jdbc.sql(
                        "select to_address, html_body, headers from notify_delivery where id = ? and to_address is not null")
                .param(id)
                .query((rs, row) -> new External(
                        rs.getString("to_address"),
                        rs.getString("html_body"),
                        ExternalEmail.parseHeaderLines(rs.getString("headers"))))
                .optional();
    }

    /** The address, HTML part and headers of an email to someone who is not a user. */
    record External(
            String to, @org.jspecify.annotations.Nullable String html, Map<String, String> headers) {}

    /** An event to post to one endpoint, due at once. */
    UUID addWebhook(UUID event, UUID endpoint, Instant at) {
        return insert(Delivery.Channel.webhook, null, null, event, endpoint, null, null, at);
    }

    private UUID insert(
            Delivery.Channel channel,
            UUID recipient,
            UUID notification,
            UUID event,
            UUID endpoint,
            String subject,
            String body,
            Instant at) {
        UUID id = Ids.newId();
        Timestamp now = Timestamp.from(at);
        jdbc.sql("""
                        insert into notify_delivery (id, channel, status, recipient_id, notification_id, event_id,
                                                     endpoint_id, subject, body, next_attempt_at, created_at, updated_at)
                        values (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                .params(id, channel.name(), recipient, notification, event, endpoint, subject, body, now, now, now)
                .update();
        return id;
    }

    /** Locks this delivery for an attempt when it is pending and due, unless another attempt holds it. */
    Optional<Delivery> claim(UUID id, Instant now) {
        return jdbc.sql("select " + COLUMNS + """
                         from notify_delivery
                        where id = ? and status = 'pending' and channel <> 'digest' and next_attempt_at <= ?
                        for update skip locked
                        """)
                .params(id, Timestamp.from(now))
                .query(Outbox::map)
                .optional();
    }

    /** Locks the delivery that has been due longest and that no other attempt holds. */
    Optional<Delivery> claimNextDue(Instant now) {
        return jdbc.sql("select " + COLUMNS + """
                         from notify_delivery
                        where status = 'pending' and channel <> 'digest' and next_attempt_at <= ?
                        order by next_attempt_at
                        limit 1
                        for update skip locked
                        """)
                .param(Timestamp.from(now))
                .query(Outbox::map)
                .optional();
    }

    void markSent(UUID id, int attempts, Instant at) {
        jdbc.sql("""
                        update notify_delivery
                           set status = 'sent', attempts = ?, sent_at = ?, updated_at = ?, next_attempt_at = null,
                               last_error = null
                         where id = ?
                        """)
                .params(attempts, Timestamp.from(at), Timestamp.from(at), id)
                .update();
    }

    /** Email while no SMTP server is configured: not an attempt, and not tried again until an administrator asks. */
    void markNotConfigured(UUID id, String reason, Instant at) {
        jdbc.sql("""
                        update notify_delivery
                           set status = 'not_configured', last_error = ?, updated_at = ?, next_attempt_at = null
                         where id = ?
                        """).params(reason, Timestamp.from(at), id).update();
    }

    /** A failed attempt: tried again at {@code next}, or given up on ({@code next} null). */
    void markFailed(UUID id, int attempts, Instant next, String error, Instant at) {
        jdbc.sql("""
                        update notify_delivery
                           set status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?
                         where id = ?
                        """)
                .params(
                        next == null ? "failed" : "pending",
                        attempts,
                        next == null ? null : Timestamp.from(next),
                        error,
                        Timestamp.from(at),
                        id)
                .update();
    }

    /** Makes a delivery that is not sent due now (one more attempt for a failed one); whether there was one. */
    boolean retryNow(UUID id, Instant at) {
        return jdbc.sql("""
                        update notify_delivery set status = 'pending', next_attempt_at = ?, updated_at = ?
                         where id = ? and status in ('pending', 'failed', 'not_configured') and channel <> 'digest'
                        """).params(Timestamp.from(at), Timestamp.from(at), id).update() > 0;
    }

    /** Makes every email kept while SMTP was not configured due now; their ids. */
    List<UUID> retryNotConfigured(Instant at) {
        return jdbc.sql("""
                        update notify_delivery set status = 'pending', next_attempt_at = ?, updated_at = ?
                         where status = 'not_configured'
                        returning id
                        """)
                .params(Timestamp.from(at), Timestamp.from(at))
                .query(UUID.class)
                .list();
    }

    /**
     * What is not delivered (pending, failed, kept while email is off), most recently changed first, with what each
     * is about: the notification's subject, the digest's, or the event's kind; and the endpoint's URL.
     */
    List<OutboxEntry> open(int limit) {
        return jdbc.sql("""
                        select d.id, d.channel, d.status, d.recipient_id, d.attempts, d.next_attempt_at, d.last_error,
                               d.created_at, d.updated_at, coalesce(n.subject, d.subject, e.kind) as about,
                               coalesce(w.url, d.to_address) as url
                          from notify_delivery d
                          left join notify_notification n on n.id = d.notification_id
                          left join notify_event e on e.id = d.event_id
                          left join notify_webhook w on w.id = d.endpoint_id
                         where d.status <> 'sent' and d.channel <> 'digest'
                         order by d.updated_at desc, d.id desc
                         limit ?
                        """)
                .param(limit)
                .query((rs, row) -> new OutboxEntry(
                        rs.getObject("id", UUID.class),
                        Delivery.Channel.valueOf(rs.getString("channel")),
                        Delivery.Status.valueOf(rs.getString("status")),
                        rs.getObject("recipient_id", UUID.class),
                        rs.getString("url"),
                        rs.getString("about"),
                        rs.getInt("attempts"),
                        instant(rs.getTimestamp("next_attempt_at")),
                        rs.getString("last_error"),
                        instant(rs.getTimestamp("created_at")),
                        instant(rs.getTimestamp("updated_at"))))
                .list();
    }

    /** How many email and webhook deliveries are in each status, for the outbox page's summary. */
    Map<Delivery.Status, Integer> countsByStatus() {
        Map<Delivery.Status, Integer> counts = new java.util.EnumMap<>(Delivery.Status.class);
        for (Delivery.Status status : Delivery.Status.values()) {
            counts.put(status, 0);
        }
        jdbc.sql("select status, count(*) from notify_delivery where channel <> 'digest' group by status")
                .query((rs, row) -> counts.put(Delivery.Status.valueOf(rs.getString(1)), rs.getInt(2)))
                .list();
        return counts;
    }

    /** How many notifications wait for their recipients' daily digest. */
    int waitingForDigest() {
        return jdbc.sql("select count(*) from notify_delivery where channel = 'digest' and status = 'pending'")
                .query(Integer.class)
                .single();
    }

    /** How these emails are doing; ids that are not email deliveries (or are gone) are left out. */
    Map<UUID, EmailStatus> emailStatuses(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbc
                .sql("""
                        select id, status, attempts, last_error, next_attempt_at, sent_at, updated_at
                          from notify_delivery
                         where id = any(?) and channel = 'email'
                        """)
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query((rs, row) -> new EmailStatus(
                        rs.getObject("id", UUID.class),
                        rs.getString("status"),
                        rs.getInt("attempts"),
                        rs.getString("last_error"),
                        instant(rs.getTimestamp("next_attempt_at")),
                        instant(rs.getTimestamp("sent_at")),
                        rs.getTimestamp("updated_at").toInstant()))
                .list()
                .stream()
                .collect(Collectors.toMap(EmailStatus::delivery, Function.identity()));
    }

    List<Delivery> find(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from notify_delivery where id = any(?)")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query(Outbox::map)
                .list();
    }

    Map<UUID, Delivery> byId(Collection<UUID> ids) {
        return find(ids).stream().collect(Collectors.toMap(Delivery::id, Function.identity()));
    }

    /**
     * Locks every notification waiting for a digest that no other run holds, oldest first, at most {@code limit}: the
     * digest run that took them sends each once.
     */
    List<Delivery> takeDigestItems(int limit) {
        return jdbc.sql("select " + COLUMNS + """
                         from notify_delivery
                        where status = 'pending' and channel = 'digest'
                        order by recipient_id, created_at, id
                        limit ?
                        for update skip locked
                        """)
                .param(limit)
                .query(Outbox::map)
                .list();
    }

    /** The items went into the digest email {@code digest}. */
    void markDigested(Collection<UUID> items, UUID digest, Instant at) {
        jdbc.sql("""
                        update notify_delivery
                           set status = 'sent', digest_id = ?, sent_at = ?, updated_at = ?, next_attempt_at = null
                         where id = any(?)
                        """)
                .params(digest, Timestamp.from(at), Timestamp.from(at), new SqlArrayValue("uuid", items.toArray()))
                .update();
    }

    static Delivery map(ResultSet rs, int row) throws SQLException {
        return new Delivery(
                rs.getObject("id", UUID.class),
                Delivery.Channel.valueOf(rs.getString("channel")),
                Delivery.Status.valueOf(rs.getString("status")),
                rs.getObject("recipient_id", UUID.class),
                rs.getObject("notification_id", UUID.class),
                rs.getObject("event_id", UUID.class),
                rs.getObject("endpoint_id", UUID.class),
                rs.getString("subject"),
                rs.getString("body"),
                rs.getInt("attempts"),
                instant(rs.getTimestamp("next_attempt_at")),
                rs.getString("last_error"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")),
                instant(rs.getTimestamp("sent_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
