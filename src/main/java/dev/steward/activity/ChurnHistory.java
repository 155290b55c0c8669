package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;

/**
 * Reads every account's churn events over a span of days at once, for backtests and churn analysis, and the days
 * accounts churned on, for telling former customers apart.
 */
@Service
public class ChurnHistory {

    private final JdbcClient jdbc;

    ChurnHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The churn events dated from {@code from} to {@code to}, both included, oldest first. */
    public List<ChurnEvent> between(LocalDate from, LocalDate to) {
        return jdbc.sql("""
                        select id, account_id, source, external_id, churned_on, reason_category, reason, arr_lost
                          from churn_event where churned_on >= :from and churned_on <= :to
                         order by churned_on, id""")
                .param("from", from)
                .param("to", to)
                .query((rs, row) -> new ChurnEvent(
                        rs.getObject(1, UUID.class),
                        new AccountId(rs.getObject(2, UUID.class)),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getObject(5, LocalDate.class),
                        ChurnEvent.ReasonCategory.valueOf(rs.getString(6)),
                        rs.getString(7),
                        rs.getBigDecimal(8)))
                .list();
    }

    /** The sources of these accounts' churn events. */
    public Set<String> sourcesOf(Collection<UUID> accounts) {
        return new HashSet<>(jdbc.sql("select distinct source from churn_event where account_id = any(:ids)")
                .param("ids", new SqlArrayValue("uuid", accounts.toArray()))
                .query(String.class)
                .list());
    }

    /** The days these accounts' churn events are dated, by account; accounts without any are absent. */
    public Map<UUID, List<LocalDate>> days(Collection<UUID> accounts) {
        Map<UUID, List<LocalDate>> days = new HashMap<>();
        if (accounts.isEmpty()) {
            return days;
        }
        jdbc.sql("select account_id, churned_on from churn_event where account_id = any(?)")
                .param(new SqlArrayValue("uuid", accounts.toArray()))
                .query(rs -> {
                    days.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(rs.getObject(2, LocalDate.class));
                });
        return days;
    }
}
