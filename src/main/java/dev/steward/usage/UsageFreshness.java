package dev.steward.usage;

import dev.steward.customer.AccountId;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;

/** The latest day each account has usage for, for reports across every account such as data quality. */
@Service
public class UsageFreshness {

    private final JdbcClient jdbc;

    UsageFreshness(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Per account, its latest day up to {@code upTo} with any usage value; values dated later (sent with a wrong
     * clock, or planned) do not make usage look recent. Rather than reading every daily row, it walks the primary
     * key backwards from one (account, metric) pair to the next: each step is one index probe that lands on the
     * pair's latest day, so the cost follows the number of pairs, not the length of the history.
     */
    public Map<AccountId, LocalDate> latestDays(LocalDate upTo) {
        Map<AccountId, LocalDate> latest = new HashMap<>();
        jdbc.sql("""
                        with recursive pairs (account_id, metric, day) as (
                            (select account_id, metric, day from usage_daily where day <= :upTo
                             order by account_id desc, metric desc, day desc limit 1)
                            union all
                            select next.account_id, next.metric, next.day
                            from pairs p, lateral (
                                select u.account_id, u.metric, u.day from usage_daily u
                                where (u.account_id, u.metric) < (p.account_id, p.metric) and u.day <= :upTo
                                order by u.account_id desc, u.metric desc, u.day desc limit 1) next
                        )
                        select account_id, max(day) as day from pairs group by account_id""").param("upTo", upTo).query(rs -> {
            latest.put(
                    new AccountId(rs.getObject("account_id", UUID.class)),
                    rs.getDate("day").toLocalDate());
        });
        return latest;
    }

    /** For each of these accounts that has any usage, its first day with a value. */
    public Map<UUID, LocalDate> firstDays(Collection<UUID> accounts) {
        Map<UUID, LocalDate> first = new HashMap<>();
        if (accounts.isEmpty()) {
            return first;
        }
        jdbc.sql("select account_id, first_day from usage_account where account_id = any(:accounts)")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .query(rs -> {
                    first.put(rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class));
                });
        return first;
    }
}
