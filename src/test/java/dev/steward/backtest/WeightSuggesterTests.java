package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.VersionedScorecard;
import dev.steward.health.engine.Aggregate;
import dev.steward.health.engine.Color;
import dev.steward.health.engine.Dimension;
import dev.steward.health.engine.Measure;
import dev.steward.health.engine.ScoreRule;
import dev.steward.health.engine.Scorecard;
import dev.steward.health.engine.ScoringEngine;
import dev.steward.health.engine.Thresholds;
import dev.steward.health.engine.Window;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightSuggesterTests {

    private static Measure measure(String name, int weight) {
        return new Measure(name, "logins", Aggregate.sum, Window.days(30), weight, new ScoreRule.Linear(0, 100));
    }

    /** Product: Usage 50, Noise 50 (weight 50); Support: Tickets 100 (weight 50). */
    private static final Scorecard CARD = new Scorecard(
            "Test",
            "true",
            1,
            Thresholds.DEFAULT,
            0.6,
            List.of(
                    new Dimension("Product", 50, List.of(measure("Usage", 50), measure("Noise", 50))),
                    new Dimension("Support", 50, List.of(measure("Tickets", 100)))));

    /**
     * Days to renewal at 30 of Financial's 100 and Financial at 80 of the score's 100 is 24% of the score: pointed out
     * with its share and name; with Financial at 50 (15%) nothing is said; a measure of another metric never is.
     */
    @Test
    void aSuggestionLeaningOnTheTimeToRenewalSaysSo() {
        Measure renewal = new Measure(
                "Days to renewal",
                "contracts.days_to_renewal",
                Aggregate.latest,
                Window.days(90),
                30,
                new ScoreRule.Linear(0, 365));
        Scorecard leaning = new Scorecard(
                "Leaning",
                "true",
                1,
                Thresholds.DEFAULT,
                0.6,
                List.of(
                        new Dimension("Financial", 80, List.of(renewal, measure("Payments", 70))),
                        new Dimension("Product", 20, List.of(measure("Usage", 100)))));
        assertThat(WeightSuggester.caution(leaning))
                .startsWith("24% of the suggested score rests on Days to renewal, which says when an account can leave")
                .contains("every account near its renewal turns Red");

        Scorecard balanced = new Scorecard(
                "Balanced",
                "true",
                1,
                Thresholds.DEFAULT,
                0.6,
                List.of(
                        new Dimension("Financial", 50, List.of(renewal, measure("Payments", 70))),
                        new Dimension("Product", 50, List.of(measure("Usage", 100)))));
        assertThat(WeightSuggester.caution(balanced)).as("15%% of the score").isNull();
        assertThat(WeightSuggester.caution(CARD)).isNull();
    }

    /**
     * The suggestion moves Support from 50 to 80 of the score. As of the last day: A lacks Tickets and falls from 50%
     * coverage (enough at a minimum of 40%) to 20%: it turns Black; B and C keep enough; D has no data at all and is
     * Black either way; E has everything. The earlier day's observation is not counted.
     */
    @Test
    void theSuggestionSaysHowManyAccountsLackEachMeasureThatGainsWeightAndWouldTurnBlack() {
        Scorecard card = new Scorecard("Thin", "true", 1, Thresholds.DEFAULT, 0.4, CARD.dimensions());
        Scorecard suggested = new Scorecard(
                "Thin",
                "true",
                1,
                Thresholds.DEFAULT,
                0.4,
                List.of(
                        new Dimension("Product", 20, List.of(measure("Usage", 50), measure("Noise", 50))),
                        new Dimension("Support", 80, List.of(measure("Tickets", 100)))));
        float n = Float.NaN;
        List<float[]> lastDay = List.of(
                new float[] {80, 20, n},
                new float[] {80, n, 40},
                new float[] {n, n, 40},
                new float[] {n, n, n},
                new float[] {80, 20, 40});
        List<WeightSuggester.Sample> samples = new ArrayList<>();
        samples.add(new WeightSuggester.Sample(0, 1, new float[] {80, 20, n}, 50, Color.GREEN, Outcome.NONE));
        for (float[] points : lastDay) {
            samples.add(new WeightSuggester.Sample(1, 1, points, 50, Color.GREEN, Outcome.NONE));
        }
        List<LocalDate> days = months(2);

        Suggestion.Coverage coverage = WeightSuggester.coverage(samples, days, card, suggested, card);

        assertThat(coverage.asOf()).isEqualTo(days.get(1));
        assertThat(coverage.accounts()).isEqualTo(5);
        assertThat(coverage.blackNow()).isEqualTo(1);
        assertThat(coverage.blackSuggested()).isEqualTo(2);
        assertThat(coverage.gaining())
                .containsExactly(new Suggestion.MeasureGap("Support", "Tickets", 50.0, 80.0, 2, 1));
    }

    @Test
    void weightsAreWholeNumbersOfAtLeastOneTotalling100() {
        assertThat(WeightSuggester.apportion(new double[] {3, 1, 0})).containsExactly(74, 25, 1);
        assertThat(WeightSuggester.apportion(new double[] {0, 0, 0})).containsExactly(34, 33, 33);
        assertThat(Arrays.stream(WeightSuggester.apportion(new double[] {0.3, 0.3, 0.3, 0.1}))
                        .sum())
                .isEqualTo(100);
    }

    @Test
    void theSuggestedScoreIsTheEnginesWithItsBlackRule() {
        // Product: only Usage has data (80); Support 40. (80 × 50 + 40 × 50) / 100.
        assertThat(WeightSuggester.score(CARD, new float[] {80, Float.NaN, 40}).score())
                .isEqualTo(60.0);
        // No Support data: Product alone, with 50% of the scorecard covered, below the minimum of 60%: Black.
        ScoringEngine.Summary productOnly = WeightSuggester.score(CARD, new float[] {80, 20, Float.NaN});
        assertThat(productOnly.score()).isEqualTo(50.0);
        assertThat(productOnly.coverage()).isEqualTo(0.5);
        assertThat(productOnly.color()).isEqualTo(Color.BLACK);
        assertThat(productOnly)
                .isEqualTo(ScoringEngine.summary(
                        CARD, new double[] {80, 20, Double.NaN}, new double[] {Double.NaN, Double.NaN, Double.NaN}));
    }

    /**
     * A measure that had no data on any fitted observation, or the same points on all of them, says nothing about
     * churn: it gets weight 0, named with the reason, and a dimension of only such measures weighs 0 too (a fit that
     * treated N/A as a number once gave such a measure 99 of its dimension's 100 points).
     */
    @Test
    void measuresWithoutDataOrVarianceGetNoWeightAndAreNamed() {
        Random random = new Random(11);
        List<LocalDate> days = months(12);
        List<WeightSuggester.Sample> samples = new ArrayList<>();
        for (int day = 0; day < days.size(); day++) {
            for (int account = 0; account < 200; account++) {
                float usage = random.nextInt(101);
                boolean churned = random.nextDouble() < (usage < 30 ? 0.4 : 0.02);
                float[] points = {usage, Float.NaN, 50};
                ScoringEngine.Summary score = WeightSuggester.score(CARD, points);
                samples.add(new WeightSuggester.Sample(
                        day, 1, points, score.score(), score.color(), churned ? Outcome.CHURNED : Outcome.NONE));
            }
        }
        List<Scorecard> written = new ArrayList<>();

        Suggestion suggestion = WeightSuggester.suggest(
                new VersionedScorecard("Test", 1, CARD),
                samples,
                days,
                30,
                WeightSuggester.Objective.balanced,
                false,
                scorecard -> {
                    written.add(scorecard);
                    return "yaml";
                });

        assertThat(suggestion.problem()).isNull();
        assertThat(suggestion.measures())
                .extracting(Suggestion.MeasureWeight::name, Suggestion.MeasureWeight::suggested)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Usage", 100),
                        org.assertj.core.groups.Tuple.tuple("Noise", 0),
                        org.assertj.core.groups.Tuple.tuple("Tickets", 0));
        assertThat(suggestion.measures().get(1).leftOut()).startsWith("no data on any of the");
        assertThat(suggestion.measures().get(1).coefficient()).isZero();
        assertThat(suggestion.measures().get(2).leftOut()).startsWith("the same points (50)");
        assertThat(suggestion.dimensions())
                .extracting(Suggestion.DimensionWeight::suggested)
                .containsExactly(100, 0);
        // The document holds only what weighs something.
        assertThat(written).hasSize(1);
        assertThat(written.get(0).dimensions()).hasSize(1);
        assertThat(written.get(0).dimensions().get(0).measures())
                .extracting(Measure::name)
                .containsExactly("Usage");
    }

    /**
     * The fit is the maximum-likelihood logistic regression: on 600 observations with two measures that matter and one
     * that is N/A on a third of them, its coefficients (log-odds of churn per 100 points) match those Newton's method
     * finds on the raw points, to within 0.001.
     */
    @Test
    void theFitIsTheLogisticRegressionNewtonsMethodFinds() {
        Random random = new Random(3);
        List<WeightSuggester.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            float usage = random.nextInt(101);
            float tickets = random.nextInt(101);
            float sometimes = i % 3 == 0 ? Float.NaN : random.nextInt(101);
            double logOdds = 1.0 - 3.0 * usage / 100 - 1.0 * tickets / 100;
            boolean churned = random.nextDouble() < 1 / (1 + Math.exp(-logOdds));
            samples.add(new WeightSuggester.Sample(
                    0,
                    1,
                    new float[] {usage, sometimes, tickets},
                    50,
                    Color.YELLOW,
                    churned ? Outcome.CHURNED : Outcome.NONE));
        }

        double[] fitted = WeightSuggester.fit(samples, 3).coefficients();
        double[] exact = newton(samples, 3);

        for (int i = 0; i < 3; i++) {
            assertThat(fitted[i])
                    .as("coefficient %d", i)
                    .isCloseTo(exact[i], org.assertj.core.data.Offset.offset(0.001));
        }
        assertThat(exact[0]).as("the true effect of usage, -3 per 100 points").isBetween(-4.0, -2.0);
    }

    /**
     * Maximum-likelihood logistic regression by Newton's method on points ÷ 100 with an intercept, an N/A standing at
     * the measure's mean: the slopes, per 100 points.
     */
    private static double[] newton(List<WeightSuggester.Sample> samples, int measures) {
        double[] means = new double[measures];
        int[] counts = new int[measures];
        for (WeightSuggester.Sample sample : samples) {
            for (int j = 0; j < measures; j++) {
                if (!Float.isNaN(sample.points()[j])) {
                    means[j] += sample.points()[j] / 100.0;
                    counts[j]++;
                }
            }
        }
        for (int j = 0; j < measures; j++) {
            means[j] /= counts[j];
        }
        int p = measures + 1;
        double[][] x = new double[samples.size()][p];
        double[] y = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            x[i][0] = 1;
            for (int j = 0; j < measures; j++) {
                float points = samples.get(i).points()[j];
                x[i][j + 1] = Float.isNaN(points) ? means[j] : points / 100.0;
            }
            y[i] = samples.get(i).outcome() == Outcome.CHURNED ? 1 : 0;
        }
        double[] beta = new double[p];
        for (int iteration = 0; iteration < 50; iteration++) {
            double[] gradient = new double[p];
            double[][] hessian = new double[p][p];
            for (int i = 0; i < x.length; i++) {
                double eta = 0;
                for (int j = 0; j < p; j++) {
                    eta += beta[j] * x[i][j];
                }
                double mu = 1 / (1 + Math.exp(-eta));
                for (int j = 0; j < p; j++) {
                    gradient[j] += (y[i] - mu) * x[i][j];
                    for (int k = 0; k < p; k++) {
                        hessian[j][k] += mu * (1 - mu) * x[i][j] * x[i][k];
                    }
                }
            }
            double[] step = solve(hessian, gradient);
            for (int j = 0; j < p; j++) {
                beta[j] += step[j];
            }
        }
        return Arrays.copyOfRange(beta, 1, p);
    }

    /** Solves a·x = b by Gaussian elimination with partial pivoting. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) {
                    pivot = row;
                }
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            for (int row = col + 1; row < n; row++) {
                double factor = m[row][col] / m[col][col];
                for (int k = col; k <= n; k++) {
                    m[row][k] -= factor * m[col][k];
                }
            }
        }
        double[] x = new double[n];
        for (int row = n - 1; row >= 0; row--) {
            double sum = m[row][n];
            for (int k = row + 1; k < n; k++) {
                sum -= m[row][k] * x[k];
            }
            x[row] = sum / m[row][row];
        }
        return x;
    }

    private static List<LocalDate> months(int count) {
        List<LocalDate> days = new ArrayList<>();
        for (int month = 0; month < count; month++) {
            days.add(LocalDate.of(2024, 1, 1).plusMonths(month));
        }
        return days;
    }

    @Test
    void theMeasureThatForetoldChurnGetsTheWeightAndTheEvaluationIsOnLaterDays() {
        // Churn follows low Usage; Noise and Tickets are random. The scorecard as it is weighs Noise as much as Usage.
        Random random = new Random(7);
        List<LocalDate> days = new ArrayList<>();
        for (int month = 0; month < 12; month++) {
            days.add(LocalDate.of(2024, 1, 1).plusMonths(month));
        }
        List<WeightSuggester.Sample> samples = new ArrayList<>();
        for (int day = 0; day < days.size(); day++) {
            for (int account = 0; account < 300; account++) {
                float usage = random.nextInt(101);
                float noise = random.nextInt(101);
                float tickets = random.nextInt(101);
                boolean churned = random.nextDouble() < (usage < 30 ? 0.4 : 0.02);
                float[] points = {usage, noise, tickets};
                ScoringEngine.Summary score = WeightSuggester.score(CARD, points);
                samples.add(new WeightSuggester.Sample(
                        day, 1, points, score.score(), score.color(), churned ? Outcome.CHURNED : Outcome.NONE));
            }
        }

        Suggestion suggestion = WeightSuggester.suggest(
                new VersionedScorecard("Test", 3, CARD),
                samples,
                days,
                30,
                WeightSuggester.Objective.balanced,
                false,
                scorecard -> "yaml of " + scorecard.name());

        assertThat(suggestion.problem()).isNull();
        // Days 0–7 are fitted on (their 30 days end before day 8), days 8–11 judged.
        assertThat(suggestion.evaluatedFrom()).isEqualTo(days.get(8));
        assertThat(suggestion.fitTo()).isEqualTo(days.get(7));
        assertThat(suggestion.evaluated()).isEqualTo(4 * 300);
        Suggestion.MeasureWeight usage = suggestion.measures().get(0);
        Suggestion.MeasureWeight noise = suggestion.measures().get(1);
        assertThat(usage.coefficient()).isNegative();
        assertThat(usage.suggested()).isGreaterThan(90);
        assertThat(noise.suggested()).isLessThan(10);
        assertThat(suggestion.dimensions().get(0).suggested()).isGreaterThan(80);
        assertThat(suggestion.after().rocAuc())
                .isGreaterThan(suggestion.before().rocAuc());
        assertThat(suggestion.yaml()).isEqualTo("yaml of Test");
        assertThat(suggestion.suggestedYellow() - suggestion.suggestedRed()).isEqualTo(30);
    }

    @Test
    void tooLittleChurnGivesNoSuggestionAndSaysWhy() {
        List<LocalDate> days = List.of(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 6, 1), LocalDate.of(2024, 12, 1));
        List<WeightSuggester.Sample> samples = List.of(
                new WeightSuggester.Sample(0, 1, new float[] {10, 10, 10}, 10, Color.RED, Outcome.CHURNED),
                new WeightSuggester.Sample(2, 1, new float[] {90, 90, 90}, 90, Color.GREEN, Outcome.NONE));

        Suggestion suggestion = WeightSuggester.suggest(
                new VersionedScorecard("Test", 1, CARD),
                samples,
                days,
                90,
                WeightSuggester.Objective.balanced,
                false,
                scorecard -> "");

        assertThat(suggestion.problem())
                .isEqualTo("too little history to learn from: 1 churned observations on the as-of days before"
                        + " 2024-12-01 whose 90 days had passed by then (at least 10 are needed)");
        assertThat(suggestion.yaml()).isNull();
    }

    @Test
    void withEnoughChurnButNothingLaterToJudgeOnTheProblemSaysSo() {
        List<LocalDate> days = months(4);
        List<WeightSuggester.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            samples.add(new WeightSuggester.Sample(0, 1, new float[] {10, 10, 10}, 10, Color.RED, Outcome.CHURNED));
            samples.add(new WeightSuggester.Sample(0, 1, new float[] {90, 90, 90}, 90, Color.GREEN, Outcome.NONE));
        }

        Suggestion suggestion = WeightSuggester.suggest(
                new VersionedScorecard("Test", 1, CARD),
                samples,
                days,
                30,
                WeightSuggester.Objective.balanced,
                false,
                scorecard -> "");

        assertThat(suggestion.problem())
                .isEqualTo("no observations from 2024-04-01 on to judge a suggestion on, where it was not fitted");
    }

    @Test
    void whenNoMeasureVariesAcrossTheObservationsThereIsNoSuggestionAndTheProblemSaysSo() {
        List<LocalDate> days = months(4);
        List<WeightSuggester.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            samples.add(new WeightSuggester.Sample(0, 1, new float[] {50, 50, 50}, 50, Color.YELLOW, Outcome.CHURNED));
            samples.add(new WeightSuggester.Sample(0, 1, new float[] {50, 50, 50}, 50, Color.YELLOW, Outcome.NONE));
            samples.add(new WeightSuggester.Sample(3, 1, new float[] {50, 50, 50}, 50, Color.YELLOW, Outcome.NONE));
        }

        Suggestion suggestion = WeightSuggester.suggest(
                new VersionedScorecard("Test", 1, CARD),
                samples,
                days,
                30,
                WeightSuggester.Objective.balanced,
                false,
                scorecard -> "");

        assertThat(suggestion.problem())
                .isEqualTo("no measure had data that varied across the 80 observations fitted on");
        assertThat(suggestion.fitTo()).isEqualTo(days.get(0));
        assertThat(suggestion.yaml()).isNull();
    }
}
