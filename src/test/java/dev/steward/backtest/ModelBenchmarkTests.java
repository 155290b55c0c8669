package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.steward.health.VersionedScorecard;
import dev.steward.health.engine.Aggregate;
import dev.steward.health.engine.Dimension;
import dev.steward.health.engine.Measure;
import dev.steward.health.engine.MeasureValues;
import dev.steward.health.engine.ScoreRule;
import dev.steward.health.engine.Scorecard;
import dev.steward.health.engine.ScoringEngine;
import dev.steward.health.engine.Thresholds;
import dev.steward.health.engine.Window;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelBenchmarkTests {

    /**
     * A usage measure whose rule saturates at 10 logins a month (more use earns no more points) and a tenure measure
     * whose rule saturates at 12 months: a readable scorecard that leaves some of the signal on the table.
     */
    static final Scorecard CARD = card(10, 12);

    /** Logins in 30 days scored linearly from 0 to {@code logins}, months as a customer from 0 to {@code months}. */
    static Scorecard card(double logins, double months) {
        return new Scorecard(
                "Subscriptions",
                "true",
                1,
                Thresholds.DEFAULT,
                0.5,
                List.of(
                        new Dimension(
                                "Product",
                                50,
                                List.of(new Measure(
                                        "Logins",
                                        "logins",
                                        Aggregate.sum,
                                        Window.days(30),
                                        100,
                                        new ScoreRule.Linear(0, 10)))),
                        new Dimension(
                                "Tenure",
                                50,
                                List.of(new Measure(
                                        "Months as a customer",
                                        MeasureValues.TENURE_MONTHS,
                                        Aggregate.latest,
                                        Window.days(90),
                                        100,
                                        new ScoreRule.Linear(0, months))))));
    }

    private static final int HORIZON = 90;

    static List<LocalDate> months(int count) {
        List<LocalDate> days = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            days.add(LocalDate.of(2025, 1, 1).plusMonths(i));
        }
        return days;
    }

    /**
     * A subscription business of 1,500 customers observed monthly for a year: each has a usage level of its own (logins
     * in 30 days vary around it month by month) and a tenure that grows by a month each month; the chance to churn
     * within 90 days falls with both. On the days from {@code noiseFrom} on, churn is a coin toss weighted to the same
     * rate but unrelated to either.
     */
    static List<WeightSuggester.Sample> business(long seed, int noiseFrom) {
        return business(seed, noiseFrom, 0.2, 0.08, CARD);
    }

    /**
     * As {@link #business(long, int)} with the log-odds of churn at no use and no tenure, the churn rate of the noise
     * days, and the scorecard (a logins and a tenure measure, in that order) that scores it.
     */
    static List<WeightSuggester.Sample> business(
            long seed, int noiseFrom, double intercept, double noiseRate, Scorecard card) {
        Random random = new Random(seed);
        List<LocalDate> days = months(12);
        int accounts = 1500;
        double[] level = new double[accounts];
        int[] joined = new int[accounts];
        for (int a = 0; a < accounts; a++) {
            level[a] = Math.exp(random.nextGaussian() * 0.8 + 2.3);
            joined[a] = random.nextInt(48);
        }
        List<WeightSuggester.Sample> samples = new ArrayList<>();
        for (int day = 0; day < days.size(); day++) {
            for (int a = 0; a < accounts; a++) {
                double logins = Math.max(0, Math.round(level[a] * Math.exp(random.nextGaussian() * 0.3)));
                double tenure = joined[a] + day;
                double logit = intercept - 0.12 * logins - 0.06 * tenure;
                double chance = day >= noiseFrom ? noiseRate : 1 / (1 + Math.exp(-logit));
                boolean churned = random.nextDouble() < chance;
                float[] raw = {(float) logins, (float) tenure};
                float[] points = new float[raw.length];
                List<Measure> measures = new VersionedScorecard("Subscriptions", 1, card).measures();
                for (int i = 0; i < raw.length; i++) {
                    points[i] = (float) measures.get(i).score().pointsOnly(raw[i], null);
                }
                ScoringEngine.Summary score = WeightSuggester.score(card, points);
                samples.add(new WeightSuggester.Sample(
                        day,
                        Math.floorMod(a, WeightSuggester.FOLDS),
                        points,
                        raw,
                        score.score(),
                        score.color(),
                        churned ? Outcome.CHURNED : Outcome.NONE));
            }
        }
        return samples;
    }

    private static Suggestion suggest(List<WeightSuggester.Sample> samples) {
        return WeightSuggester.suggest(
                new VersionedScorecard("Subscriptions", 1, CARD),
                samples,
                months(12),
                HORIZON,
                WeightSuggester.Objective.balanced,
                false,
                scorecard -> "yaml");
    }

    /**
     * Fitted on January to June (whose 90 days had passed by 1 September) and judged on September to December, like
     * the suggestion: the regression on the two measures' raw values ranks churn far better than a constant (0.5) and
     * at least as well as the saturating scorecard on the same observations.
     */
    @Test
    void aModelOnTheSameMeasuresIsJudgedOnTheLaterDaysBesideTheScorecard() {
        List<WeightSuggester.Sample> samples = business(7, Integer.MAX_VALUE);
        Suggestion suggestion = suggest(samples);
        ModelBenchmark benchmark = suggestion.benchmark();

        assertThat(benchmark.inconclusive()).isNull();
        assertThat(benchmark.measures()).containsExactly("Logins", "Months as a customer");
        assertThat(benchmark.fitted()).isEqualTo(6 * 1500);
        assertThat(benchmark.evaluated()).isEqualTo(4 * 1500).isEqualTo(suggestion.evaluated());
        assertThat(benchmark.scorecardAuc())
                .as("the scorecard's AUC on the same observations as the suggestion's 'now'")
                .isEqualTo(suggestion.before().rocAuc());
        assertThat(benchmark.modelAuc()).isGreaterThan(0.7);
        assertThat(benchmark.modelAuc()).isGreaterThanOrEqualTo(benchmark.scorecardAuc());
        System.out.printf(
                "Generated business, test period: scorecard AUC %.3f, suggested %.3f, model %.3f%n",
                benchmark.scorecardAuc(), suggestion.after().rocAuc(), benchmark.modelAuc());
    }

    /**
     * When churn on the judged days has nothing to do with the measures, the model, however well it fitted the earlier
     * days, ranks it no better than chance: its AUC is computed on the judged days only.
     */
    @Test
    void theModelIsJudgedOnlyOnDaysItWasNotFittedOn() {
        ModelBenchmark benchmark = suggest(business(7, 8)).benchmark();
        assertThat(benchmark.inconclusive()).isNull();
        assertThat(benchmark.modelAuc()).isCloseTo(0.5, within(0.05));
    }

    @Test
    void tooFewChurnsToFitOrJudgeIsInconclusiveWithTheRule() {
        List<WeightSuggester.Sample> samples = business(7, Integer.MAX_VALUE);
        List<WeightSuggester.Sample> fewLater = new ArrayList<>();
        int laterChurns = 0;
        for (WeightSuggester.Sample sample : samples) {
            if (sample.day() >= 8 && sample.outcome() == Outcome.CHURNED && ++laterChurns > 9) {
                continue;
            }
            fewLater.add(sample);
        }
        ModelBenchmark benchmark = suggest(fewLater).benchmark();
        assertThat(benchmark.modelAuc()).isNull();
        assertThat(benchmark.scorecardAuc()).isNull();
        assertThat(benchmark.inconclusive())
                .isEqualTo("too few observations to judge a model on: 9 churned and " + (benchmark.evaluated() - 9)
                        + " retained on the observations kept aside (at least 10 of each are needed)");
    }

    @Test
    void theAucOfARiskCountsTiesAsHalf() {
        // Churned at risks 3 and 1, retained at 2 and 1: pairs (3>2) 1, (3>1) 1, (1<2) 0, (1=1) ½.
        assertThat(ModelBenchmark.rocAuc(new double[] {3, 1, 2, 1}, new boolean[] {true, true, false, false}))
                .isEqualTo(2.5 / 4);
        assertThat(ModelBenchmark.rocAuc(new double[] {1, 2}, new boolean[] {true, true}))
                .isNull();
    }
}
