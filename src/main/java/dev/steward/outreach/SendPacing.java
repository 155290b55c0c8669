package dev.steward.outreach;

import dev.steward.customer.Account;
import dev.steward.customer.Contact;
import dev.steward.notify.Notifications;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * When a journey's email may go: in the contact's own time zone (the contact's {@code timeZone}, else the account's
 * {@code time_zone} custom field, else {@code steward.outreach.time-zone}) for send windows, and within its sender's daily limit. Each sender address may
 * send at most {@code steward.outreach.sender-daily-limit} emails (or its own limit in
 * {@code steward.outreach.sender-limits}) a day of {@code steward.outreach.time-zone}, counted over every journey's
 * emails and survey steps as the frequency cap counts them; the rest wait for the next day, never dropped.
 */
@Component
class SendPacing {

    /** The account custom fields read as the account's time zone (an IANA name such as Europe/Berlin). */
    static final java.util.List<String> ZONE_FIELDS = java.util.List.of("time_zone", "timeZone", "timezone");

    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>\"]+@[^\\s@<>\"]+");

    private final OutreachProperties properties;
    private final Notifications notifications;
    private final JdbcClient jdbc;

    SendPacing(OutreachProperties properties, Notifications notifications, JdbcClient jdbc) {
        this.properties = properties;
        this.notifications = notifications;
        this.jdbc = jdbc;
    }

    /** The contact's time zone: their own, else the account's, else the company's default. */
    ZoneId zoneOf(@Nullable Contact contact, @Nullable Account account) {
        if (contact != null && contact.timeZone() != null) {
            try {
                return ZoneId.of(contact.timeZone());
            } catch (DateTimeException e) {
                // Checked when stored; a zone the JVM no longer knows falls back.
            }
        }
        Map<String, Object> fields = account == null ? null : account.customFields();
        if (fields != null) {
            for (String name : ZONE_FIELDS) {
                if (fields.get(name) instanceof String zone && !zone.isBlank()) {
                    try {
                        return ZoneId.of(zone.strip());
                    } catch (DateTimeException e) {
                        // Not a zone: the company's default stands.
                    }
                }
            }
        }
        return properties.timeZone();
    }

    /** The address a journey's emails come from, in lower case. */
    String sender(JourneyDocument document) {
        return address(document.from() != null ? document.from() : notifications.sender());
    }

    /** The address Steward's own emails (and surveys) come from, in lower case. */
    String configuredSender() {
        return address(notifications.sender());
    }

    private static String address(String from) {
        Matcher matcher = ADDRESS.matcher(from);
        return matcher.find() ? matcher.group().toLowerCase(Locale.ROOT) : from.toLowerCase(Locale.ROOT);
    }

    /** Counts what a step just sent against its sender. */
    void sent(java.util.UUID enrolment, int step, String sender) {
        jdbc.sql("update outreach_send set sender = ? where enrolment_id = ? and step = ?")
                .params(sender, enrolment, step)
                .update();
    }

    /** How many emails the address may send a day. */
    int limit(String sender) {
        return properties.senderLimits().getOrDefault(sender, properties.senderDailyLimit());
    }

    /** The start of the sender's day that holds {@code at}. */
    Instant dayStart(Instant at) {
        return LocalDate.ofInstant(at, properties.timeZone())
                .atStartOfDay(properties.timeZone())
                .toInstant();
    }

    /** The start of the next sender's day after the one that holds {@code at}. */
    Instant nextDay(Instant at) {
        return LocalDate.ofInstant(at, properties.timeZone())
                .plusDays(1)
                .atStartOfDay(properties.timeZone())
                .toInstant();
    }

    /** What journeys sent from the address in the sender's day that holds {@code at}. */
    int sentOn(String sender, Instant at) {
        return jdbc.sql("select count(*) from outreach_send where sender = ? and sent_at >= ? and sent_at < ?")
                .params(sender, Timestamp.from(dayStart(at)), Timestamp.from(nextDay(at)))
                .query(Integer.class)
                .single();
    }

    /**
     * {@code null} when the sender may send one more email now, else when its next day starts. Holds a transaction lock
     * on the sender, so that instances advancing contacts at once count each other's sends.
     */
    @Nullable
    Instant limitReached(String sender, Instant now) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext(?))")
                .param("outreach-sender:" + sender)
                .query((rs, n) -> 1)
                .list();
        return sentOn(sender, now) < limit(sender) ? null : nextDay(now);
    }
}
