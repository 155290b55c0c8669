package dev.steward.activity;

import dev.steward.activity.ActivityWindow.InvoiceFact;
import dev.steward.activity.ActivityWindow.MeetingFact;
import dev.steward.activity.ActivityWindow.SentimentFact;
import dev.steward.activity.ActivityWindow.SurveyFact;
import dev.steward.activity.ActivityWindow.TicketFact;
import dev.steward.core.BulkReads;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;

/**
 * Reads many accounts' activity facts over a span of days at once, set-based, for scoring and backtests; facts are
 * placed by the time they happened, so a span that ends in the past sees the account as it stood then.
 */
@Service
public class ActivityWindows {

    private final JdbcTemplate template;

    ActivityWindows(JdbcTemplate template) {
        this.template = template;
    }

    /**
     * The facts of these accounts from the start of {@code from} to the end of {@code to} (UTC days): tickets opened
     * or resolved in the span, invoices issued in it or issued before and unpaid at its start (either opened at most
     * {@value ActivityWindow#OPEN_FOR_AT_MOST} days before the span), and the meetings,
     * survey responses and sentiments recorded in it. Facts after {@code to} are never read, and neither is what
     * became true of a fact after {@code to} (a ticket resolved later reads as unresolved).
     */
    public Map<UUID, ActivityWindow> read(Collection<UUID> accounts, LocalDate from, LocalDate to) {
        Object[] ids = accounts.toArray();
        Timestamp start = Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant());
        Timestamp end =
                Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Map<UUID, List<TicketFact>> tickets = new HashMap<>();
        BulkReads.query(
                template,
                """
                        select account_id, opened_at, case when resolved_at < :end then resolved_at end, escalated,
                               case when resolved_at < :end then csat end
                          from ticket
                         where account_id = any(:accounts) and opened_at < :end and opened_at >= :oldest
                           and (opened_at >= :start or resolved_at >= :start or resolved_at is null)""",
                Map.of(
                        "accounts",
                        new SqlArrayValue("uuid", ids),
                        "start",
                        start,
                        "end",
                        end,
                        "oldest",
                        Timestamp.from(from.minusDays(ActivityWindow.OPEN_FOR_AT_MOST)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant())),
                rs -> {
                    add(
                            tickets,
                            rs.getObject(1, UUID.class),
                            new TicketFact(
                                    rs.getTimestamp(2).toInstant(),
                                    instant(rs.getTimestamp(3)),
                                    rs.getBoolean(4),
                                    (Integer) rs.getObject(5)));
                });
        Map<UUID, List<InvoiceFact>> invoices = new HashMap<>();
        BulkReads.query(
                template,
                """
                        select account_id, issued_on, due_on, case when paid_on <= :to then paid_on end,
                               status not in ('void', 'draft')
                          from invoice
                         where account_id = any(:accounts) and issued_on <= :to and issued_on >= :oldest
                           and (issued_on >= :from or paid_on is null or paid_on >= :from)""",
                Map.of(
                        "accounts",
                        new SqlArrayValue("uuid", ids),
                        "from",
                        from,
                        "to",
                        to,
                        "oldest",
                        from.minusDays(ActivityWindow.OPEN_FOR_AT_MOST)),
                rs -> {
                    add(
                            invoices,
                            rs.getObject(1, UUID.class),
                            new InvoiceFact(
                                    rs.getObject(2, LocalDate.class),
                                    rs.getObject(3, LocalDate.class),
                                    rs.getObject(4, LocalDate.class),
                                    rs.getBoolean(5)));
                });
        Map<UUID, List<MeetingFact>> meetings = new HashMap<>();
        BulkReads.query(
                template, """
                        select account_id, occurred_at, type, executive_sponsor_attended from meeting
                         where account_id = any(:accounts) and occurred_at >= :start and occurred_at < :end""", Map.of("accounts", new SqlArrayValue("uuid", ids), "start", start, "end", end), rs -> {
                    add(
                            meetings,
                            rs.getObject(1, UUID.class),
                            new MeetingFact(rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getBoolean(4)));
                });
        Map<UUID, List<SurveyFact>> surveys = new HashMap<>();
        BulkReads.query(
                template, """
                        select account_id, responded_at, kind, score from survey_response
                         where account_id = any(:accounts) and responded_at >= :start and responded_at < :end""", Map.of("accounts", new SqlArrayValue("uuid", ids), "start", start, "end", end), rs -> {
                    add(
                            surveys,
                            rs.getObject(1, UUID.class),
                            new SurveyFact(rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getInt(4)));
                });
        Map<UUID, List<SentimentFact>> sentiments = new HashMap<>();
        BulkReads.query(
                template, """
                        select account_id, recorded_at, score from sentiment
                         where account_id = any(:accounts) and recorded_at >= :start and recorded_at < :end""", Map.of("accounts", new SqlArrayValue("uuid", ids), "start", start, "end", end), rs -> {
                    add(
                            sentiments,
                            rs.getObject(1, UUID.class),
                            new SentimentFact(rs.getTimestamp(2).toInstant(), rs.getInt(3)));
                });
        Map<UUID, ActivityWindow> windows = new HashMap<>();
        for (Object id : ids) {
            UUID account = (UUID) id;
            windows.put(
                    account,
                    new ActivityWindow(
                            tickets.getOrDefault(account, List.of()),
                            invoices.getOrDefault(account, List.of()),
                            meetings.getOrDefault(account, List.of()),
                            surveys.getOrDefault(account, List.of()),
                            sentiments.getOrDefault(account, List.of())));
        }
        return windows;
    }

    private static <T> void add(Map<UUID, List<T>> byAccount, UUID account, T fact) {
        byAccount.computeIfAbsent(account, k -> new ArrayList<>()).add(fact);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
