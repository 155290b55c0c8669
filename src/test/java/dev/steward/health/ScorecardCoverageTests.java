package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.engine.AccountProfile;
import dev.steward.health.engine.Scorecard;
import dev.steward.health.engine.ScorecardAssignment;
import dev.steward.health.engine.Thresholds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How customers no scorecard applies to are grouped, and the condition that selects each group. */
class ScorecardCoverageTests {

    @Test
    void groupsAreToldByTheAttributesThePublishedConditionsRead() {
        List<VersionedScorecard> set = List.of(
                version("EMEA", "account.region == \"EMEA\" && account.employees > 500", 10),
                version("Pro", "account.tier == \"Pro\"", 20));
        assertThat(ScorecardCoverage.decidedBy(set)).containsExactly("tier", "region");
        assertThat(ScorecardCoverage.describe(List.of("tier", "region"))).isEqualTo("tier and region");
        assertThat(ScorecardCoverage.describe(List.of("tier", "industry", "region")))
                .isEqualTo("tier, industry and region");
        // Conditions on numbers alone decide nothing a group could be told by: the segment is shown.
        assertThat(ScorecardCoverage.decidedBy(List.of(version("Big", "account.arr > 100000.0", 10))))
                .containsExactly("tier");
    }

    @Test
    void aGroupsConditionSelectsExactlyItsAccounts() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("tier", "Pro \"Plus\"");
        attributes.put("region", null);
        String condition = ScorecardCoverage.condition(attributes);
        assertThat(condition).isEqualTo("account.tier == \"Pro \\\"Plus\\\"\" && !has(account.region)");

        ScorecardAssignment assignment =
                ScorecardAssignment.of(List.of(version("Group", condition, 10).scorecard()));
        assertThat(assignment.assign(profile("Pro \"Plus\"", null)).scorecard()).isPresent();
        assertThat(assignment.assign(profile("Pro \"Plus\"", "EMEA")).scorecard())
                .isEmpty();
        assertThat(assignment.assign(profile("Pro", null)).scorecard()).isEmpty();
    }

    private static AccountProfile profile(String tier, String region) {
        return new AccountProfile(tier, null, region, null, null, null, Map.of());
    }

    private static VersionedScorecard version(String name, String appliesTo, int priority) {
        return new VersionedScorecard(
                name, 1, new Scorecard(name, appliesTo, priority, Thresholds.DEFAULT, 0.6, List.of()));
    }
}
