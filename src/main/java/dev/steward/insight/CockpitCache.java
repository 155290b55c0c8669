package dev.steward.insight;

import dev.steward.activity.ActivityRecorded;
import dev.steward.customer.AccountDeleted;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.health.HealthOverridden;
import dev.steward.health.HealthScored;
import dev.steward.lifecycle.JourneyPublished;
import dev.steward.lifecycle.MilestonesChanged;
import dev.steward.lifecycle.OwnerChanged;
import dev.steward.playbook.CtasChanged;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps each book's cockpit (and its trend and events) once built, until something it shows may have changed, so that
 * a CSM who opens the cockpit again, or a manager who goes back to their team's, does not wait for a book of thousands
 * of accounts to be read again. A book is its owners; a kept cockpit is the one of today.
 *
 * <p>What forgets what: a score stored, an activity recorded (a touch, a ticket), an override, a milestone completed
 * or taken back forget the cockpits whose book holds the account; an account record written (its owner may have
 * changed), an account deleted, an owner change, a CTA changed (its owner may have any book) and a new journey (its
 * milestones' due days) forget every cockpit. Each is forgotten at once and again once the writing transaction has
 * committed, and a cockpit whose building saw any forgetting is returned but not kept (it may have read data from before
 * the change). Writes on another instance are not announced here, and priorities say how long ago things were due: a
 * cockpit is therefore never kept longer than {@link #LONGEST}.
 */
@Component
class CockpitCache {

    /** How long a cockpit is kept at most, for the writes of other instances and the time its reasons give. */
    static final Duration LONGEST = Duration.ofMinutes(1);

    /** Books kept at most; past it, every one is forgotten (each is built again on its next reading). */
    static final int BOOKS = 1_000;

    /** What is kept: the cockpit or its history ({@code part}), of one book, on one day. */
    private record Key(String part, LocalDate day, Set<UUID> owners) {}

    private record Kept(Object value, Set<UUID> accounts, Instant until) {}

    /** A cockpit as built, with the accounts whose changes concern it (its book and the accounts of its CTAs). */
    record Built<T>(T value, Collection<UUID> accounts) {}

    private final Map<Key, Kept> kept = new ConcurrentHashMap<>();
    private final AtomicLong forgettings = new AtomicLong();
    private final Clock clock;

    CockpitCache(Clock clock) {
        this.clock = clock;
    }

    /** The {@code part} of the book of these owners, as kept, or built now (and kept unless it saw a change). */
    @SuppressWarnings("unchecked")
    <T> T get(String part, Set<UUID> owners, Supplier<Built<T>> build) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.now(clock);
        Key key = new Key(part, today, Set.copyOf(owners));
        Kept found = kept.get(key);
        if (found != null && now.isBefore(found.until())) {
            return (T) found.value();
        }
        // The cockpits of other days are of no use any more.
        kept.keySet().removeIf(k -> !k.day().equals(today));
        long generation = forgettings.get();
        Built<T> built = build.get();
        if (forgettings.get() == generation) {
            if (kept.size() >= BOOKS) {
                kept.clear();
            }
            kept.put(key, new Kept(built.value(), Set.copyOf(built.accounts()), now.plus(LONGEST)));
        }
        return built.value();
    }

    @EventListener
    void on(HealthScored event) {
        forgetNowAndAfterCommit(event.everyAccount() ? kept -> true : concerning(event.accounts()));
    }

    @EventListener
    void on(ActivityRecorded event) {
        forgetNowAndAfterCommit(concerning(Set.of(event.account().value())));
    }

    @EventListener
    void on(HealthOverridden event) {
        forgetNowAndAfterCommit(concerning(Set.of(event.account().value())));
    }

    @EventListener
    void on(MilestonesChanged event) {
        forgetNowAndAfterCommit(concerning(event.accounts()));
    }

    /** An account's own fields may hold its owner: every book may have gained or lost it. */
    @EventListener
    void on(AccountRecordsChanged event) {
        forgetNowAndAfterCommit(
                AccountRecordsChanged.ACCOUNT.equals(event.kind()) ? kept -> true : concerning(event.accounts()));
    }

    @EventListener
    void on(AccountDeleted event) {
        forgetNowAndAfterCommit(kept -> true);
    }

    @EventListener
    void on(OwnerChanged event) {
        forgetNowAndAfterCommit(kept -> true);
    }

    @EventListener
    void on(CtasChanged event) {
        forgetNowAndAfterCommit(kept -> true);
    }

    @EventListener
    void on(JourneyPublished event) {
        forgetNowAndAfterCommit(kept -> true);
    }

    private static Predicate<Kept> concerning(Set<UUID> accounts) {
        List<UUID> changed = List.copyOf(accounts);
        return kept -> changed.stream().anyMatch(kept.accounts()::contains);
    }

    private void forget(Predicate<Kept> stale) {
        forgettings.incrementAndGet();
        kept.values().removeIf(stale);
    }

    private void forgetNowAndAfterCommit(Predicate<Kept> stale) {
        forget(stale);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    forget(stale);
                }
            });
        }
    }
}
