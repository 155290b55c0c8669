package dev.steward.outreach;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What journeys' emails did after they left, kept beside their sends: the Message-ID each went out with, its first
 * open (tracking pixel) and clicks (tracked links), and the reply mailbox's messages already handled.
 */
@Component
class SendTracking {

    private final JdbcClient jdbc;

    SendTracking(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void recordMessageId(UUID send, String messageId) {
        jdbc.sql("update outreach_send set message_id = ? where id = ? and message_id is null")
                .params(messageId, send)
                .update();
    }

    /** The send one of these Message-IDs names (the first that one does), if any. */
    Optional<EmailJourneys.Send> sendByMessageId(List<String> messageIds) {
        for (String id : messageIds) {
            Optional<UUID> send = jdbc.sql("select id from outreach_send where message_id = ?")
                    .param(id)
                    .query(UUID.class)
                    .optional();
            if (send.isPresent()) {
                return jdbc.sql("select * from outreach_send where id = ?")
                        .param(send.get())
                        .query((rs, n) -> new EmailJourneys.Send(
                                rs.getObject("id", UUID.class),
                                rs.getObject("enrolment_id", UUID.class),
                                rs.getObject("journey_id", UUID.class),
                                rs.getInt("step"),
                                rs.getString("kind"),
                                rs.getObject("account_id", UUID.class),
                                rs.getObject("contact_id", UUID.class),
                                rs.getString("email"),
                                rs.getString("subject"),
                                rs.getObject("delivery_id", UUID.class),
                                rs.getObject("survey_id", UUID.class),
                                rs.getTimestamp("sent_at").toInstant(),
                                instant(rs.getTimestamp("bounced_at")),
                                instant(rs.getTimestamp("replied_at")),
                                instant(rs.getTimestamp("unsubscribed_at"))))
                        .optional();
            }
        }
        return Optional.empty();
    }

    private static Instant instant(Timestamp at) {
        return at == null ? null : at.toInstant();
    }

    /** The send's random token (the key its tracking links are signed with), if the send exists. */
    Optional<String> tokenOf(UUID send) {
        return jdbc.sql("select token from outreach_send where id = ? and kind = 'email'")
                .param(send)
                .query(String.class)
                .optional();
    }

    /** Records the send's first open; whether this was it. */
    boolean opened(UUID send, Instant at) {
        return jdbc.sql("update outreach_send set opened_at = ? where id = ? and opened_at is null")
                        .params(Timestamp.from(at), send)
                        .update()
                > 0;
    }

    /** Records a click of one of the send's links (a click is an open too, whether or not images were shown). */
    void clicked(UUID send, Instant at) {
        jdbc.sql("""
                        update outreach_send
                           set clicks = clicks + 1, clicked_at = coalesce(clicked_at, ?), opened_at = coalesce(opened_at, ?)
                         where id = ?""").params(Timestamp.from(at), Timestamp.from(at), send).update();
    }

    /** Whether the contact of an enrolment opened (or clicked, {@code clicked}) one of its emails. */
    boolean openedAny(UUID enrolment, boolean clicked) {
        return jdbc.sql("select exists (select 1 from outreach_send where enrolment_id = ? and "
                        + (clicked ? "clicked_at" : "opened_at") + " is not null)")
                .param(enrolment)
                .query(Boolean.class)
                .single();
    }

    /** Per send of these: {opened, clicked} as 0 or 1. */
    Map<UUID, int[]> opens(Collection<UUID> sends) {
        Map<UUID, int[]> found = new HashMap<>();
        if (sends.isEmpty()) {
            return found;
        }
        jdbc.sql("select id, opened_at is not null, clicked_at is not null from outreach_send where id = any(?)")
                .param(sends.toArray(UUID[]::new))
                .query(rs -> {
                    found.put(rs.getObject(1, UUID.class), new int[] {rs.getBoolean(2) ? 1 : 0, rs.getBoolean(3) ? 1 : 0
                    });
                });
        return found;
    }

    /** Records a mailbox message as handled; false when it was handled before (nothing is to be done again). */
    boolean firstHandling(String messageKey, Instant at) {
        return jdbc.sql("insert into outreach_handled_message (message_key, handled_at) values (?, ?)"
                                + " on conflict (message_key) do nothing")
                        .params(messageKey, Timestamp.from(at))
                        .update()
                > 0;
    }
}
