package dev.steward.identity;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Who signed in when, with a password or through single sign-on, for the adoption figures. A request with an API key
 * is not a sign-in, and neither is a session carrying on.
 */
@Service
public class SignIns {

    /** How a person signed in. */
    public enum Method {
        PASSWORD("password"),
        SINGLE_SIGN_ON("single sign-on");

        private final String stored;

        Method(String stored) {
            this.stored = stored;
        }

        static Method of(String stored) {
            return stored.equals(PASSWORD.stored) ? PASSWORD : SINGLE_SIGN_ON;
        }
    }

    /** One sign-in. */
    public record SignIn(UUID user, Instant at, Method method) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    SignIns(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records that this user signed in now. */
    public void record(UUID user, Method method) {
        jdbc.sql("insert into sign_in (user_id, at, method) values (?, ?, ?)")
                .params(user, Timestamp.from(clock.instant()), method.stored)
                .update();
    }

    /** Every sign-in from {@code from} to before {@code until}, oldest first. */
    public List<SignIn> between(Instant from, Instant until) {
        return jdbc.sql("select user_id, at, method from sign_in where at >= ? and at < ? order by at")
                .params(Timestamp.from(from), Timestamp.from(until))
                .query((rs, n) -> new SignIn(
                        rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), Method.of(rs.getString(3))))
                .list();
    }

    /** When Steward recorded its first sign-in: before it, sign-ins were not counted. */
    public Optional<Instant> recordedSince() {
        return jdbc.sql("select at from sign_in order by at limit 1")
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant);
    }
}
