package dev.steward.health.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScoringEngineTests {

    private static final ScoreRule HUNDRED_SCALE = new ScoreRule.Linear(0, 100);

    private final ScoringEngine engine = new ScoringEngine();

    /*
     * Product 50 { A 50 (linear 0→100), B 30 (bands: below 10 → 0, below 50 → 40, else 100), C 20 }
     * Engagement 30 { E 100 (linear 0→10) }
     * Support 20 { D 100 }
     */
    private final Scorecard scorecard = new Scorecard(
            "Worked example",
            "true",
            1,
            Thresholds.DEFAULT,
            0.6,
            List.of(
                    new Dimension(
                            "Product",
                            50,
                            List.of(
                                    measure("A", 50, HUNDRED_SCALE),
                                    measure(
                                            "B",
                                            30,
                                            new ScoreRule.Bands(
                                                    List.of(
                                                            new ScoreRule.Band(ScoreRule.Direction.BELOW, 10, 0),
                                                            new ScoreRule.Band(ScoreRule.Direction.BELOW, 50, 40)),
                                                    100)),
                                    measure("C", 20, HUNDRED_SCALE))),
                    new Dimension("Engagement", 30, List.of(measure("E", 100, new ScoreRule.Linear(0, 10)))),
                    new Dimension("Support", 20, List.of(measure("D", 100, HUNDRED_SCALE)))));

    /*
     * A = 80 → 80 points; B = 20 → 40 points; C has no data; E = 9 → 90 points; D has no data.
     * Product: C's 20 goes to A and B in proportion: A 50/80 = 62.5%, B 30/80 = 37.5%;
     *   Product score = 0.625 × 80 + 0.375 × 40 = 50 + 15 = 65.
     * Support has no data: its 20 goes to Product and Engagement: Product 50/80 = 62.5, Engagement 30/80 = 37.5.
     * Total = 0.625 × 65 + 0.375 × 90 = 40.625 + 33.75 = 74.375 → 74.4, Green.
     * Effective weights of the whole: A 62.5 × 0.625 = 39.0625, B 62.5 × 0.375 = 23.4375, E 37.5.
     * Contributions: A 31.25, B 9.375, E 33.75 (sum 74.375); points lost: A 7.8125, B 14.0625, E 3.75.
     * Coverage: A 50×50 + B 50×30 + E 30×100 = 7,000 of 10,000 = 0.7.
     */
    @Test
    void missingDataSpreadsWeightWithinTheDimensionThenAcrossDimensions() {
        AccountMeasures values =
                AccountMeasures.none().with("A", 80).with("B", 20).with("E", 9);

        HealthScore score = engine.score(scorecard, values);

        assertThat(score.score()).isEqualTo(74.4);
        assertThat(score.color()).isEqualTo(Color.GREEN);
        assertThat(score.coverage()).isCloseTo(0.7, offset(1e-12));
        assertThat(score.reason()).isEqualTo("Green: score 74.4 is above 70, with 70% of the scorecard covered");

        DimensionScore product = score.dimensions().get(0);
        assertThat(product.score()).isCloseTo(65, offset(1e-9));
        assertThat(product.effectiveWeight()).isCloseTo(62.5, offset(1e-9));
        assertThat(product.contribution()).isCloseTo(40.625, offset(1e-9));
        assertThat(product.pointsLost()).isCloseTo(21.875, offset(1e-9));

        MeasureScore a = product.measures().get(0);
        assertThat(a.rawValue()).isEqualTo(80);
        assertThat(a.points()).isEqualTo(80);
        assertThat(a.weight()).isEqualTo(50);
        assertThat(a.nominalWeight()).isCloseTo(25, offset(1e-9));
        assertThat(a.effectiveWeight()).isCloseTo(39.0625, offset(1e-9));
        assertThat(a.contribution()).isCloseTo(31.25, offset(1e-9));
        assertThat(a.pointsLost()).isCloseTo(7.8125, offset(1e-9));
        assertThat(a.why()).isEqualTo("A 80 scored 80 of 100 (linear from 0 to 100)");

        MeasureScore b = product.measures().get(1);
        assertThat(b.effectiveWeight()).isCloseTo(23.4375, offset(1e-9));
        assertThat(b.contribution()).isCloseTo(9.375, offset(1e-9));
        assertThat(b.pointsLost()).isCloseTo(14.0625, offset(1e-9));
        assertThat(b.why()).isEqualTo("B 20 scored 40 of 100 (band below 50)");

        MeasureScore c = product.measures().get(2);
        assertThat(c.hasData()).isFalse();
        assertThat(c.effectiveWeight()).isZero();
        assertThat(c.why()).isEqualTo("C is N/A: no data in the last 30d; its weight went to the measures with data");

        MeasureScore e = score.dimensions().get(1).measures().get(0);
        assertThat(e.effectiveWeight()).isCloseTo(37.5, offset(1e-9));
        assertThat(e.contribution()).isCloseTo(33.75, offset(1e-9));

        DimensionScore support = score.dimensions().get(2);
        assertThat(support.hasData()).isFalse();
        assertThat(support.effectiveWeight()).isZero();

        double contributions = score.dimensions().stream()
                .mapToDouble(DimensionScore::contribution)
                .sum();
        double lost = score.dimensions().stream()
                .mapToDouble(DimensionScore::pointsLost)
                .sum();
        assertThat(contributions).isCloseTo(74.375, offset(1e-9));
        assertThat(lost).isCloseTo(25.625, offset(1e-9));
    }

    @Test
    void belowMinimumCoverageTheAccountIsBlackButTheNumberIsStillShown() {
        // Only E has data: coverage 3,000 / 10,000 = 0.3 < 0.6; E alone carries the whole score: 90.
        HealthScore score = engine.score(scorecard, AccountMeasures.none().with("E", 9));

        assertThat(score.color()).isEqualTo(Color.BLACK);
        assertThat(score.score()).isEqualTo(90);
        assertThat(score.coverage()).isCloseTo(0.3, offset(1e-12));
        assertThat(score.reason())
                .isEqualTo("Black: only 30% of the scorecard had data, below the minimum 60% (the score would be 90,"
                        + " green)");
    }

    @Test
    void exactlyTheMinimumCoverageIsEnough() {
        // D + E + C: 20×100 + 30×100 + 50×20 = 6,000 of 10,000 = 0.6 exactly.
        HealthScore score = engine.score(
                scorecard, AccountMeasures.none().with("D", 100).with("E", 10).with("C", 100));

        assertThat(score.coverage()).isEqualTo(0.6);
        assertThat(score.color()).isEqualTo(Color.GREEN);
    }

    @Test
    void noDataAtAllScoresZeroAndBlack() {
        HealthScore score = engine.score(scorecard, AccountMeasures.none());

        assertThat(score.score()).isZero();
        assertThat(score.coverage()).isZero();
        assertThat(score.color()).isEqualTo(Color.BLACK);
    }

    @Test
    void theColorFollowsTheRoundedScoreAtTheExactThresholds() {
        Scorecard single = new Scorecard(
                "Single",
                "true",
                1,
                Thresholds.DEFAULT,
                0.6,
                List.of(new Dimension("Product", 100, List.of(measure("A", 100, HUNDRED_SCALE)))));

        assertThat(engine.score(single, AccountMeasures.none().with("A", 40)).color())
                .isEqualTo(Color.RED);
        assertThat(engine.score(single, AccountMeasures.none().with("A", 40.04)).color())
                .isEqualTo(Color.RED);
        assertThat(engine.score(single, AccountMeasures.none().with("A", 41)).color())
                .isEqualTo(Color.YELLOW);
        assertThat(engine.score(single, AccountMeasures.none().with("A", 70)).color())
                .isEqualTo(Color.YELLOW);
        assertThat(engine.score(single, AccountMeasures.none().with("A", 71)).color())
                .isEqualTo(Color.GREEN);
        assertThat(engine.score(single, AccountMeasures.none().with("A", 40.04)).score())
                .isEqualTo(40.0);
    }

    @Test
    void aPercentileMeasureWithoutItsSegmentIsNotApplicable() {
        Scorecard ranked = new Scorecard(
                "Ranked",
                "true",
                1,
                Thresholds.DEFAULT,
                0.5,
                List.of(new Dimension(
                        "Product",
                        100,
                        List.of(
                                measure("Logins", 50, new ScoreRule.Percentile("segment")),
                                measure("A", 50, HUNDRED_SCALE)))));

        HealthScore without =
                engine.score(ranked, AccountMeasures.none().with("Logins", 12).with("A", 20));
        HealthScore with = engine.score(
                ranked,
                AccountMeasures.none()
                        .with("Logins", 12)
                        .with("A", 20)
                        .withSegment("Logins", PercentileTable.of(4, 8, 12, 30)));

        assertThat(without.score()).isEqualTo(20);
        assertThat(without.coverage()).isEqualTo(0.5);
        assertThat(without.dimensions().get(0).measures().get(0).why())
                .isEqualTo("Logins is N/A: no segment distribution to rank against; its weight went to the measures"
                        + " with data");
        // Logins ranks (2 + 0.5) / 4 = 62.5; (62.5 + 20) / 2 = 41.25 → 41.3.
        assertThat(with.score()).isEqualTo(41.3);
        assertThat(with.color()).isEqualTo(Color.YELLOW);
    }

    /**
     * The summary a re-score of every account uses gives exactly the score, color and coverage of the full explanation,
     * for each shipped scorecard and thousands of random accounts with measures missing, ranked or not.
     */
    @Test
    void summaryMatchesTheExplainedScoreToTheLastBit() throws Exception {
        ScorecardDocuments documents = new ScorecardDocuments(ScorecardDocumentsTests.USAGE_CATALOG);
        java.util.Random random = new java.util.Random(11);
        int compared = 0;
        for (String name : List.of("enterprise", "mid-market", "smb")) {
            String yaml;
            try (var in = getClass().getResourceAsStream("/health/scorecards/" + name + ".yaml")) {
                yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            Scorecard shipped = documents.read(yaml).scorecard();
            List<Measure> measures = shipped.dimensions().stream()
                    .flatMap(d -> d.measures().stream())
                    .toList();
            for (int account = 0; account < 3_000; account++) {
                double[] values = new double[measures.size()];
                double[] ranks = new double[measures.size()];
                AccountMeasures input = AccountMeasures.none();
                for (int i = 0; i < values.length; i++) {
                    boolean missing = random.nextDouble() < 0.25;
                    values[i] = missing ? Double.NaN : random.nextGaussian() * 50;
                    ranks[i] = Double.NaN;
                    if (!missing) {
                        input = input.with(measures.get(i).name(), values[i]);
                        if (measures.get(i).score().needsSegment() && random.nextDouble() < 0.8) {
                            ranks[i] = Math.floor(random.nextDouble() * 1000) / 10;
                            input = input.withRank(measures.get(i).name(), ranks[i]);
                        }
                    }
                }
                HealthScore explained = engine.score(shipped, input);
                ScoringEngine.Summary summary = ScoringEngine.summary(shipped, values, ranks);
                assertThat(summary.score()).as("score").isEqualTo(explained.score());
                assertThat(summary.color()).as("color").isEqualTo(explained.color());
                assertThat(summary.coverage()).as("coverage").isEqualTo(explained.coverage());
                compared++;
            }
        }
        assertThat(compared).isEqualTo(9_000);
    }

    private static Measure measure(String name, int weight, ScoreRule rule) {
        return new Measure(name, "logins", Aggregate.sum, Window.days(30), weight, rule);
    }
}
