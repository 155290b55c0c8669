package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
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
