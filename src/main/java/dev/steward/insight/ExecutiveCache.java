package dev.steward.insight;

import dev.steward.activity.ActivityRecorded;
import dev.steward.customer.AccountDeleted;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.health.HealthOverridden;
import dev.steward.health.HealthScored;
import dev.steward.playbook.CtasChanged;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps each executive figure once computed until the data behind it changes. A written account forgets every
 * figure, a written contract the figures that read contracts on a day it counted on before or after the change; a score
 * stored for a day forgets only the figures that read scores of that day (revenue retention
 * and cohorts read none; a past day of health over time reads the week before it). Each is forgotten at once and again
 * once the writing transaction has committed, so that a figure read between the two is not kept. Writes on another
 * instance are not announced here; a figure is therefore never kept longer than {@link #LONGEST}.
 *
 * <p>A forgotten (or too old) figure is not dropped: it stays as the last known value, with the time it is as of. A
 * reader inside {@link #read(Duration, Supplier)} (the dashboard page) that finds one computes it again in the
 * background and waits at most its budget for the new value; if it is not there by then, the reader gets the last
 * known value and the time it is as of, so that the page answers in time and says how old its figures are. Readers
 * outside such a reading (the API, exports, alerts, scheduled reports) wait for the new value.
 */
@Component
class ExecutiveCache {

    private static final Logger log = LoggerFactory.getLogger(ExecutiveCache.class);

    /** How long a figure is kept at most, for the writes of other instances. */
    static final Duration LONGEST = Duration.ofMinutes(5);

    /** The keys of figures that count touches and CTAs, which change all day (CSM productivity). */
    static final String PRODUCTIVITY = "productivity ";

    /**
     * A figure under its key, with the span of days whose stored scores it read ({@code null}: none) and until when it
     * may be kept.
     */
    private record Kept(
            String key,
            Object value,
            @Nullable LocalDate scoresFrom,
            @Nullable LocalDate scoresTo,
            Days contracts,
            Instant asOf,
            Instant until,
            boolean stale) {

        /** Whether it may be used as it is at this instant. */
        boolean current(Instant now) {
            return !stale && now.isBefore(until);
        }

        Kept staled() {
            return stale ? this : new Kept(key, value, scoresFrom, scoresTo, contracts, asOf, until, true);
        }

        boolean readScoresOf(LocalDate day) {
            return scoresFrom != null && !day.isBefore(scoresFrom) && !day.isAfter(scoresTo);
        }

        /** Whether it read contracts on any of the days a changed contract counted on ({@code null}: not told). */
        boolean readContractsOf(AccountRecordsChanged.@Nullable Days changed) {
            return changed == null || changed.overlaps(contracts.from(), contracts.to());
        }

        boolean countsWork() {
            return key.startsWith(PRODUCTIVITY);
        }
    }

    /** A figure being computed, and how many times figures had been forgotten when its computation began. */
    private record Computing(CompletableFuture<Object> value, long forgotten) {}

    private final Map<String, Kept> figures = new ConcurrentHashMap<>();
    private final Map<String, Computing> computing = new ConcurrentHashMap<>();
    private final AtomicLong forgotten = new AtomicLong();

    /** The latest forgettings, to tell whether one since a computation began concerns its figure. */
    private record Forgetting(long generation, Predicate<Kept> stale) {}

    private static final int FORGETTINGS_KEPT = 1_000;
    private final java.util.concurrent.ConcurrentLinkedDeque<Forgetting> forgettings =
            new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final Clock clock;
    private final Executor background;

    /** The reading of the current thread, if inside {@link #read(Duration, Supplier)}. */
    private final ThreadLocal<Reading> reading = new ThreadLocal<>();

    /** A reading's deadline and the oldest last-known value it was given. */
    private static final class Reading {
        private final long deadline;
        private @Nullable Instant asOf;

        Reading(long deadline) {
            this.deadline = deadline;
        }

        void gave(Instant asOf) {
            if (this.asOf == null || asOf.isBefore(this.asOf)) {
                this.asOf = asOf;
            }
        }
    }

    /** What a reading found, and the time its oldest last-known figure is as of ({@code null}: every one current). */
    record Read<T>(T value, @Nullable Instant asOf) {}

    /** Figures that are computed again synchronously, on the reader's thread (unit tests). */
    ExecutiveCache(Clock clock) {
        this(clock, Runnable::run);
    }

    @Autowired
    ExecutiveCache(Clock clock, @Qualifier("applicationTaskExecutor") Executor background) {
        this.clock = clock;
        this.background = background;
    }

    /**
     * Runs {@code reads}: a figure forgotten since it was kept is computed again in the background and waited for at
     * most until {@code budget} has passed since the reading began; one not there by then is given as last known, and
     * the result tells the oldest time such a figure is as of.
     */
    <T> Read<T> read(Duration budget, Supplier<T> reads) {
        Reading outer = reading.get();
        Reading own = new Reading(System.nanoTime() + budget.toNanos());
        reading.set(own);
        try {
            T value = reads.get();
            return new Read<>(value, own.asOf);
        } finally {
            if (outer == null) {
                reading.remove();
            } else {
                reading.set(outer);
            }
        }
    }

    /** A figure that reads no health score, kept under this key, computed now if none is. */
    <T> T get(String key, Supplier<T> compute) {
        return get(key, null, null, compute);
    }

    /**
     * The figure kept under this key (today being part of it), computed now if none is; it read the scores stored from
     * {@code scoresFrom} to {@code scoresTo} ({@code null}: none). Readers that find the same figure being computed
     * wait for that computation instead of starting their own, unless figures were forgotten since it began (it may
     * have read data from before the change); a figure whose computation saw a forgetting is returned but not kept.
     */
    <T> T get(String key, @Nullable LocalDate scoresFrom, @Nullable LocalDate scoresTo, Supplier<T> compute) {
        return get(new Figure(key, scoresFrom, scoresTo), compute);
    }

    /** As {@link #get(String, LocalDate, LocalDate, Supplier)}, for a figure that says which contracts it read. */
    <T> T get(Figure figure, Supplier<T> compute) {
        return getAll(List.of(figure), missing -> {
                    Map<Figure, T> computed = new HashMap<>();
                    computed.put(figure, compute.get());
                    return computed;
                })
                .get(0);
    }

    /**
     * What a figure is kept under, the days whose stored scores it read ({@code null}: none), and the days whose
     * contracts it read (the days on which it took an account's ARR, or {@link Days#ALL}).
     */
    record Figure(
            String key,
            @Nullable LocalDate scoresFrom,
            @Nullable LocalDate scoresTo,
            Days contracts) {

        /** A figure that read contracts of any day. */
        Figure(String key, @Nullable LocalDate scoresFrom, @Nullable LocalDate scoresTo) {
            this(key, scoresFrom, scoresTo, Days.ALL);
        }
    }

    /** Days from {@code from} to {@code to}, both included. */
    record Days(LocalDate from, LocalDate to) {

        /** Every day: a figure that reads more of the contracts than their ARR on some days (renewal links, firsts). */
        static final Days ALL = new Days(LocalDate.MIN, LocalDate.MAX);

        static Days of(LocalDate day) {
            return new Days(day, day);
        }
    }

    /**
     * These figures, each kept on its own as {@link #get(String, LocalDate, LocalDate, Supplier)} keeps one, in their
     * order; the ones not kept (and not being computed by another reader) are computed together, by one call of
     * {@code compute} with them, so that figures of several days read their data in one pass.
     */
    @SuppressWarnings("unchecked")
    <T> List<T> getAll(List<Figure> wanted, Function<List<Figure>, Map<Figure, T>> compute) {
        // The key holds today: figures move with the calendar, not only with writes.
        String today = LocalDate.now(clock) + " ";
        Instant now = clock.instant();
        forgetOtherDays(today);
        Map<Figure, Object> values = new HashMap<>();
        Map<Figure, Kept> lastKnown = new HashMap<>();
        List<Figure> missing = new ArrayList<>();
        for (Figure figure : wanted) {
            Kept kept = figures.get(today + figure.key());
            if (kept != null && kept.current(now)) {
                values.put(figure, kept.value());
            } else {
                if (kept != null) {
                    lastKnown.put(figure, kept);
                }
                missing.add(figure);
            }
        }
        if (missing.isEmpty()) {
            return wanted.stream().map(figure -> (T) values.get(figure)).toList();
        }
        long generation = forgotten.get();
        Map<Figure, Computing> pending = new LinkedHashMap<>();
        Map<Figure, Computing> mine = new LinkedHashMap<>();
        Map<Figure, Computing> shared = new LinkedHashMap<>();
        for (Figure figure : missing) {
            Computing own = new Computing(new CompletableFuture<>(), generation);
            Computing running = computing.putIfAbsent(today + figure.key(), own);
            if (running == null) {
                shared.put(figure, own);
                mine.put(figure, own);
            } else if (forgottenSince(running.forgotten(), kept(figure, "", now, now))) {
                mine.put(figure, own);
            } else {
                pending.put(figure, running);
            }
        }
        pending.putAll(mine);
        if (!mine.isEmpty()) {
            Runnable computation = () -> computeAndKeep(today, now, generation, mine, shared, compute);
            Reading current = reading.get();
            if (current != null && lastKnown.keySet().containsAll(mine.keySet())) {
                // Every one has a last known value to give if the new one is late: computed in the background.
                background.execute(() -> {
                    try {
                        computation.run();
                    } catch (RuntimeException e) {
                        log.warn("Computing executive figures {} again failed", mine.keySet(), e);
                    }
                });
            } else {
                computation.run();
            }
        }
        for (Map.Entry<Figure, Computing> entry : pending.entrySet()) {
            values.put(entry.getKey(), await(entry.getValue(), lastKnown.get(entry.getKey())));
        }
        return wanted.stream().map(figure -> (T) values.get(figure)).toList();
    }

    /** Computes these figures together and keeps each (as last known only, if its data changed meanwhile). */
    private <T> void computeAndKeep(
            String today,
            Instant began,
            long generation,
            Map<Figure, Computing> mine,
            Map<Figure, Computing> shared,
            Function<List<Figure>, Map<Figure, T>> compute) {
        try {
            Map<Figure, T> computed = compute.apply(List.copyOf(mine.keySet()));
            for (Map.Entry<Figure, Computing> entry : mine.entrySet()) {
                Figure figure = entry.getKey();
                T value = computed.get(figure);
                Kept kept = kept(figure, value, began, began.plus(LONGEST));
                // Current unless data it may have read before the change was forgotten meanwhile; then it is still
                // the latest known value, unless a later computation already kept one.
                Kept keeping = forgottenSince(generation, kept) ? kept.staled() : kept;
                figures.merge(
                        today + figure.key(),
                        keeping,
                        (old, fresh) -> old.asOf().isAfter(fresh.asOf()) ? old : fresh);
                entry.getValue().value().complete(value);
            }
        } catch (RuntimeException | Error e) {
            mine.values().forEach(own -> own.value().completeExceptionally(e));
            throw e;
        } finally {
            shared.forEach((figure, own) -> computing.remove(today + figure.key(), own));
        }
    }

    /**
     * The value of a computation; inside a reading, if the computation is not done by the reading's deadline (or
     * failed), the last known value, which the reading notes.
     */
    private Object await(Computing computation, @Nullable Kept lastKnown) {
        Reading current = reading.get();
        try {
            if (current == null || lastKnown == null) {
                return computation.value().join();
            }
            long left = current.deadline - System.nanoTime();
            return computation.value().get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException | CompletionException e) {
            if (lastKnown != null && current != null) {
                current.gave(lastKnown.asOf());
                return lastKnown.value();
            }
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e instanceof CompletionException completion ? completion : new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for an executive figure", e);
        }
    }

    /** The figures of past days are of no use once the day has changed. */
    private void forgetOtherDays(String today) {
        if (!today.equals(lastDay)) {
            figures.keySet().removeIf(key -> !key.startsWith(today));
            lastDay = today;
        }
    }

    private volatile @Nullable String lastDay;

    private static Kept kept(Figure figure, Object value, Instant asOf, Instant until) {
        return new Kept(
                figure.key(), value, figure.scoresFrom(), figure.scoresTo(), figure.contracts(), asOf, until, false);
    }

    /** Forgets every figure. */
    void clear() {
        figures.clear();
    }

    /**
     * A written account forgets every figure; a written contract the figures that read contracts on a day it counted on
     * before or after the change (every figure when the write does not tell its days).
     */
    @EventListener
    void on(AccountRecordsChanged event) {
        if (AccountRecordsChanged.ACCOUNT.equals(event.kind())) {
            forgetNowAndAfterCommit(kept -> true);
        } else if (AccountRecordsChanged.CONTRACT.equals(event.kind())) {
            forgetNowAndAfterCommit(kept -> kept.readContractsOf(event.days()));
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

    /** A touch (or any other fact of the timeline) changes what CSM productivity counts. */
    @EventListener
    void on(ActivityRecorded event) {
        forgetNowAndAfterCommit(Kept::countsWork);
    }

    @EventListener
    void on(CtasChanged event) {
        forgetNowAndAfterCommit(Kept::countsWork);
    }

    /**
     * Whether a forgetting since {@code generation} concerns this figure (or is too old to tell, when so many
     * happened meanwhile that their record is gone).
     */
    private synchronized boolean forgottenSince(long generation, Kept figure) {
        if (forgotten.get() == generation) {
            return false;
        }
        Forgetting oldest = forgettings.peekFirst();
        if (oldest == null || oldest.generation() > generation + 1) {
            return true;
        }
        for (Forgetting forgetting : forgettings) {
            if (forgetting.generation() > generation && forgetting.stale().test(figure)) {
                return true;
            }
        }
        return false;
    }

    private synchronized void forget(Predicate<Kept> stale) {
        forgettings.addLast(new Forgetting(forgotten.incrementAndGet(), stale));
        while (forgettings.size() > FORGETTINGS_KEPT) {
            forgettings.pollFirst();
        }
        figures.replaceAll((key, kept) -> stale.test(kept) ? kept.staled() : kept);
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
