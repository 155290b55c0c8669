package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.Aggregate;
import dev.steward.health.Color;
import dev.steward.health.Dimension;
import dev.steward.health.Measure;
import dev.steward.health.ScoreRule;
import dev.steward.health.Scorecard;
import dev.steward.health.Thresholds;
import dev.steward.health.VersionedScorecard;
import dev.steward.health.Window;
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

    @Test
    void weightsAreWholeNumbersOfAtLeastOneTotalling100() {
        assertThat(WeightSuggester.apportion(new double[] {3, 1, 0})).containsExactly(74, 25, 1);
        assertThat(WeightSuggester.apportion(new double[] {0, 0, 0})).containsExactly(34, 33, 33);
        assertThat(Arrays.stream(WeightSuggester.apportion(new double[] {0.3, 0.3, 0.3, 0.1}))
                        .sum())
                .isEqualTo(100);
    }

    @Test
    void theSuggestedScoreSpreadsTheWeightOfMeasuresWithoutData() {
        // Product: only Usage has data (80); Support 40. (80 × 50 + 40 × 50) / 100.
        assertThat(WeightSuggester.score(CARD, new float[] {80, Float.NaN, 40})).isEqualTo(60.0);
        // No Support data: Product alone.
        assertThat(WeightSuggester.score(CARD, new float[] {80, 20, Float.NaN})).isEqualTo(50.0);
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
                double score = WeightSuggester.score(CARD, points);
                samples.add(new WeightSuggester.Sample(
                        day,
                        points,
                        score,
                        CARD.thresholds().colorOf(score),
                        churned ? Outcome.CHURNED : Outcome.NONE));
            }
        }

        Suggestion suggestion = WeightSuggester.suggest(
                new VersionedScorecard("Test", 3, CARD),
                samples,
                days,
                30,
                WeightSuggester.Objective.balanced,
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
                new WeightSuggester.Sample(0, new float[] {10, 10, 10}, 10, Color.RED, Outcome.CHURNED),
                new WeightSuggester.Sample(2, new float[] {90, 90, 90}, 90, Color.GREEN, Outcome.NONE));

        Suggestion suggestion = WeightSuggester.suggest(
                new VersionedScorecard("Test", 1, CARD),
                samples,
                days,
                90,
                WeightSuggester.Objective.balanced,
                scorecard -> "");

        assertThat(suggestion.problem()).contains("1 churned observations").contains("at least 10");
        assertThat(suggestion.yaml()).isNull();
    }
}
