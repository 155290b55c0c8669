package dev.steward.insight;

import dev.steward.customer.AccountDeleted;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.health.HealthOverridden;
import dev.steward.health.HealthScored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps each executive figure once computed until the data behind it changes. A written account or contract forgets
 * every figure; a score stored for a day forgets only the figures that read scores of that day (revenue retention
 * and cohorts read none; a past day of health over time reads the week before it). Each is forgotten at once and again
 * once the writing transaction has committed, so that a figure read between the two is not kept. Writes on another
 * instance are not announced here; a figure is therefore never kept longer than {@link #LONGEST}.
 */
@Component
class ExecutiveCache {

    /** How long a figure is kept at most, for the writes of other instances. */
    static final Duration LONGEST = Duration.ofMinutes(5);

    /** The kinds of account records the figures read: the accounts themselves (tier, owner) and their contracts. */
    private static final Set<String> READ_KINDS = Set.of(AccountRecordsChanged.ACCOUNT, "contract");

    /**
     * A figure with the span of days whose stored scores it read ({@code null}: none) and until when it may be kept.
     */
    private record Kept(
            Object value,
            @Nullable LocalDate scoresFrom,
            @Nullable LocalDate scoresTo,
            Instant until) {

        boolean readScoresOf(LocalDate day) {
            return scoresFrom != null && !day.isBefore(scoresFrom) && !day.isAfter(scoresTo);
        }
    }

    private final Map<String, Kept> figures = new ConcurrentHashMap<>();
    private final Clock clock;

    ExecutiveCache(Clock clock) {
        this.clock = clock;
    }

    /** A figure that reads no health score, kept under this key, computed now if none is. */
    <T> T get(String key, Supplier<T> compute) {
        return get(key, null, null, compute);
    }

    /**
     * The figure kept under this key (today being part of it), computed now if none is; it read the scores stored from
     * {@code scoresFrom} to {@code scoresTo} ({@code null}: none).
     */
    @SuppressWarnings("unchecked")
    <T> T get(String key, @Nullable LocalDate scoresFrom, @Nullable LocalDate scoresTo, Supplier<T> compute) {
        // The key holds today: figures move with the calendar, not only with writes.
        String dated = LocalDate.now(clock) + " " + key;
        Instant now = clock.instant();
        Kept kept = figures.get(dated);
        if (kept != null && now.isBefore(kept.until())) {
            return (T) kept.value();
        }
        T value = compute.get();
        figures.put(dated, new Kept(value, scoresFrom, scoresTo, now.plus(LONGEST)));
        return value;
    }

    /** Forgets every figure. */
    void clear() {
        figures.clear();
    }

    @EventListener
    void on(AccountRecordsChanged event) {
        if (READ_KINDS.contains(event.kind())) {
            forgetNowAndAfterCommit(kept -> true);
        }
    }

    @EventListener
    void on(AccountDeleted event) {
        forgetNowAndAfterCommit(kept -> true);
    }

    @EventListener
    void on(HealthScored event) {
        forgetNowAndAfterCommit(kept -> kept.readScoresOf(event.day()));
    }

    @EventListener
    void on(HealthOverridden event) {
        LocalDate today = LocalDate.now(clock);
        forgetNowAndAfterCommit(kept -> kept.readScoresOf(today));
    }

    private void forgetNowAndAfterCommit(Predicate<Kept> stale) {
        figures.values().removeIf(stale);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    figures.values().removeIf(stale);
                }
            });
        }
    }
}
