package dev.steward.identity;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Locks an email for a while after too many consecutive failed sign-ins, so passwords cannot be guessed at speed.
 * Unknown emails are throttled the same way (in memory, per instance), so the lock-out does not reveal which emails
 * have an account.
 */
@Component
class SignInThrottle {

    static final int MAXIMUM_FAILURES = 5;
    static final Duration LOCK = Duration.ofMinutes(15);

    /** Bounds the memory spent on unknown emails; beyond it, entries whose lock has passed are dropped. */
    private static final int MAXIMUM_UNKNOWN_EMAILS = 10_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<String, Failures> unknownEmails = new ConcurrentHashMap<>();

    SignInThrottle(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private record Failures(int count, Instant lockedUntil) {}

    /** How much longer the email is locked, if it is. */
    Optional<Duration> lockedFor(String email) {
        Instant now = clock.instant();
        Optional<Optional<Instant>> stored = jdbc.sql("select locked_until from app_user where lower(email) = lower(?)")
                .param(email)
                .query((rs, row) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
                .optional();
        Instant until = stored.isPresent()
                ? stored.get().orElse(null)
                : Optional.ofNullable(unknownEmails.get(key(email)))
                        .map(Failures::lockedUntil)
                        .orElse(null);
        return until == null || !until.isAfter(now) ? Optional.empty() : Optional.of(Duration.between(now, until));
    }

    /** Counts a failed sign-in and says for how long the email is now locked, if this failure locked it. */
    Optional<Duration> failed(String email) {
        Instant lockUntil = clock.instant().plus(LOCK);
        Optional<Optional<Instant>> stored = jdbc.sql("""
                        update app_user set
                            failed_sign_ins = case when failed_sign_ins + 1 >= :max then 0 else failed_sign_ins + 1 end,
                            locked_until = case when failed_sign_ins + 1 >= :max then :lockUntil else locked_until end
                        where lower(email) = lower(:email)
                        returning case when failed_sign_ins = 0 then locked_until end""")
                .param("max", MAXIMUM_FAILURES)
                .param("lockUntil", Timestamp.from(lockUntil))
                .param("email", email)
                .query((rs, row) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
                .optional();
        boolean locked = stored.isPresent() ? stored.get().isPresent() : failedUnknown(email, lockUntil);
        return locked ? Optional.of(LOCK) : Optional.empty();
    }

    /** Forgets earlier failures once the right password was given. */
    void succeeded(String email) {
        jdbc.sql("""
                        update app_user set failed_sign_ins = 0, locked_until = null
                        where lower(email) = lower(?) and (failed_sign_ins > 0 or locked_until is not null)""").param(email).update();
    }

    private boolean failedUnknown(String email, Instant lockUntil) {
        if (unknownEmails.size() >= MAXIMUM_UNKNOWN_EMAILS) {
            Instant now = clock.instant();
            unknownEmails
                    .values()
                    .removeIf(f -> f.lockedUntil() == null || !f.lockedUntil().isAfter(now));
        }
        Failures failures = unknownEmails.merge(
                key(email),
                new Failures(1, null),
                (old, one) -> old.count() + 1 >= MAXIMUM_FAILURES
                        ? new Failures(0, lockUntil)
                        : new Failures(old.count() + 1, old.lockedUntil()));
        return failures.count() == 0 && lockUntil.equals(failures.lockedUntil());
    }

    private static String key(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
