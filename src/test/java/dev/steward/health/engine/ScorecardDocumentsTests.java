package dev.steward.health.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScorecardDocumentsTests {

    static final Set<String> USAGE_CATALOG = Set.of(
            "logins",
            "active_users",
            "events",
            "feature.dashboards",
            "feature.reports",
            "feature.integrations",
            "feature.automations",
            "feature.api");

    private final ScorecardDocuments documents = new ScorecardDocuments(USAGE_CATALOG);

    private static final String VALID = """
            name: Mid-Market
            appliesTo: account.tier == "Mid-Market"
            priority: 20
            thresholds: { red: 35, yellow: 65 }
            minimumCoverage: 0.5
            dimensions:
              - name: Product
                weight: 60
                measures:
                  - name: License utilization
                    metric: active_users
                    aggregate: ratio_to_seats
                    window: 30d
                    weight: 40
                    score: { linear: { from: 0.2, to: 0.8 } }
                  - name: Active-user trend
                    metric: active_users
                    aggregate: pct_change
                    window: 12w
                    weight: 30
                    score: { bands: [ { below: -0.3, points: 0 }, { below: -0.1, points: 50 }, { else: 100 } ] }
                  - name: Feature adoption
                    metric: feature.*
                    aggregate: distinct_ratio
                    window: 90d
                    weight: 30
                    score: { percentile: { within: segment } }
              - name: Support
                weight: 40
                measures:
                  - name: Escalations
                    metric: tickets.escalated
                    aggregate: count
                    window: 90d
                    weight: 100
                    score: { bands: [ { above: 2, points: 0 }, { above: 0, points: 60 }, { else: 100 } ] }
            """;

    @Test
    void aValidDocumentReadsIntoRecords() {
        ScorecardCheck check = documents.read(VALID);

        assertThat(check.problems()).isEmpty();
        assertThat(check.isValid()).isTrue();
        Scorecard scorecard = check.scorecard();
        assertThat(scorecard.thresholds()).isEqualTo(new Thresholds(35, 65));
        assertThat(scorecard.minimumCoverage()).isEqualTo(0.5);
        assertThat(scorecard.dimensions().get(0).measures().get(1).window())
                .isEqualTo(new Window(12, Window.Unit.WEEKS));
        assertThat(scorecard.dimensions().get(0).measures().get(0).score()).isEqualTo(new ScoreRule.Linear(0.2, 0.8));
    }

    @Test
    void omittedThresholdsAndCoverageTakeTheDefaults() {
        Scorecard scorecard = documents
                .read(VALID.replace("thresholds: { red: 35, yellow: 65 }\n", "").replace("minimumCoverage: 0.5\n", ""))
                .scorecard();

        assertThat(scorecard.thresholds()).isEqualTo(new Thresholds(40, 70));
        assertThat(scorecard.minimumCoverage()).isEqualTo(0.6);
    }

    @Test
    void writingAndReadingBackGivesTheSameDocument() {
        Scorecard scorecard = documents.read(VALID).scorecard();

        String written = ScorecardDocuments.write(scorecard);

        assertThat(documents.read(written).scorecard()).isEqualTo(scorecard);
        assertThat(ScorecardDocuments.write(documents.read(written).scorecard()))
                .isEqualTo(written);
        assertThat(written).startsWith("name: Mid-Market\nappliesTo: account.tier == \"Mid-Market\"\npriority: 20\n");
        assertThat(written).contains("    window: 12w\n", "- below: -0.3\n              points: 0\n");
    }

    @Test
    void weightsThatDoNotTotalOneHundredAreReportedWhereTheyAreListed() {
        List<ScorecardProblem> problems = documents
                .read(VALID.replace("- name: Support\n    weight: 40", "- name: Support\n    weight: 30")
                        .replace(
                                "    weight: 30\n        score: { percentile",
                                "    weight: 20\n        score: {" + " percentile"))
                .problems();

        assertThat(problems)
                .containsExactly(
                        new ScorecardProblem(6, 1, "dimensions", "dimension weights total 90, must be 100"),
                        new ScorecardProblem(9, 5, "dimensions[0].measures", "measure weights total 90, must be 100"));
    }

    @Test
    void aMisspeltKeyIsReportedNotIgnored() {
        List<ScorecardProblem> problems = documents
                .read(VALID.replace("    weight: 100\n", "    wieght: 100\n"))
                .problems();

        assertThat(problems)
                .containsExactly(
                        new ScorecardProblem(31, 9, "dimensions[1].measures[0].weight", "is required"),
                        new ScorecardProblem(
                                35,
                                9,
                                "dimensions[1].measures[0].wieght",
                                "unknown key 'wieght'; did you mean 'weight'?"));
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsLine() {
        String broken = """
                name: Broken
                appliesTo: account.teir == "SMB"
                priority: 1
                thresholds: { red: 70, yellow: 40 }
                minimumCoverage: 1.5
                dimensions:
                  - name: Product
                    weight: 100
                    measures:
                      - name: Logins
                        metric: loggins
                        aggregate: avg
                        window: 0d
                        weight: 50
                        score: { linear: { from: 1, to: 1 } }
                      - name: Logins
                        metric: logins
                        aggregate: sum
                        window: thirty days
                        weight: 50
                        score: { bands: [ { below: 10, points: 0 }, { below: 5, points: 50 } ] }
                      - name: Trend
                        metric: active_users
                        aggregate: pct_change
                        window: 30d
                        weight: "0"
                        score: { bands: [ { below: 0, points: 40 }, { above: 1, points: 80 }, { else: 120 } ] }
                """;

        List<ScorecardProblem> problems = documents.read(broken).problems();

        assertThat(problems)
                .extracting(p -> p.line() + " " + p.field() + ": " + p.reason())
                .containsExactly(
                        "2 appliesTo: does not compile as CEL: undefined field 'teir'",
                        "4 thresholds: red (70) must be below yellow (40): Red is 0–red, Yellow is red+1–yellow",
                        "5 minimumCoverage: must be between 0 and 1, was '1.5'",
                        "11 dimensions[0].measures[0].metric: unknown metric 'loggins'; use a usage metric from the"
                                + " catalog, an account attribute as attribute.<name>, or one of "
                                + ScorecardDocuments.FACT_METRICS,
                        "12 dimensions[0].measures[0].aggregate: unknown aggregate 'avg'; use one of sum, average,"
                                + " count, distinct, latest, days_since, pct_change, ratio_to_seats, distinct_ratio",
                        "13 dimensions[0].measures[0].window: must be positive, was 0d",
                        "15 dimensions[0].measures[0].score.linear: from and to are both '1'; they must differ",
                        "16 dimensions[0].measures[1].name: another measure is named 'Logins' (dimensions[0].measures[0]);"
                                + " names must be unique",
                        "19 dimensions[0].measures[1].window: 'thirty days' is not a window; write a number of days or"
                                + " weeks such as 30d or 12w",
                        "21 dimensions[0].measures[1].score.bands[1]: below 5 must be greater than the band before it"
                                + " (below 10), or no value could reach it",
                        "26 dimensions[0].measures[2].weight: must be a whole number, was '0'",
                        "27 dimensions[0].measures[2].score.bands[1]: mixes below and above; bands must all use one of"
                                + " them",
                        "27 dimensions[0].measures[2].score.bands[2].else: points must be between 0 and 100, were"
                                + " '120'");
        assertThat(documents.read(broken).scorecard()).isNull();
    }

    @Test
    void anAggregateAFactIsNotReadByIsRefusedWithTheOneItIs() {
        List<ScorecardProblem> problems = documents
                .read(VALID.replace(
                                "metric: tickets.escalated\n        aggregate: count",
                                "metric: tickets.escalated\n        aggregate: sum")
                        .replace(
                                "metric: feature.*\n        aggregate: distinct_ratio",
                                "metric: feature.*\n        aggregate: sum"))
                .problems();

        assertThat(problems)
                .extracting(p -> p.field() + ": " + p.reason())
                .containsExactly(
                        "dimensions[0].measures[2].aggregate: feature.* names a family of metrics, which is measured as"
                                + " the share of them used; write aggregate: distinct_ratio",
                        "dimensions[1].measures[0].aggregate: tickets.escalated is read as count (counted over the"
                                + " window); write aggregate: count");
        assertThat(problems).allSatisfy(p -> assertThat(p.line()).isNotNull());
    }

    @Test
    void bandsWithoutAFinalElseAreRefused() {
        List<ScorecardProblem> problems = documents
                .read(VALID.replace(", { else: 100 } ] }\n      - name: Feature", " ] }\n      - name: Feature"))
                .problems();

        assertThat(problems)
                .extracting(p -> p.line() + " " + p.field() + ": " + p.reason())
                .containsExactly("21 dimensions[0].measures[1].score.bands: the last band must be 'else: points', so"
                        + " that every value gets points");
    }

    @Test
    void wrongTypesAndDuplicateDimensionsAreReported() {
        List<ScorecardProblem> problems = documents
                .read(VALID.replace("priority: 20", "priority: high").replace("- name: Support", "- name: Product"))
                .problems();

        assertThat(problems)
                .extracting(p -> p.line() + " " + p.field() + ": " + p.reason())
                .containsExactly(
                        "3 priority: must be a whole number, was 'high'",
                        "28 dimensions[1].name: another dimension is named 'Product' (dimensions[0]); names must be"
                                + " unique");
    }

    @ParameterizedTest
    @ValueSource(strings = {"name: [unclosed", "", "- just\n- a list"})
    void malformedDocumentsGiveProblemsNotExceptions(String yaml) {
        ScorecardCheck check = documents.read(yaml);

        assertThat(check.isValid()).isFalse();
        assertThat(check.problems()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"enterprise.yaml", "mid-market.yaml", "smb.yaml"})
    void theShippedScorecardsAreValid(String file) throws IOException {
        ScorecardCheck check = documents.read(shipped(file));

        assertThat(check.problems()).isEmpty();
        assertThat(check.scorecard().dimensions())
                .extracting(d -> d.name() + " " + d.weight())
                .containsExactly("Product 40", "Engagement 25", "Support 20", "Financial 15");
        assertThat(check.scorecard().dimensions().stream()
                        .mapToInt(d -> d.measures().size())
                        .sum())
                .isGreaterThanOrEqualTo(12);
        assertThat(check.scorecard().dimensions().stream()
                        .flatMap(d -> d.measures().stream())
                        .mapToInt(m -> m.window().lengthInDays()))
                .allMatch(days -> days <= 90);
    }

    @Test
    void theShippedScorecardsFormOneAssignableSetWithDifferentExpectations() throws IOException {
        List<Scorecard> shipped = List.of(
                documents.read(shipped("enterprise.yaml")).scorecard(),
                documents.read(shipped("mid-market.yaml")).scorecard(),
                documents.read(shipped("smb.yaml")).scorecard());

        assertThat(ScorecardDocuments.checkSet(shipped)).isEmpty();
        ScorecardAssignment assignment = ScorecardAssignment.of(shipped);
        assertThat(assignment
                        .assign(new AccountProfile("SMB", null, null, null, null, null, null))
                        .scorecard())
                .contains(shipped.get(2));
        assertThat(shipped)
                .extracting(s -> s.dimensions().get(0).measures().get(2).score())
                .doesNotHaveDuplicates();
    }

    /**
     * The shipped catch-all scores every account the segment scorecards leave, and none of theirs; its points do not
     * depend on which accounts it scores (no percentile ranks), so adding it changes no other account's score.
     */
    @Test
    void theShippedCatchAllTakesEveryAccountTheSegmentScorecardsLeaveAndNoneOfTheirs() throws IOException {
        ScorecardCheck check = documents.read(shipped("all-other-accounts.yaml"));
        assertThat(check.problems()).isEmpty();
        Scorecard catchAll = check.scorecard();
        assertThat(catchAll.dimensions())
                .flatExtracting(Dimension::measures)
                .extracting(Measure::score)
                .noneMatch(rule -> rule instanceof ScoreRule.Percentile);
        List<Scorecard> shipped = List.of(
                documents.read(shipped("enterprise.yaml")).scorecard(),
                documents.read(shipped("mid-market.yaml")).scorecard(),
                documents.read(shipped("smb.yaml")).scorecard(),
                catchAll);
        assertThat(ScorecardDocuments.checkSet(shipped)).isEmpty();
        ScorecardAssignment assignment = ScorecardAssignment.of(shipped);
        for (int i = 0; i < 3; i++) {
            String tier = shipped.get(i).name();
            assertThat(assignment
                            .assign(new AccountProfile(tier, null, null, null, null, null, null))
                            .scorecard())
                    .contains(shipped.get(i));
        }
        for (String tier : new String[] {"pro", "Basic", null}) {
            assertThat(assignment
                            .assign(new AccountProfile(tier, "Retail", "EMEA", 12L, null, 0.0, java.util.Map.of()))
                            .scorecard())
                    .as("tier %s", tier)
                    .contains(catchAll);
        }
    }

    /**
     * An account attribute is read as its latest value, so it may only be aggregated that way; one that no account has
     * is unknown. A usage metric key may not take the prefix of another kind of fact, which would shadow it.
     */
    @Test
    void attributesAreReadAsTheirLatestValueAndUsageKeysMayNotShadowOtherFacts() {
        ScorecardDocuments withAttributes = new ScorecardDocuments(Set.of("logins", "attribute.tenure_months"));
        String document = """
                name: Attributes
                appliesTo: "true"
                priority: 1
                dimensions:
                  - name: Relationship
                    weight: 100
                    measures:
                      - name: Tenure
                        metric: attribute.tenure_months
                        aggregate: sum
                        window: 30d
                        weight: 50
                        score: { linear: { from: 0, to: 40 } }
                      - name: Charges
                        metric: attribute.monthly_charges
                        aggregate: latest
                        window: 30d
                        weight: 50
                        score: { linear: { from: 0, to: 100 } }
                """;
        List<ScorecardProblem> problems = withAttributes.read(document).problems();
        assertThat(problems)
                .extracting(p -> p.line() + " " + p.field() + ": " + p.reason())
                .containsExactly(
                        "10 dimensions[0].measures[0].aggregate: attribute.tenure_months is read as latest (its value"
                                + " on the day scored); write aggregate: latest",
                        "15 dimensions[0].measures[1].metric: unknown metric 'attribute.monthly_charges'; use a usage"
                                + " metric from the catalog, an account attribute as attribute.<name>, or one of "
                                + ScorecardDocuments.FACT_METRICS);
        for (String fact : ScorecardDocuments.FACT_METRICS) {
            assertThat(dev.steward.usage.UsageMetric.reservedReason(fact))
                    .as("a usage metric named %s would be read as that fact", fact)
                    .isNotNull();
        }
        assertThat(dev.steward.usage.UsageMetric.reservedReason(ScorecardDocuments.ATTRIBUTE + "x"))
                .isNotNull();
        assertThat(dev.steward.usage.UsageMetric.reservedReason("usage.total")).isNull();
    }

    private static String shipped(String file) throws IOException {
        try (InputStream in = ScorecardDocumentsTests.class.getResourceAsStream("/health/scorecards/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
