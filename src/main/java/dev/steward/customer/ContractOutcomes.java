package dev.steward.customer;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
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
            LocalDate start,
            LocalDate end,
            BigDecimal arr,
            BigDecimal renewalArr,
            RenewalOutcome outcome) {

        /** Whether the contract was in force on the day. */
        public boolean inForceOn(LocalDate day) {
            return !start.isAfter(day) && day.isBefore(end);
        }
    }

    /** Every contract whose term touches the days from {@code from} to {@code to}, by account and start. */
    public List<ContractOutcome> between(LocalDate from, LocalDate to) {
        LocalDate today = LocalDate.now(clock);
        return jdbc.sql("""
                        select c.id, c.account_id, c.start_date, c.end_date, c.arr, c.status, s.arr
                          from contract c
                          left join (select previous_contract_id, sum(arr) as arr from contract
                                      where previous_contract_id is not null group by previous_contract_id) s
                            on s.previous_contract_id = c.id
                         where c.start_date <= :to and c.end_date >= :from
                         order by c.account_id, c.start_date, c.id""")
                .param("from", from)
                .param("to", to)
                .query((rs, row) -> {
                    LocalDate end = rs.getObject(4, LocalDate.class);
                    BigDecimal arr = rs.getBigDecimal(5);
                    BigDecimal renewal = rs.getBigDecimal(7);
                    ContractStatus status =
                            ContractStatus.valueOf(rs.getString(6).toUpperCase(java.util.Locale.ROOT));
                    return new ContractOutcome(
                            rs.getObject(1, UUID.class),
                            rs.getObject(2, UUID.class),
                            rs.getObject(3, LocalDate.class),
                            end,
                            arr,
                            renewal,
                            Renewal.outcome(arr, renewal, status, end, today));
                })
                .list();
    }
}
