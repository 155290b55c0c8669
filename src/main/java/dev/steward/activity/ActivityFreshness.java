package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;

/**
 * The time of each account's latest fact of a kind (the time it became true), for reports across every account
 * such as data quality; one grouped statement per kind, read along the kind's (account, time) index.
 */
@Service
public class ActivityFreshness {

    private final JdbcClient jdbc;

    ActivityFreshness(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Map<AccountId, Instant> latestTickets() {
        return latest(ActivityKinds.TICKETS);
    }

    public Map<AccountId, Instant> latestInvoices() {
        return latest(ActivityKinds.INVOICES);
    }

    public Map<AccountId, Instant> latestMeetings() {
        return latest(ActivityKinds.MEETINGS);
    }

    public Map<AccountId, Instant> latestSurveyResponses() {
        return latest(ActivityKinds.SURVEY_RESPONSES);
    }

    public Map<AccountId, Instant> latestSentiments() {
        return latest(ActivityKinds.SENTIMENTS);
    }

    /**
     * For each of these accounts that has any activity, the day of its earliest fact of any kind (churn events and Steward's own health events aside):
     * the first sign that it was a customer, for accounts without contracts.
     */
    public Map<UUID, LocalDate> earliestFacts(Collection<UUID> accounts) {
        Map<UUID, LocalDate> earliest = new HashMap<>();
        if (accounts.isEmpty()) {
            return earliest;
        }
        for (FactTable<?, ?> table : ActivityKinds.BY_KIND.values()) {
            if (table == ActivityKinds.CHURN_EVENTS || table == ActivityKinds.HEALTH_EVENTS) {
                // A churn is no sign of being a customer, and health events are Steward's own.
                continue;
            }
            jdbc.sql("select account_id, min(" + table.atExpression() + ") as at from " + table.table()
                            + " where account_id = any(:accounts) group by account_id")
                    .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                    .query(rs -> {
                        LocalDate day = rs.getTimestamp("at")
                                .toInstant()
                                .atZone(ZoneOffset.UTC)
                                .toLocalDate();
                        earliest.merge(rs.getObject("account_id", UUID.class), day, (a, b) -> a.isBefore(b) ? a : b);
                    });
        }
        return earliest;
    }

    private Map<AccountId, Instant> latest(FactTable<?, ?> table) {
        Map<AccountId, Instant> latest = new HashMap<>();
        jdbc.sql("select account_id, max(" + table.atExpression() + ") as at from " + table.table()
                        + " group by account_id")
                .query(rs -> {
                    latest.put(
                            new AccountId(rs.getObject("account_id", UUID.class)),
                            rs.getTimestamp("at").toInstant());
                });
        return latest;
    }
}
