package dev.steward.notify;

import dev.steward.core.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The application's clock in delivery tests: fixed, like {@link TestClock}'s, until a test moves it on. */
final class MovableClock extends Clock {

    private final AtomicReference<Instant> now = new AtomicReference<>(TestClock.NOW);

    void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
