package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.activity.ActivityRecorded;
import dev.steward.core.MovableClock;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.health.HealthScored;
import dev.steward.lifecycle.MilestonesChanged;
import dev.steward.playbook.CtasChanged;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which changes make a kept cockpit be built again, and which leave it kept. */
class CockpitCacheTests {

    final MovableClock clock = new MovableClock();
    final CockpitCache cache = new CockpitCache(clock);

    final UUID cara = UUID.randomUUID();
    final UUID dan = UUID.randomUUID();
    final UUID anvil = UUID.randomUUID();
    final UUID birch = UUID.randomUUID();
    final UUID ivy = UUID.randomUUID();
    final AtomicInteger built = new AtomicInteger();

    /** Cara's book holds Anvil and Birch; Dan's Ivy. The value is how many books had been built when it was. */
    int cockpit(UUID owner) {
        List<UUID> book = owner.equals(cara) ? List.of(anvil, birch) : List.of(ivy);
        return cache.get("cockpit", Set.of(owner), () -> new CockpitCache.Built<>(built.incrementAndGet(), book));
    }

    CockpitCacheTests() {
        clock.advanceTo(Instant.parse("2026-03-18T10:00:00Z"));
    }

    @Test
    void aCockpitIsBuiltOnceUntilSomethingInItsBookChanges() {
        assertThat(cockpit(cara)).isEqualTo(1);
        assertThat(cockpit(cara)).isEqualTo(1);
        assertThat(cockpit(dan)).isEqualTo(2);

        cache.on(new ActivityRecorded(new AccountId(birch), "note", clock.instant()));

        assertThat(cockpit(cara)).as("Birch is in Cara's book").isEqualTo(3);
        assertThat(cockpit(dan)).as("nothing of Dan's changed").isEqualTo(2);
    }

    @Test
    void scoresAndMilestonesForgetTheBooksOfTheirAccounts() {
        cockpit(cara);
        cockpit(dan);

        cache.on(new HealthScored(LocalDate.of(2026, 3, 18), false, Set.of(ivy)));
        assertThat(cockpit(cara)).isEqualTo(1);
        assertThat(cockpit(dan)).isEqualTo(3);

        cache.on(new MilestonesChanged(Set.of(anvil)));
        assertThat(cockpit(cara)).isEqualTo(4);

        cache.on(new HealthScored(LocalDate.of(2026, 3, 18), true, Set.of()));
        assertThat(cockpit(cara)).as("every account re-scored").isEqualTo(5);
        assertThat(cockpit(dan)).isEqualTo(6);
    }

    @Test
    void anAccountRecordOrACtaForgetsEveryBook() {
        cockpit(cara);
        cockpit(dan);

        // The account's owner may have changed: the new owner's book did not hold it.
        cache.on(new AccountRecordsChanged(AccountRecordsChanged.ACCOUNT, Set.of(ivy)));
        assertThat(cockpit(cara)).isEqualTo(3);
        assertThat(cockpit(dan)).isEqualTo(4);

        cache.on(new CtasChanged(UUID.randomUUID()));
        assertThat(cockpit(cara)).isEqualTo(5);

        cache.on(new AccountRecordsChanged("contract", Set.of(ivy)));
        assertThat(cockpit(cara)).as("a contract of Dan's account").isEqualTo(5);
    }

    @Test
    void aCockpitBuiltWhileSomethingChangedIsNotKept() {
        int first = cache.get("cockpit", Set.of(cara), () -> {
            // Another request records a touch while this one reads the book.
            cache.on(new ActivityRecorded(new AccountId(ivy), "note", clock.instant()));
            return new CockpitCache.Built<>(built.incrementAndGet(), List.of(anvil));
        });

        assertThat(first).isEqualTo(1);
        assertThat(cockpit(cara))
                .as("built again: the first may have read data from before the change")
                .isEqualTo(2);
        assertThat(cockpit(cara)).isEqualTo(2);
    }

    @Test
    void aCockpitIsKeptAMinuteAtMostAndForItsDayOnly() {
        cockpit(cara);
        clock.advance(Duration.ofSeconds(59));
        assertThat(cockpit(cara)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(cockpit(cara))
                .as("other instances' writes, and reasons that say how long ago")
                .isEqualTo(2);

        clock.advanceTo(Instant.parse("2026-03-18T23:59:59Z"));
        assertThat(cockpit(cara)).isEqualTo(3);
        clock.advance(Duration.ofSeconds(2));
        assertThat(cockpit(cara)).as("a new day").isEqualTo(4);
    }

    @Test
    void theCockpitAndItsHistoryAreKeptApart() {
        cockpit(cara);
        int history = cache.get("history", Set.of(cara), () -> new CockpitCache.Built<>(-1, List.of(anvil)));

        assertThat(history).isEqualTo(-1);
        assertThat(cockpit(cara)).isEqualTo(1);
    }
}
