package dev.steward.health.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Templates a new scorecard starts from, with their arithmetic worked by hand. */
class ScorecardTemplatesTests {

    private static final double NA = Double.NaN;

    private final List<ScorecardTemplates.Candidate> candidates = ScorecardTemplates.candidates(
            List.of(
                    new ScorecardTemplates.UsageMetricSpec("logins", "Logins", true),
                    new ScorecardTemplates.UsageMetricSpec("active_users", "Active users", false),
                    new ScorecardTemplates.UsageMetricSpec("feature.reports", "Reports", true),
                    new ScorecardTemplates.UsageMetricSpec("feature.api", "API", true),
                    new ScorecardTemplates.UsageMetricSpec("nps_like", "NPS", true)),
            List.of("tenure_months"));

    private final ScorecardDocuments documents = new ScorecardDocuments(
            Set.of("logins", "active_users", "feature.reports", "feature.api", "nps_like", "attribute.tenure_months"));

    @Test
    void everyFactAndMetricIsACandidateReadAsScoringReadsIt() {
        assertThat(candidates)
                .extracting(ScorecardTemplates.Candidate::metric)
                .startsWith("logins", "active_users", "nps_like", "feature.*")
                .containsAll(ScorecardDocuments.FACT_METRICS)
                .endsWith("attribute.tenure_months")
                // The key features are one measure, the share used: not one measure each.
                .doesNotContain("feature.reports", "feature.api")
                .hasSize(4 + ScorecardDocuments.FACT_METRICS.size() + 1);
        assertThat(candidate("active_users").aggregate()).isEqualTo(Aggregate.average);
        assertThat(candidate("logins").aggregate()).isEqualTo(Aggregate.sum);
        assertThat(candidate("feature.*").aggregate()).isEqualTo(Aggregate.distinct_ratio);
        assertThat(candidate("attribute.tenure_months").name()).isEqualTo("Tenure months");
        // A catalog name that a fact's measure has too is told apart by its key.
        assertThat(candidate("nps_like").name()).isEqualTo("NPS");
        assertThat(candidate("surveys.nps").name()).isEqualTo("NPS (surveys.nps)");
        assertThat(candidate("tickets.count").lowerIsBetter()).isTrue();

        // With every candidate in one scorecard, each reads a known metric the one way validation allows (the probe's
        // weights are not meant to total 100: it is never saved).
        Scorecard probe = ScorecardTemplates.probe("Probe", "true", 10, candidates);
        assertThat(documents.check(probe))
                .extracting(ScorecardProblem::field)
                .allMatch(field -> field.equals("dimensions[0].measures"));
    }

    @Test
    void aGeneratedScorecardHoldsTheMeasuresWithDataThatTellAccountsApartWeighingTheSame() {
        // Five accounts; columns follow the candidates. Hand-computed percentiles (linear between closest ranks):
        // logins 0, 10, 20, 30, 40 → p10 = 4, p90 = 36; tickets 1, 1, 1, 1, 9 → p10 = 1, p90 = 5.8 (lower is better);
        // tenure N/A, 12, N/A, N/A, 24 → p10 = 13.2, p90 = 22.8; active users always 3 (the same for everyone);
        // NPS 12 from the four accounts that answered.
        double[][] rows = {
            {0, 3, 1, 12, NA},
            {10, 3, 1, 12, 12},
            {20, 3, 1, 12, NA},
            {30, 3, 1, 12, NA},
            {40, 3, 9, NA, 24},
        };
        List<String> columns =
                List.of("logins", "active_users", "tickets.count", "surveys.nps", "attribute.tenure_months");

        ScorecardTemplates.Generated generated = ScorecardTemplates.fromData(
                "Basic", "account.tier == \"Basic\"", 40, candidates, values(rows, columns));

        assertThat(generated.accounts()).isEqualTo(5);
        assertThat(generated.included())
                .extracting(s -> s.candidate().metric())
                .containsExactly("logins", "tickets.count", "attribute.tenure_months");
        assertThat(signal(generated, "active_users").leftOut())
                .isEqualTo("the same value (3) for all 5 accounts with data, so it cannot tell accounts apart");
        assertThat(signal(generated, "surveys.nps").leftOut())
                .isEqualTo("the same value (12) for all 4 accounts with data, so it cannot tell accounts apart");
        assertThat(signal(generated, "sentiment.csm").leftOut()).isEqualTo("no data for any of the 5 accounts");
        assertThat(signal(generated, "attribute.tenure_months").accountsWithData())
                .isEqualTo(2);

        Scorecard scorecard = generated.scorecard();
        assertThat(scorecard.name()).isEqualTo("Basic");
        assertThat(scorecard.priority()).isEqualTo(40);
        // One measure in each of three dimensions: 34 + 33 + 33, each measure all of its dimension.
        assertThat(scorecard.dimensions())
                .extracting(Dimension::name, Dimension::weight)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Product", 34),
                        org.assertj.core.groups.Tuple.tuple("Support", 33),
                        org.assertj.core.groups.Tuple.tuple("Account attributes", 33));
        Measure logins = scorecard.dimensions().get(0).measures().get(0);
        assertThat(logins.weight()).isEqualTo(100);
        assertThat(logins.score()).isEqualTo(new ScoreRule.Linear(4, 36));
        Measure tickets = scorecard.dimensions().get(1).measures().get(0);
        // Fewer tickets are better: no points at the 90th percentile, every point at the 10th.
        assertThat(tickets.score()).isEqualTo(new ScoreRule.Linear(5.8, 1));
        ScoreRule.Linear tenure = (ScoreRule.Linear)
                scorecard.dimensions().get(2).measures().get(0).score();
        assertThat(tenure.from()).isCloseTo(13.2, within(1e-9));
        assertThat(tenure.to()).isCloseTo(22.8, within(1e-9));

        // What is generated is a valid document, written and read back unchanged.
        String yaml = ScorecardDocuments.write(scorecard);
        ScorecardCheck read = documents.read(yaml, "Basic");
        assertThat(read.problems()).isEmpty();
        assertThat(read.scorecard()).isEqualTo(scorecard);
    }

    @Test
    void withoutDataThatTellsAccountsApartThereIsNoScorecard() {
        double[][] rows = {{5}, {5}};
        ScorecardTemplates.Generated generated =
                ScorecardTemplates.fromData("Flat", "true", 40, candidates, values(rows, List.of("logins")));
        assertThat(generated.scorecard()).isNull();
        assertThat(generated.included()).isEmpty();
        assertThat(signal(generated, "logins").leftOut())
                .isEqualTo("the same value (5) for all 2 accounts with data, so it cannot tell accounts apart");
    }

    @Test
    void weightsAreWholePercentagesThatTotalAHundredAndShareEquallyAcrossMeasures() {
        assertThat(ScorecardTemplates.equalShares(3)).containsExactly(34, 33, 33);
        assertThat(ScorecardTemplates.equalShares(1)).containsExactly(100);
        assertThat(ScorecardTemplates.equalShares(7)).containsExactly(15, 15, 14, 14, 14, 14, 14);
        // Seven measures: 4 in one dimension, 2 and 1 in others: 57.1, 28.6, 14.3 → 57, 29, 14.
        assertThat(ScorecardTemplates.proportionalShares(new int[] {4, 2, 1})).containsExactly(57, 29, 14);
        assertThat(ScorecardTemplates.proportionalShares(new int[] {1, 1, 1})).containsExactly(34, 33, 33);
        assertThat(Arrays.stream(ScorecardTemplates.proportionalShares(new int[] {5, 3, 3, 2, 1}))
                        .sum())
                .isEqualTo(100);
    }

    @Test
    void percentilesInterpolateBetweenTheClosestRanks() {
        double[] sorted = {0, 10, 20, 30, 40};
        assertThat(ScorecardTemplates.percentile(sorted, 10)).isEqualTo(4);
        assertThat(ScorecardTemplates.percentile(sorted, 90)).isEqualTo(36);
        assertThat(ScorecardTemplates.percentile(new double[] {7}, 90)).isEqualTo(7);
    }

    @Test
    void aCopyAndASkeletonAreValidUnderTheirNewNames() {
        Scorecard skeleton = ScorecardTemplates.blank("Pro", "account.tier == \"Pro\"", 50);
        assertThat(documents.check(skeleton)).isEmpty();
        Scorecard copy = ScorecardTemplates.copy(skeleton, "Pro copy", "true", 60);
        assertThat(copy.name()).isEqualTo("Pro copy");
        assertThat(copy.appliesTo()).isEqualTo("true");
        assertThat(copy.priority()).isEqualTo(60);
        assertThat(copy.dimensions()).isEqualTo(skeleton.dimensions());
    }

    @Test
    void aNameHoldsLettersDigitsSpacesAndAFewMarksOnly() {
        assertThat(ScorecardDocuments.nameProblem("Mid-Market")).isNull();
        assertThat(ScorecardDocuments.nameProblem("Größe & Co. (EMEA) 2_b")).isNull();
        assertThat(ScorecardDocuments.nameProblem("")).isEqualTo("must not be blank");
        assertThat(ScorecardDocuments.nameProblem("Basic/Pro"))
                .isEqualTo("may hold letters, digits, spaces and - _ . & ( ) only; '/' at position 6 is not allowed");
        assertThat(ScorecardDocuments.nameProblem("Tab\there"))
                .isEqualTo(
                        "may hold letters, digits, spaces and - _ . & ( ) only; the character U+0009 at position 4 is"
                                + " not allowed");
        assertThat(ScorecardDocuments.nameProblem(" Basic")).isEqualTo("must begin with a letter or digit, not ' '");
        assertThat(ScorecardDocuments.nameProblem("Basic ")).isEqualTo("must not end with a space");
        assertThat(ScorecardDocuments.nameProblem("x".repeat(61)))
                .isEqualTo("has 61 characters; a scorecard's name may have at most 60");

        // In a document the name is checked where it is written.
        ScorecardCheck read = documents.read(ScorecardDocuments.write(ScorecardTemplates.blank("Basic?", "true", 10))
                .replace("Basic?", "'Basic?'"));
        assertThat(read.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(1);
            assertThat(problem.field()).isEqualTo("name");
            assertThat(problem.reason()).endsWith("'?' at position 6 is not allowed");
        });
    }

    @Test
    void aConditionCanSelectAccountsWithoutAnAttributeAndAnyValueQuoted() {
        assertThat(ScorecardDocuments.celString("Pro \"Plus\" \\ 2")).isEqualTo("\"Pro \\\"Plus\\\" \\\\ 2\"");
        ScorecardAssignment assignment = ScorecardAssignment.of(List.of(
                new Scorecard(
                        "Quoted",
                        "account.tier == " + ScorecardDocuments.celString("Pro \"Plus\" \\ 2"),
                        10,
                        Thresholds.DEFAULT,
                        0.6,
                        List.of()),
                new Scorecard("No tier", "!has(account.tier)", 20, Thresholds.DEFAULT, 0.6, List.of())));
        assertThat(ScorecardDocuments.conditionProblem("!has(account.tier)")).isNull();
        assertThat(assignment
                        .assign(new AccountProfile("Pro \"Plus\" \\ 2", null, null, null, null, null, Map.of()))
                        .scorecard())
                .map(Scorecard::name)
                .contains("Quoted");
        assertThat(assignment
                        .assign(new AccountProfile(null, "Retail", null, null, null, null, Map.of()))
                        .scorecard())
                .map(Scorecard::name)
                .contains("No tier");
        assertThat(assignment
                        .assign(new AccountProfile("Basic", null, null, null, null, null, Map.of()))
                        .scorecard())
                .isEmpty();
        assertThat(ScorecardDocuments.conditionProblem("account.tire == \"Basic\""))
                .startsWith("does not compile as CEL: ");
        assertThat(ScorecardDocuments.conditionProblem(" "))
                .isEqualTo("must not be blank; write true to apply to every account");
    }

    private ScorecardTemplates.Candidate candidate(String metric) {
        return candidates.stream()
                .filter(c -> c.metric().equals(metric))
                .findFirst()
                .orElseThrow();
    }

    private static ScorecardTemplates.Signal signal(ScorecardTemplates.Generated generated, String metric) {
        return generated.signals().stream()
                .filter(s -> s.candidate().metric().equals(metric))
                .findFirst()
                .orElseThrow();
    }

    /** Rows of values for some metrics, as raw values in the candidates' order (the others N/A). */
    private List<double[]> values(double[][] rows, List<String> columns) {
        return Arrays.stream(rows)
                .map(row -> {
                    double[] raw = new double[candidates.size()];
                    Arrays.fill(raw, NA);
                    for (int c = 0; c < columns.size(); c++) {
                        raw[candidates.indexOf(candidate(columns.get(c)))] = row[c];
                    }
                    return raw;
                })
                .toList();
    }
}
