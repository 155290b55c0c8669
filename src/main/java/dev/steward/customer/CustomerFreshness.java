package dev.steward.customer;

import dev.steward.core.DataHorizon;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
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

    /** The kind of contracts, as {@link DataHorizon#kind()} names it. */
    public static final String CONTRACTS = "contract";

    /** The source of contracts written without one (through the API, one by one). */
    public static final String NO_SOURCE = "api";

    private final JdbcClient jdbc;

    CustomerFreshness(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * How many customers no published scorecard applied to when they were last re-scored (see {@link
     * Account.Unscored#NO_SCORECARD}).
     */
    public long withoutScorecard() {
        return jdbc.sql("select count(*) from account where unscored_reason is not null")
                .query(Long.class)
                .single();
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

    /**
     * Per account, the day its latest contract started: a contract is a fact from the day it starts, however long ago
     * it was imported (an export of two-year-old subscriptions is two years old).
     */
    public Map<AccountId, Instant> latestContractChanges() {
        Map<AccountId, Instant> latest = new HashMap<>();
        jdbc.sql("select account_id, max(start_date) as at from contract group by account_id")
                .query(rs -> {
                    latest.put(
                            new AccountId(rs.getObject("account_id", UUID.class)),
                            rs.getObject("at", LocalDate.class)
                                    .atStartOfDay(ZoneOffset.UTC)
                                    .toInstant());
                });
        return latest;
    }

    /**
     * Where each source's contracts begin and end: the first and last day one of them started (contracts created
     * without a source count as {@value #NO_SOURCE}).
     */
    public List<DataHorizon> contractHorizons() {
        return jdbc.sql("""
                        select coalesce(source, :none), min(start_date), max(start_date) from contract
                         group by 1 order by 1""")
                .param("none", NO_SOURCE)
                .query((rs, n) -> new DataHorizon(
                        CONTRACTS, rs.getString(1), rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class)))
                .list();
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
