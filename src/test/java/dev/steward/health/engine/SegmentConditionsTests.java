package dev.steward.health.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A scorecard's {@code appliesTo} may name segments as {@code "name" in segments}: assigned and validated. */
class SegmentConditionsTests {

    private static final KnownSegments KNOWN =
            new KnownSegments(true, Set.of("Strategic accounts", "Enterprise", "At risk"), Set.of("At risk"));

    private static final String DOCUMENT = """
            name: Strategic
            appliesTo: |
              account.tier == "Enterprise" &&
                "%s" in segments
            priority: 5
            dimensions:
              - name: Sentiment
                weight: 100
                measures:
                  - name: CSM sentiment
                    metric: sentiment.csm
                    aggregate: latest
                    window: 90d
                    weight: 100
                    score: { linear: { from: 1, to: 5 } }
            """;

    @Test
    void aScorecardNamingASegmentAppliesToItsMembersOnly() {
        Scorecard strategic = scorecard("Strategic", "\"Strategic accounts\" in segments", 5);
        Scorecard everyone = scorecard("Everyone", "true", 10);
        ScorecardAssignment assignment = ScorecardAssignment.of(List.of(strategic, everyone));
        AccountProfile account = new AccountProfile("SMB", null, null, null, null, null, Map.of());

        assertThat(assignment.assign(account).scorecard()).contains(everyone);
        assertThat(assignment
                        .assign(account.inSegments(Set.of("Strategic accounts")))
                        .scorecard())
                .contains(strategic);
        assertThat(assignment.assign(account.inSegments(Set.of("Enterprise"))).scorecard())
                .contains(everyone);
        assertThat(ScorecardDocuments.segmentsNamed(scorecard("Two", "'A' in segments || !(\"B\" in segments)", 1)))
                .containsExactly("A", "B");
    }

    @Test
    void aPublishedSegmentIsAccepted() {
        ScorecardCheck check = new ScorecardDocuments(Set.of(), KNOWN).read(DOCUMENT.formatted("Strategic accounts"));

        assertThat(check.problems()).isEmpty();
        assertThat(check.isValid()).isTrue();
    }

    @Test
    void anUnknownSegmentIsAnErrorAtItsLineWithTheNearestName() {
        ScorecardCheck check = new ScorecardDocuments(Set.of(), KNOWN).read(DOCUMENT.formatted("Strategic acounts"));

        assertThat(check.isValid()).isFalse();
        assertThat(check.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(4);
            assertThat(problem.column()).isEqualTo(6);
            assertThat(problem.field()).isEqualTo("appliesTo");
            assertThat(problem.reason())
                    .startsWith(
                            "no published segment is named 'Strategic acounts'; did you mean 'Strategic accounts'?");
        });
    }

    @Test
    void withoutSegmentsKeptASegmentCannotBeNamed() {
        ScorecardCheck check = new ScorecardDocuments(Set.of()).read(DOCUMENT.formatted("Strategic accounts"));

        assertThat(check.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(4);
            assertThat(problem.reason()).contains("keeps no segments");
        });
    }

    @Test
    void aSegmentThatReadsHealthOrAnyOtherReadingOfSegmentsIsRefused() {
        assertThat(new ScorecardDocuments(Set.of(), KNOWN)
                        .read(DOCUMENT.formatted("At risk"))
                        .problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem.reason()).contains("depends on health scores"));
        assertThat(new ScorecardDocuments(Set.of(), KNOWN)
                        .read(DOCUMENT.replace("\"%s\" in segments", "segments.size() > 1"))
                        .problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem.reason()).startsWith("reads segments only as"));
    }

    private static Scorecard scorecard(String name, String appliesTo, int priority) {
        return new Scorecard(
                name,
                appliesTo,
                priority,
                Thresholds.DEFAULT,
                Scorecard.DEFAULT_MINIMUM_COVERAGE,
                List.of(new Dimension(
                        "Product",
                        100,
                        List.of(new Measure(
                                "Logins",
                                "logins",
                                Aggregate.sum,
                                Window.days(30),
                                100,
                                new ScoreRule.Linear(0, 10))))));
    }
}
