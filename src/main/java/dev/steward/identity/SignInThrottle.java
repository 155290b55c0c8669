package dev.steward.identity;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing without letting anyone lock an account's owner out. Failures are counted per client
 * (IP address) and per client and email, in the database so that every instance counts them: five wrong passwords for
 * one email from one client lock that email for that client only, and twenty failures from one client, whatever the
 * emails, lock that client out. The owner signing in from elsewhere is not affected. Unknown emails count the same
 * way, so a lock says nothing about which emails have an account.
 */
@Component
class SignInThrottle {

    static final int MAXIMUM_FAILURES = 5;
    static final int MAXIMUM_CLIENT_FAILURES = 20;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration LOCK = Duration.ofMinutes(15);

    private final JdbcClient jdbc;
    private final Clock clock;

    SignInThrottle(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A lock in force: for how much longer, and whether it is the whole client's (rather than one email's). */
    record Lock(Duration remaining, boolean wholeClient) {

        String message() {
            long minutes = Math.max(1, (remaining.toSeconds() + 59) / 60);
            String wait = "try again in " + minutes + (minutes == 1 ? " minute" : " minutes");
            return wholeClient
                    ? "Too many failed sign-ins from your network; " + wait
                    : "Too many failed attempts; " + wait;
        }
    }

    /** The lock that keeps this client from signing in with this email now, if any. */
    Optional<Lock> lockedFor(String client, String email) {
        Instant now = clock.instant();
        Optional<Lock> wholeClient = until(clientKey(client), now).map(d -> new Lock(d, true));
        return wholeClient.isPresent()
                ? wholeClient
                : until(pairKey(client, email), now).map(d -> new Lock(d, false));
    }

    /** Counts a failed sign-in; the lock it brought about, if any. */
    Optional<Lock> failed(String client, String email) {
        Instant now = clock.instant();
        jdbc.sql("delete from sign_in_throttle where expires_at < ?")
                .param(Timestamp.from(now))
                .update();
        boolean clientLocked = count(clientKey(client), MAXIMUM_CLIENT_FAILURES, now);
        boolean pairLocked = count(pairKey(client, email), MAXIMUM_FAILURES, now);
        return clientLocked
                ? Optional.of(new Lock(LOCK, true))
                : pairLocked ? Optional.of(new Lock(LOCK, false)) : Optional.empty();
    }

    /** Forgets this client's earlier failures with this email once the right password was given. */
    void succeeded(String client, String email) {
        jdbc.sql("delete from sign_in_throttle where key = ?")
                .param(pairKey(client, email))
                .update();
    }

    private Optional<Duration> until(String key, Instant now) {
        return jdbc.sql("select locked_until from sign_in_throttle where key = ? and locked_until > ?")
                .params(key, Timestamp.from(now))
                .query((rs, row) -> Duration.between(now, rs.getTimestamp(1).toInstant()))
                .optional();
    }

    /** Adds a failure within the current window; locks the key when it reaches the maximum. Says whether it did. */
    private boolean count(String key, int maximum, Instant now) {
        int failures = jdbc.sql("""
                        insert into sign_in_throttle as t (key, failures, window_started_at, expires_at)
                        values (:key, 1, :now, :windowEnd)
                        on conflict (key) do update set
                            failures = case when t.window_started_at <= :windowStart then 1 else t.failures + 1 end,
                            window_started_at =
                                case when t.window_started_at <= :windowStart then :now else t.window_started_at end,
                            expires_at = greatest(t.expires_at, :windowEnd)
                        returning failures""")
                .param("key", key)
                .param("now", Timestamp.from(now))
                .param("windowStart", Timestamp.from(now.minus(WINDOW)))
                .param("windowEnd", Timestamp.from(now.plus(WINDOW)))
                .query(Integer.class)
                .single();
        if (failures < maximum) {
            return false;
        }
        Instant until = now.plus(LOCK);
        jdbc.sql("""
                        update sign_in_throttle set failures = 0, window_started_at = :now, locked_until = :until,
                            expires_at = greatest(expires_at, :until)
                        where key = :key""")
                .param("key", key)
                .param("now", Timestamp.from(now))
                .param("until", Timestamp.from(until))
                .update();
        return true;
    }

    private static String clientKey(String client) {
        return "client " + client;
    }

    private static String pairKey(String client, String email) {
        return "client " + client + " email " + email.trim().toLowerCase(Locale.ROOT);
    }
}
