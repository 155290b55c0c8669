package dev.steward.customer;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * When each account's customer records (contacts, contracts, opportunities) last changed, for reports across every
 * account such as data quality; one grouped statement per kind of record.
 */
@Service
public class CustomerFreshness {

    private final JdbcClient jdbc;

    CustomerFreshness(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every account's name. */
    public Map<AccountId, String> accountNames() {
        Map<AccountId, String> names = new HashMap<>();
        jdbc.sql("select id, name from account").query(rs -> {
            names.put(new AccountId(rs.getObject("id", UUID.class)), rs.getString("name"));
        });
        return names;
    }

    /** Per account, the last time one of its contacts was added or changed. */
    public Map<AccountId, Instant> latestContactChanges() {
        return latest("contact");
    }

    /** Per account, the last time one of its contracts was added or changed. */
    public Map<AccountId, Instant> latestContractChanges() {
        return latest("contract");
    }

    /** Per account, the last time one of its opportunities was added or changed. */
    public Map<AccountId, Instant> latestOpportunityChanges() {
        return latest("opportunity");
    }

    private Map<AccountId, Instant> latest(String table) {
        Map<AccountId, Instant> latest = new HashMap<>();
        jdbc.sql("select account_id, max(updated_at) as at from " + table + " group by account_id")
                .query(rs -> {
                    latest.put(
                            new AccountId(rs.getObject("account_id", UUID.class)),
                            rs.getTimestamp("at").toInstant());
                });
        return latest;
    }
}
