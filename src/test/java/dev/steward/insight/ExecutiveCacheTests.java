package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.customer.AccountRecordsChanged;
import dev.steward.health.HealthScored;
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

    private int retention() {
        return cache.get("retention", computed::incrementAndGet);
    }

    private int point(LocalDate day) {
        return cache.get("point " + day, day.minusDays(7), day, computed::incrementAndGet);
    }
}
