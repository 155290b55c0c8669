package dev.steward.health.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RollUpTests {

    static final UUID GROUP = UUID.randomUUID();
    static final UUID PARENT = UUID.randomUUID();
    static final UUID BIG = UUID.randomUUID();
    static final UUID BLACK = UUID.randomUUID();
    static final UUID FREE = UUID.randomUUID();
    static final UUID GONE = UUID.randomUUID();

    static RollUp.Member member(UUID id, UUID parent, double arr, Double score, Color color) {
        return new RollUp.Member(id, parent, arr, score, color, Thresholds.DEFAULT);
    }

    /**
     * A worked example. The parent (60 points, ARR 100,000) has four children: one of 80 points with ARR 300,000; one
     * Black (left out); one of 40 points without ARR, which weighs as much as the smallest member with some (100,000);
     * and a former customer without a score (left out). (60 × 100k + 80 × 300k + 40 × 100k) ÷ 500k = 68.0, Yellow.
     * The group above it (90 points, ARR 50,000) rolls up the rolled parent at the parent's own ARR:
     * (90 × 50k + 68 × 100k) ÷ 150k = 75.33, rounded to 75.3, Green.
     */
    @Test
    void parentsAreTheArrWeightedAverageOfThemselvesAndTheirChildrenRolledUpFirst() {
        Map<UUID, RollUp.Rolled> rolled = RollUp.of(List.of(
                member(GROUP, null, 50_000, 90.0, Color.GREEN),
                member(PARENT, GROUP, 100_000, 60.0, Color.YELLOW),
                member(BIG, PARENT, 300_000, 80.0, Color.GREEN),
                member(BLACK, PARENT, 1_000_000, 10.0, Color.BLACK),
                member(FREE, PARENT, 0, 40.0, Color.RED),
                member(GONE, PARENT, 900_000, null, null)));

        assertThat(rolled)
                .containsOnlyKeys(PARENT, GROUP)
                .containsEntry(PARENT, new RollUp.Rolled(68.0, Color.YELLOW))
                .containsEntry(GROUP, new RollUp.Rolled(75.3, Color.GREEN));
    }

    /** A parent that is Black itself is its children's roll-up; with only Black or unscored children, it stays. */
    @Test
    void aBlackParentIsItsChildrensRollUpAndStaysBlackWithoutThem() {
        assertThat(RollUp.of(List.of(
                        member(PARENT, null, 100_000, 30.0, Color.BLACK),
                        member(BIG, PARENT, 300_000, 80.0, Color.GREEN),
                        member(FREE, PARENT, 100_000, 60.0, Color.YELLOW))))
                .as("(80 × 300k + 60 × 100k) ÷ 400k")
                .containsExactly(Map.entry(PARENT, new RollUp.Rolled(75.0, Color.GREEN)));
        assertThat(RollUp.of(List.of(
                        member(PARENT, null, 100_000, 30.0, Color.BLACK),
                        member(BLACK, PARENT, 300_000, 80.0, Color.BLACK),
                        member(GONE, PARENT, 100_000, null, null))))
                .isEmpty();
    }

    /** A hierarchy with a cycle (bad data) is rolled once per account and ends. */
    @Test
    void aCycleInTheHierarchyEnds() {
        assertThat(RollUp.of(List.of(
                        member(PARENT, BIG, 100_000, 50.0, Color.YELLOW),
                        member(BIG, PARENT, 100_000, 70.0, Color.YELLOW))))
                .hasSize(2);
    }
}
