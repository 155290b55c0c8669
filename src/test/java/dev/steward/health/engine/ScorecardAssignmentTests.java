package dev.steward.health.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorecardAssignmentTests {

    private final Scorecard enterprise = scorecard("Enterprise", "account.tier == \"Enterprise\"", 10);
    private final Scorecard emea = scorecard("EMEA", "account.region == \"EMEA\" && account.employees > 500", 5);
    private final Scorecard bigSpenders = scorecard("Big spenders", "account.arr >= 1000000", 20);
    private final Scorecard pilots = scorecard("Pilots", "account.customFields.pilot == true", 30);

    @Test
    void theLowestPriorityNumberAmongMatchingScorecardsWins() {
        ScorecardAssignment assignment = ScorecardAssignment.of(List.of(enterprise, emea, bigSpenders));
        AccountProfile big = profile("Enterprise", "EMEA", 900L, 2_000_000.0, Map.of());

        assertThat(assignment.assign(big).scorecard()).contains(emea);
        assertThat(assignment
                        .assign(profile("Enterprise", "EMEA", 100L, 2_000_000.0, Map.of()))
                        .scorecard())
                .contains(enterprise);
        assertThat(assignment
                        .assign(profile("SMB", "APAC", 100L, 2_000_000.0, Map.of()))
                        .scorecard())
                .contains(bigSpenders);
        assertThat(assignment.assign(big).reason())
                .isEqualTo("EMEA applies (account.region == \"EMEA\" && account.employees > 500, priority 5)");
    }

    @Test
    void anAccountNoConditionHoldsForGetsNoScorecardAndIsToldSo() {
        ScorecardAssignment assignment = ScorecardAssignment.of(List.of(enterprise, pilots));
        ScorecardAssignment.Assignment none = assignment.assign(profile("SMB", "APAC", 10L, 5_000.0, Map.of()));

        assertThat(none.scorecard()).isEmpty();
        assertThat(none.reason()).startsWith("no scorecard applies; Pilots could not be decided: ");
        assertThat(assignment
                        .assign(profile("SMB", "APAC", 10L, 5_000.0, Map.of("pilot", true)))
                        .scorecard())
                .contains(pilots);
    }

    @Test
    void twoScorecardsWithOnePriorityCannotBeAssigned() {
        Scorecard alsoTen = scorecard("Strategic", "account.tier == \"Strategic\"", 10);

        assertThat(ScorecardDocuments.checkSet(List.of(enterprise, alsoTen)))
                .singleElement()
                .satisfies(problem -> {
                    assertThat(problem.field()).isEqualTo("priority");
                    assertThat(problem.reason()).startsWith("Enterprise and Strategic both have priority 10");
                });
        assertThatThrownBy(() -> ScorecardAssignment.of(List.of(enterprise, alsoTen)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static AccountProfile profile(
            String tier, String region, Long employees, Double arr, Map<String, Object> customFields) {
        return new AccountProfile(tier, "Software", region, employees, "adopting", arr, customFields);
    }

    private static Scorecard scorecard(String name, String appliesTo, int priority) {
        return new Scorecard(
                name,
                appliesTo,
                priority,
                Thresholds.DEFAULT,
                0.6,
                List.of(new Dimension(
                        "Product",
                        100,
                        List.of(new Measure(
                                "Logins",
                                "logins",
                                dev.steward.health.engine.Aggregate.sum,
                                dev.steward.health.engine.Window.days(30),
                                100,
                                new dev.steward.health.engine.ScoreRule.Linear(0, 10))))));
    }
}
