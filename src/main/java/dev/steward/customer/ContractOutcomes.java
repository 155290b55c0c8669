package dev.steward.customer;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;

/**
 * Reads every account's contracts over a span of days at once, each with what became of it at renewal, for backtests
 * and churn analysis; the renewal rule is the one {@link Renewal} applies to one account.
 */
@Service
public class ContractOutcomes {

    private final JdbcClient jdbc;
    private final Clock clock;

    ContractOutcomes(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * A contract's term (start inclusive, end exclusive), its ARR, the summed ARR of the contracts that renew it
     * ({@code null} when none does) and what became of it, as known today.
     */
    public record ContractOutcome(
            UUID contract,
            UUID account,
            String source,
            LocalDate start,
            LocalDate end,
            BigDecimal arr,
            BigDecimal renewalArr,
            RenewalOutcome outcome) {

        /** Whether the contract was in force on the day; one without an end runs until it is ended. */
        public boolean inForceOn(LocalDate day) {
            return !start.isAfter(day) && (end == null || day.isBefore(end));
        }
    }

    /**
     * Every contract whose term touches the days from {@code from} to {@code to}, by account and start; an open-ended
     * one has no end.
     */
    public List<ContractOutcome> between(LocalDate from, LocalDate to) {
        return jdbc.sql("""
                        select c.id, c.account_id, c.start_date, c.end_date, c.arr, c.status, s.arr,
                               coalesce(c.source, :none)
                          from contract c
                          left join (select previous_contract_id, sum(arr) as arr from contract
                                      where previous_contract_id is not null group by previous_contract_id) s
                            on s.previous_contract_id = c.id
                         where c.start_date <= :to and (c.end_date is null or c.end_date >= :from)
                         order by c.account_id, c.start_date, c.id""")
                .param("from", from)
                .param("to", to)
                .param("none", CustomerFreshness.NO_SOURCE)
                .query(this::outcome)
                .list();
    }

    /**
     * The contracts that end (come up for renewal) from {@code from} to {@code to}, both included, with what became of
     * them, of the accounts of one tier ({@code null}: of every account); by end and account.
     */
    public List<ContractOutcome> endingBetween(LocalDate from, LocalDate to, @Nullable String tier) {
        return jdbc.sql("""
                        select c.id, c.account_id, c.start_date, c.end_date, c.arr, c.status, s.arr,
                               coalesce(c.source, :none)
                          from contract c
                          join account a on a.id = c.account_id and (cast(:tier as text) is null or a.tier = :tier)
                          left join lateral (select sum(n.arr) as arr from contract n
                                              where n.previous_contract_id = c.id) s on true
                         where c.end_date between :from and :to
                         order by c.end_date, c.account_id, c.id""")
                .param("from", from)
                .param("to", to)
                .param("tier", tier)
                .param("none", CustomerFreshness.NO_SOURCE)
                .query(this::outcome)
                .list();
    }

    private ContractOutcome outcome(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        LocalDate today = LocalDate.now(clock);
        LocalDate end = rs.getObject(4, LocalDate.class);
        BigDecimal arr = rs.getBigDecimal(5);
        BigDecimal renewal = rs.getBigDecimal(7);
        ContractStatus status = ContractStatus.valueOf(rs.getString(6).toUpperCase(java.util.Locale.ROOT));
        return new ContractOutcome(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                rs.getString(8),
                rs.getObject(3, LocalDate.class),
                end,
                arr,
                renewal,
                Renewal.outcome(arr, renewal, status, end, today));
    }

    /** The sources of these accounts' contracts (those without one as {@value CustomerFreshness#NO_SOURCE}). */
    public Set<String> sourcesOf(Collection<UUID> accounts) {
        return new HashSet<>(
                jdbc.sql("select distinct coalesce(source, :none) from contract where account_id = any(:ids)")
                        .param("none", CustomerFreshness.NO_SOURCE)
                        .param("ids", new SqlArrayValue("uuid", accounts.toArray()))
                        .query(String.class)
                        .list());
    }

    /** The accounts that have at least one contract, of any time. */
    public Set<UUID> accountsWithContracts() {
        Set<UUID> accounts = new HashSet<>();
        jdbc.sql("select distinct account_id from contract").query(rs -> {
            accounts.add(rs.getObject(1, UUID.class));
        });
        return accounts;
    }
}
