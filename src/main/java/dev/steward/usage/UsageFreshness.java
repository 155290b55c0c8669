package dev.steward.usage;

import dev.steward.customer.AccountId;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The latest day each account has usage for, for reports across every account such as data quality. */
@Service
public class UsageFreshness {

    private final JdbcClient jdbc;

    UsageFreshness(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Per account, its latest day with any usage value. Rather than reading every daily row, it skips from one
     * account to the next along the primary key and asks each catalog metric for its latest day: a few index
     * probes per account, however long the history.
     */
    public Map<AccountId, LocalDate> latestDays() {
        Map<AccountId, LocalDate> latest = new HashMap<>();
        jdbc.sql("""
                        with recursive accounts (account_id) as (
                            (select account_id from usage_daily order by account_id limit 1)
                            union all
                            select (select u.account_id from usage_daily u
                                    where u.account_id > a.account_id order by u.account_id limit 1)
                            from accounts a where a.account_id is not null
                        )
                        select a.account_id,
                               (select max((select u.day from usage_daily u
                                            where u.account_id = a.account_id and u.metric = m.key
                                            order by u.day desc limit 1))
                                from usage_metric m) as day
                        from accounts a where a.account_id is not null""").query(rs -> {
            java.sql.Date day = rs.getDate("day");
            if (day != null) {
                latest.put(new AccountId(rs.getObject("account_id", UUID.class)), day.toLocalDate());
            }
        });
        return latest;
    }
}
