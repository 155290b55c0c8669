package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.VersionedScorecard;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Suggested thresholds when few accounts churn: the default objective still flags churn, and useless ones are refused. */
class WeightSuggesterObjectiveTests {

    /** Rules that spread the generated accounts over the whole scale: up to 40 logins, up to four years. */
    private static final dev.steward.health.engine.Scorecard CARD = ModelBenchmarkTests.card(40, 48);

    private static Suggestion suggest(List<WeightSuggester.Sample> samples, WeightSuggester.Objective objective) {
        return WeightSuggester.suggest(
                new VersionedScorecard("Subscriptions", 1, CARD),
                samples,
                ModelBenchmarkTests.months(12),
                90,
                objective,
                false,
                scorecard -> "yaml");
    }

    private static double churnRate(List<WeightSuggester.Sample> samples) {
        return samples.stream().filter(s -> s.outcome() == Outcome.CHURNED).count() / (double) samples.size();
    }

    /** The generated business of the model benchmark with churn made rare: about 2% of observations churn. */
    private static List<WeightSuggester.Sample> rareChurn() {
        return ModelBenchmarkTests.business(7, Integer.MAX_VALUE, -1.6, 0, CARD);
    }

    /**
     * At about 2% churn the default objective still makes a suggestion whose Red catches churn on the days it was not
     * fitted on (the accuracy objective's calls nobody Red and is refused, below).
     */
    @Test
    void theDefaultObjectiveCatchesChurnWhenFewAccountsChurn() {
        List<WeightSuggester.Sample> rare = rareChurn();
        assertThat(churnRate(rare)).isBetween(0.015, 0.03);
        Suggestion two = suggest(rare, WeightSuggester.Objective.DEFAULT);
        assertThat(two.problem()).isNull();
        assertThat(two.after().redRecall()).isGreaterThanOrEqualTo(0.30);
        print("2%", rare, two);
    }

    private static void print(String label, List<WeightSuggester.Sample> samples, Suggestion suggestion) {
        System.out.printf(
                "%s churn (%.1f%%), default objective: Red recall %.3f -> %.3f, accuracy %.3f -> %.3f, AUC %.3f -> %.3f,"
                        + " Red up to %d -> %d%n",
                label,
                churnRate(samples) * 100,
                suggestion.before().redRecall(),
                suggestion.after().redRecall(),
                suggestion.before().accuracy(),
                suggestion.after().accuracy(),
                suggestion.before().rocAuc(),
                suggestion.after().rocAuc(),
                suggestion.currentRed(),
                suggestion.suggestedRed());
    }

    /**
     * At 2% churn, the most accurate thresholds call nobody Red (98% right): that suggestion is refused with the reason,
     * and there is nothing to save as a draft.
     */
    @Test
    void aSuggestionUnderWhichNobodyIsRedIsRefusedWithTheReason() {
        Suggestion suggestion = suggest(rareChurn(), WeightSuggester.Objective.accuracy);

        System.out.println("2% churn, objective accuracy: " + suggestion.problem());
        assertThat(suggestion.problem()).startsWith("refused: ");
        assertThat(suggestion.yaml()).isNull();
        assertThat(suggestion.measures()).isEmpty();
    }

    @Test
    void refusalReasons() {
        ScoreTally now = new ScoreTally();
        ScoreTally nobodyRed = new ScoreTally();
        ScoreTally redCatchesNothing = new ScoreTally();
        ScoreTally retainMore = new ScoreTally();
        // 100 observations, 4 churned; now Red holds 2 of the churned and 8 retained.
        for (int i = 0; i < 100; i++) {
            boolean churned = i < 4;
            Outcome outcome = churned ? Outcome.CHURNED : Outcome.NONE;
            boolean redNow = i < 2 || (i >= 4 && i < 12);
            now.add(
                    redNow ? 20 : 90,
                    redNow ? dev.steward.health.engine.Color.RED : dev.steward.health.engine.Color.GREEN,
                    outcome);
            nobodyRed.add(90, dev.steward.health.engine.Color.GREEN, outcome);
            boolean redNothing = i >= 4 && i < 8;
            redCatchesNothing.add(
                    redNothing ? 20 : 90,
                    redNothing ? dev.steward.health.engine.Color.RED : dev.steward.health.engine.Color.GREEN,
                    outcome);
            // Red only one churned account and one retained: 96% right (1 Red churned, 95 Green retained), more than
            // now (90%) but no more than calling every account retained.
            boolean redFew = i == 0 || i == 50;
            retainMore.add(
                    redFew ? 20 : 90,
                    redFew ? dev.steward.health.engine.Color.RED : dev.steward.health.engine.Color.GREEN,
                    outcome);
        }
        dev.steward.health.engine.Thresholds thresholds = new dev.steward.health.engine.Thresholds(30, 60);
        assertThat(WeightSuggester.refusal(now.metrics(), nobodyRed.metrics(), thresholds))
                .isEqualTo("refused: under its thresholds (Red up to 30) no account would be Red on the 100"
                        + " observations judged on, so it would warn of no churn");
        assertThat(WeightSuggester.refusal(now.metrics(), redCatchesNothing.metrics(), thresholds))
                .isEqualTo("refused: its Red (4 observations judged on) would catch none of the 4 that churned");
        assertThat(WeightSuggester.refusal(now.metrics(), retainMore.metrics(), thresholds))
                .isEqualTo("refused: it raises accuracy from 90.0% to 96.0% only by calling more accounts retained:"
                        + " Red would catch 25.0% of the churned instead of 50.0%, and calling every account retained"
                        + " would be right on 96.0% of them");
        assertThat(WeightSuggester.refusal(now.metrics(), now.metrics(), thresholds))
                .isNull();
    }
}
