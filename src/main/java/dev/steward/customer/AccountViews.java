package dev.steward.customer;

import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Which accounts' pages each person opened on which day, kept once per person, account and day (a reload adds
 * nothing), for the adoption figures.
 */
@Service
public class AccountViews {

    /** A person opened an account's page on a day. */
    public record View(UUID user, UUID account, LocalDate day) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    AccountViews(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records that this person opened the account's page today. */
    void viewed(UUID user, AccountId account) {
        jdbc.sql("insert into account_view (user_id, account_id, day) values (?, ?, ?) on conflict do nothing")
                .params(user, account.value(), Date.valueOf(LocalDate.now(clock)))
                .update();
    }

    /** Every view from {@code from} to {@code to}, both included. */
    public List<View> between(LocalDate from, LocalDate to) {
        return jdbc.sql("select user_id, account_id, day from account_view where day between ? and ?")
                .params(Date.valueOf(from), Date.valueOf(to))
                .query((rs, n) -> new View(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getDate(3).toLocalDate()))
                .list();
    }

    /** The first day Steward recorded a view on: before it, views were not counted. */
    public Optional<LocalDate> recordedSince() {
        return jdbc.sql("select day from account_view order by day limit 1")
                .query(Date.class)
                .optional()
                .map(Date::toLocalDate);
    }
}
