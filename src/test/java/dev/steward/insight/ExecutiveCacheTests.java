package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.activity.ActivityRecorded;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.health.HealthScored;
import dev.steward.playbook.CtasChanged;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExecutiveCacheTests {

    static final LocalDate TODAY = LocalDate.of(2026, 3, 18);

    final ExecutiveCache cache = new ExecutiveCache(Clock.fixed(Instant.parse("2026-03-18T10:00:00Z"), ZoneOffset.UTC));
    final AtomicInteger computed = new AtomicInteger();

    @Test
    void aFigureIsComputedOnceUntilItsDataChanges() {
        assertThat(retention()).isEqualTo(1);
        assertThat(retention()).isEqualTo(1);

        cache.on(new AccountRecordsChanged("contract", Set.of(UUID.randomUUID())));

        assertThat(retention()).isEqualTo(2);
    }

    @Test
    void recordsTheFiguresDoNotReadLeaveThemAsTheyWere() {
        retention();

        cache.on(new AccountRecordsChanged("contact", Set.of(UUID.randomUUID())));

        assertThat(retention()).isEqualTo(1);
    }

    @Test
    void aNewScoreForgetsOnlyTheFiguresThatReadScoresOfItsDay() {
        retention();
        int today = point(TODAY);
        int lastMonth = point(LocalDate.of(2026, 2, 1));

        cache.on(new HealthScored(TODAY, true, Set.of()));

        assertThat(retention()).as("revenue retention reads no score").isEqualTo(1);
        assertThat(point(LocalDate.of(2026, 2, 1))).as("a past day's point").isEqualTo(lastMonth);
        assertThat(point(TODAY)).as("today's point").isGreaterThan(today);
    }

    @Test
    void aWrittenContractForgetsOnlyTheFiguresThatReadItsDays() {
        LocalDate december = LocalDate.of(2025, 12, 1);
        LocalDate february = LocalDate.of(2026, 2, 1);
        LocalDate june = LocalDate.of(2026, 6, 1);
        LocalDate july = LocalDate.of(2026, 7, 1);
        int decemberPoint = dayPoint(december);
        int februaryPoint = dayPoint(february);
        int junePoint = dayPoint(june);
        int julyPoint = dayPoint(july);
        int retention = retention();

        // Its end moved from 2026-06-01 (the first day no longer covered) to 2026-07-01.
        AccountRecordsChanged.Days before = new AccountRecordsChanged.Days(LocalDate.of(2026, 1, 15), june);
        AccountRecordsChanged.Days after = new AccountRecordsChanged.Days(LocalDate.of(2026, 1, 15), july);
        cache.on(new AccountRecordsChanged(
                AccountRecordsChanged.CONTRACT, Set.of(UUID.randomUUID()), before.and(after)));

        assertThat(dayPoint(december)).as("a day before it started").isEqualTo(decemberPoint);
        assertThat(dayPoint(february)).as("a day it counted on").isGreaterThan(februaryPoint);
        assertThat(dayPoint(june)).as("a day it counts on now").isGreaterThan(junePoint);
        assertThat(dayPoint(july)).as("its new end, no longer covered").isEqualTo(julyPoint);
        assertThat(retention())
                .as("a figure that does not say which days it read")
                .isGreaterThan(retention);

        // An open-ended contract counts on every day from its start; a write that does not tell its days, on any.
        int februaryAgain = dayPoint(february);
        cache.on(new AccountRecordsChanged(
                AccountRecordsChanged.CONTRACT,
                Set.of(UUID.randomUUID()),
                new AccountRecordsChanged.Days(LocalDate.of(2026, 1, 20), null)));
        assertThat(dayPoint(december)).isEqualTo(decemberPoint);
        assertThat(dayPoint(july)).isGreaterThan(julyPoint);
        cache.on(new AccountRecordsChanged(AccountRecordsChanged.CONTRACT, Set.of(UUID.randomUUID())));
        assertThat(dayPoint(december)).isGreaterThan(decemberPoint);
        assertThat(dayPoint(february)).isGreaterThan(februaryAgain);
    }

    @Test
    void figuresOfSeveralDaysMissingTogetherAreComputedInOneCallAndKeptEachOnItsOwn() {
        dayPoint(LocalDate.of(2026, 2, 1));
        java.util.List<java.util.List<LocalDate>> calls = new java.util.ArrayList<>();
        java.util.List<LocalDate> days = java.util.List.of(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), TODAY);

        java.util.List<Integer> values = points(days, calls);

        assertThat(calls)
                .as("the two days not kept, in one call")
                .containsExactly(java.util.List.of(days.get(0), TODAY));
        assertThat(values.get(1)).as("February's point as kept").isEqualTo(1);
        cache.on(new HealthScored(TODAY, true, Set.of()));
        points(days, calls);
        assertThat(calls.get(1)).as("only today's point was forgotten").containsExactly(TODAY);
    }

    private java.util.List<Integer> points(
            java.util.List<LocalDate> days, java.util.List<java.util.List<LocalDate>> calls) {
        return cache.getAll(days.stream().map(ExecutiveCacheTests::figure).toList(), missing -> {
            calls.add(missing.stream().map(ExecutiveCache.Figure::scoresTo).toList());
            java.util.Map<ExecutiveCache.Figure, Integer> computed = new java.util.HashMap<>();
            missing.forEach(figure -> computed.put(figure, computed().incrementAndGet()));
            return computed;
        });
    }

    private AtomicInteger computed() {
        return computed;
    }

    private static ExecutiveCache.Figure figure(LocalDate day) {
        return new ExecutiveCache.Figure("day point " + day, day.minusDays(7), day, ExecutiveCache.Days.of(day));
    }

    private int dayPoint(LocalDate day) {
        return cache.get(figure(day), computed::incrementAndGet);
    }

    @Test
    void aTouchOrACtaForgetsOnlyTheFiguresThatCountWork() {
        retention();
        int productivity = productivity();

        cache.on(new ActivityRecorded(
                AccountId.of(UUID.randomUUID()), "meeting", Instant.parse("2026-03-18T09:00:00Z")));
        int afterTouch = productivity();
        cache.on(new CtasChanged(UUID.randomUUID()));

        assertThat(afterTouch).isGreaterThan(productivity);
        assertThat(productivity()).isGreaterThan(afterTouch);
        assertThat(retention()).as("revenue retention counts no work").isEqualTo(1);
    }

    @Test
    void aFigureWhoseDataChangedWhileItWasComputedIsReturnedButNotKept() {
        int first = cache.get("retention", () -> {
            // A contract is written while the figure reads the contracts.
            cache.on(new AccountRecordsChanged("contract", Set.of(UUID.randomUUID())));
            return computed.incrementAndGet();
        });
        assertThat(first).isEqualTo(1);
        assertThat(retention())
                .as("computed again: the first may have read the contract before it changed")
                .isEqualTo(2);

        int point = cache.get("point " + TODAY, TODAY.minusDays(7), TODAY, () -> {
            cache.on(new CtasChanged(UUID.randomUUID()));
            return computed.incrementAndGet();
        });
        assertThat(point(TODAY))
                .as("a CTA does not concern a health point: kept")
                .isEqualTo(point);
    }

    @Test
    void readersOfAFigureBeingComputedWaitForThatComputation() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Integer> first = readers.submit(() -> cache.get("retention", () -> {
                started.countDown();
                await(release);
                return computed.incrementAndGet();
            }));
            started.await();
            java.util.concurrent.Future<Integer> second = readers.submit(this::retention);
            org.awaitility.Awaitility.await()
                    .during(java.time.Duration.ofMillis(200))
                    .atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> !second.isDone());
            release.countDown();
            assertThat(first.get()).isEqualTo(1);
            assertThat(second.get())
                    .as("the second reader waited for the first's computation")
                    .isEqualTo(1);
            assertThat(computed).hasValue(1);
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void aPageGivesTheLastKnownFigureWithItsTimeWhenTheNewOneIsLate() throws Exception {
        java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.atomic.AtomicReference<Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(Instant.parse("2026-03-18T10:00:00Z"));
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        ExecutiveCache paged = new ExecutiveCache(moving, background);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.function.Supplier<Integer> figure = () -> paged.get("retention", () -> {
            if (slow.get()) {
                await(release);
            }
            return computed.incrementAndGet();
        });
        try {
            ExecutiveCache.Read<Integer> first = paged.read(java.time.Duration.ofMillis(100), figure);
            assertThat(first.value()).isEqualTo(1);
            assertThat(first.asOf())
                    .as("no figure had to be given as last known")
                    .isNull();

            now.set(Instant.parse("2026-03-18T10:07:00Z"));
            paged.on(new AccountRecordsChanged("contract", Set.of(UUID.randomUUID())));
            slow.set(true);
            long started = System.nanoTime();
            ExecutiveCache.Read<Integer> late = paged.read(java.time.Duration.ofMillis(300), figure);
            assertThat(late.value()).as("the last known figure").isEqualTo(1);
            assertThat(late.asOf()).as("as of when it was computed").isEqualTo(Instant.parse("2026-03-18T10:00:00Z"));
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                    .as("the page waited about its budget")
                    .isBetween(java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(5));

            ExecutiveCache.Read<Integer> again = paged.read(java.time.Duration.ofMillis(100), figure);
            assertThat(again.value()).isEqualTo(1);
            assertThat(computed)
                    .as("one computation in the background, not one per reader")
                    .hasValue(1);

            release.countDown();
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() ->
                            paged.read(java.time.Duration.ofMillis(100), figure).asOf() == null);
            assertThat(paged.read(java.time.Duration.ofMillis(100), figure).value())
                    .as("the new figure, computed once")
                    .isEqualTo(2);
            assertThat(figure.get()).as("outside a page, the current figure").isEqualTo(2);

            // Outside a page (the API, exports, alerts) a reader waits for the new figure.
            slow.set(false);
            paged.on(new AccountRecordsChanged("contract", Set.of(UUID.randomUUID())));
            assertThat(figure.get()).isEqualTo(3);
        } finally {
            release.countDown();
            background.shutdownNow();
        }
    }

    @Test
    void aFigureNeverComputedIsWaitedForEvenOnAPage() {
        ExecutiveCache paged =
                new ExecutiveCache(Clock.fixed(Instant.parse("2026-03-18T10:00:00Z"), ZoneOffset.UTC), command -> {
                    throw new AssertionError("nothing to give meanwhile: computed by the reader");
                });
        ExecutiveCache.Read<Integer> read =
                paged.read(java.time.Duration.ZERO, () -> paged.get("retention", computed::incrementAndGet));
        assertThat(read.value()).isEqualTo(1);
        assertThat(read.asOf()).isNull();
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int productivity() {
        return cache.get(
                ExecutiveCache.PRODUCTIVITY + "30 null", TODAY.minusDays(60), TODAY, computed::incrementAndGet);
    }

    private int retention() {
        return cache.get("retention", computed::incrementAndGet);
    }

    private int point(LocalDate day) {
        return cache.get("point " + day, day.minusDays(7), day, computed::incrementAndGet);
    }
}
