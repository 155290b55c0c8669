package dev.steward.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The application's clock in delivery tests: fixed, like {@link TestClock}'s, until a test moves it on. */
public final class MovableClock extends Clock {

    private final AtomicReference<Instant> now = new AtomicReference<>(TestClock.NOW);

    public void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    /** Moves the clock on to {@code instant}, or leaves it when it is there already or later. */
    public void advanceTo(Instant instant) {
        now.updateAndGet(current -> current.isBefore(instant) ? instant : current);
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
