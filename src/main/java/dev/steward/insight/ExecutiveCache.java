package dev.steward.insight;

import dev.steward.customer.AccountDeleted;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.health.HealthOverridden;
import dev.steward.health.HealthScored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps each executive figure once computed until the data behind it changes: any account, contract or score written
 * on this instance clears every figure, at once and again once the writing transaction has committed (so that a figure
 * read between the two is not kept). Writes on another instance are not announced here; a figure is therefore never
 * kept longer than {@link #LONGEST}.
 */
@Component
class ExecutiveCache {

    /** How long a figure is kept at most, for the writes of other instances. */
    static final Duration LONGEST = Duration.ofMinutes(2);

    private record Kept(Object value, Instant until) {}

    private final Map<String, Kept> figures = new ConcurrentHashMap<>();
    private final Clock clock;

    ExecutiveCache(Clock clock) {
        this.clock = clock;
    }

    /** The figure kept under this key (today being part of it), computed now if none is. */
    @SuppressWarnings("unchecked")
    <T> T get(String key, Supplier<T> compute) {
        // The key holds today: figures move with the calendar, not only with writes.
        String dated = java.time.LocalDate.now(clock) + " " + key;
        Instant now = clock.instant();
        Kept kept = figures.get(dated);
        if (kept != null && now.isBefore(kept.until())) {
            return (T) kept.value();
        }
        T value = compute.get();
        figures.put(dated, new Kept(value, now.plus(LONGEST)));
        return value;
    }

    /** Forgets every figure. */
    void clear() {
        figures.clear();
    }

    @EventListener
    void on(AccountRecordsChanged event) {
        clearNowAndAfterCommit();
    }

    @EventListener
    void on(AccountDeleted event) {
        clearNowAndAfterCommit();
    }

    @EventListener
    void on(HealthScored event) {
        clearNowAndAfterCommit();
    }

    @EventListener
    void on(HealthOverridden event) {
        clearNowAndAfterCommit();
    }

    private void clearNowAndAfterCommit() {
        clear();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    clear();
                }
            });
        }
    }
}
