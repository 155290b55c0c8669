package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.VersionedScorecard;
import dev.steward.health.engine.Measure;
import dev.steward.health.engine.ScoreRule;
import dev.steward.health.engine.Scorecard;
import dev.steward.health.engine.ScoringEngine;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A subscription business with a known signal, and the question a CS leader asks of a suggested scorecard: is it as
 * good as what a data scientist would build on the same data? Judged out of time: fitted on the earlier as-of days,
 * judged on the later ones, beside a logistic regression on the same measures' raw values with the same split.
 */
class SuggestionWithinReachOfAModelTests {

    private static final int HORIZON = 90;

    private static final int MONTHS = 12;

    /** The hand-written scorecard: logins scored linearly up to 10 a month, tenure up to a year; both saturate early. */
    private static final Scorecard HAND = ModelBenchmarkTests.card(10, 12);

    /** Observations and the business's churn rate. */
    private record Business(List<WeightSuggester.Sample> samples, double churnRate) {}

    /**
     * Monthly subscriptions renewed on the first of each month. Each customer has a usage level of its own (the logins
     * of a month vary around it) and a tenure that grows a month at every renewal; at each renewal it leaves with a
     * chance that falls with the logins of the month just ended and with its tenure, and a new customer takes the place
     * of one that left. Observed on the first of each of twelve months (before that day's renewal is decided): its
     * logins over the 30 days before and its months as a customer, and whether it left at one of the renewals within
     * the next 90 days.
     */
    private static Business business(long seed) {
        Random random = new Random(seed);
        int customers = 4000;
        int lived = MONTHS + 4;
        double[] level = new double[customers];
        int[] tenure = new int[customers];
        for (int a = 0; a < customers; a++) {
            level[a] = Math.exp(random.nextGaussian() * 0.8 + 2.0);
            tenure[a] = random.nextInt(48);
        }
        // Per month and customer slot: who held the slot, the logins of the month before, tenure, left at renewal.
        double[][] logins = new double[lived][customers];
        int[][] months = new int[lived][customers];
        int[][] holder = new int[lived][customers];
        boolean[][] left = new boolean[lived][customers];
        int[] current = new int[customers];
        int next = customers;
        for (int a = 0; a < customers; a++) {
            current[a] = a;
        }
        for (int month = 0; month < lived; month++) {
            for (int a = 0; a < customers; a++) {
                double used = Math.max(0, Math.round(level[a] * Math.exp(random.nextGaussian() * 0.35)));
                logins[month][a] = used;
                months[month][a] = tenure[a];
                holder[month][a] = current[a];
                double logit = -2.0 - 0.18 * used - 0.05 * tenure[a];
                left[month][a] = random.nextDouble() < 1 / (1 + Math.exp(-logit));
                if (left[month][a]) {
                    level[a] = Math.exp(random.nextGaussian() * 0.8 + 2.0);
                    tenure[a] = 0;
                    current[a] = next++;
                } else {
                    tenure[a]++;
                }
            }
        }
        List<Measure> measures = new VersionedScorecard("Subscriptions", 1, HAND).measures();
        List<WeightSuggester.Sample> samples = new ArrayList<>();
        long churned = 0;
        for (int day = 0; day < MONTHS; day++) {
            for (int a = 0; a < customers; a++) {
                // The renewals within (T, T+90]: the next three firsts of the month; the one on T itself is decided
                // before T is over, on facts up to T, and counts as the first.
                boolean leaves = false;
                for (int r = day; r < day + 3 && !leaves; r++) {
                    leaves = left[r][a];
                }
                float[] raw = {(float) logins[day][a], months[day][a]};
                float[] points = new float[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    points[i] = (float) measures.get(i).score().pointsOnly(raw[i], null);
                }
                ScoringEngine.Summary score = WeightSuggester.score(HAND, points);
                churned += leaves ? 1 : 0;
                samples.add(new WeightSuggester.Sample(
                        day,
                        Math.floorMod(holder[day][a], WeightSuggester.FOLDS),
                        points,
                        raw,
                        score.score(),
                        score.color(),
                        leaves ? Outcome.CHURNED : Outcome.NONE));
            }
        }
        return new Business(samples, churned / (double) samples.size());
    }

    private static Suggestion suggest(Business business, WeightSuggester.Objective objective) {
        return WeightSuggester.suggest(
                new VersionedScorecard("Subscriptions", 1, HAND),
                business.samples(),
                ModelBenchmarkTests.months(MONTHS),
                HORIZON,
                objective,
                false,
                scorecard -> "yaml");
    }

    /**
     * Fitted on January to June (whose 90 days had passed by September) and judged on September to December: the
     * suggestion, its rules learned from the raw logins and tenure, ranks churn at least 95% as well as the regression
     * on the same raw values, where the hand-written scorecard (whose rules saturate early) falls short; and the default
     * objective makes Red catch at least 30% of the churned at a churn rate of 2–5%.
     */
    @Test
    void theSuggestedScorecardRanksChurnWithinFivePercentOfTheModelOutOfTime() {
        Business business = business(22);
        Suggestion suggestion = suggest(business, WeightSuggester.Objective.DEFAULT);
        ModelBenchmark model = suggestion.benchmark();

        assertThat(suggestion.problem()).isNull();
        assertThat(suggestion.fitTo()).isEqualTo(LocalDate.of(2025, 6, 1));
        assertThat(suggestion.evaluatedFrom()).isEqualTo(LocalDate.of(2025, 9, 1));
        assertThat(model.inconclusive()).isNull();
        assertThat(model.fitted()).isEqualTo(suggestion.fitted());
        assertThat(model.evaluated()).isEqualTo(suggestion.evaluated());
        double redShare = redShare(business, suggestion);
        System.out.printf(
                "Generated subscription business (%.2f%% churn within 90 days), judged out of time: hand scorecard AUC"
                        + " %.3f, suggested %.3f, model %.3f (%.1f%% of it); Red recall %.1f%% -> %.1f%%, Red share"
                        + " %.1f%%, Red up to %d -> %d%n%s%n",
                business.churnRate() * 100,
                model.scorecardAuc(),
                suggestion.after().rocAuc(),
                model.modelAuc(),
                suggestion.after().rocAuc() / model.modelAuc() * 100,
                suggestion.before().redRecall() * 100,
                suggestion.after().redRecall() * 100,
                redShare * 100,
                suggestion.currentRed(),
                suggestion.suggestedRed(),
                suggestion.headline());
        suggestion
                .measures()
                .forEach(m -> System.out.println(m.name() + ": " + m.ruleNow() + " -> " + m.ruleSuggested()
                        + ", weight " + m.current() + " -> " + m.suggested() + "; " + m.ruleReason()));

        assertThat(business.churnRate()).isBetween(0.02, 0.05);
        assertThat(suggestion.after().rocAuc()).isGreaterThanOrEqualTo(0.95 * model.modelAuc());
        assertThat(model.scorecardAuc()).isLessThan(0.95 * model.modelAuc());
        assertThat(suggestion.after().redRecall()).isGreaterThanOrEqualTo(0.30);
        assertThat(suggestion.headline())
                .startsWith(String.format(
                        java.util.Locale.ROOT,
                        "A model on the same data reaches ROC AUC %.3f; this suggestion %.3f",
                        model.modelAuc(),
                        suggestion.after().rocAuc()))
                .endsWith(String.format(java.util.Locale.ROOT, "the scorecard in force %.3f", model.scorecardAuc()));
    }

    /**
     * Each measure's rule is learned from its raw values: bands whose points rise as churn falls, more logins and
     * longer tenure being better, with the churn rates that earned them as the reason.
     */
    @Test
    void eachMeasureGetsBandsLearnedFromItsRawValuesWithTheReason() {
        Suggestion suggestion = suggest(business(22), WeightSuggester.Objective.DEFAULT);

        assertThat(suggestion.measures()).hasSize(2).allSatisfy(measure -> {
            assertThat(measure.ruleNow()).startsWith("linear from 0 to ");
            assertThat(measure.ruleSuggested()).startsWith("bands: below ");
            assertThat(measure.ruleYaml()).startsWith("{ bands: [ { below: ");
            assertThat(measure.ruleReason()).startsWith("churn on the ").endsWith("; more is better");
        });
    }

    /** The share of the judged observations the suggestion calls Red. */
    private static double redShare(Business business, Suggestion suggestion) {
        return suggestion.after().redRecall()
                * suggestion.benchmark().evaluatedChurned()
                / suggestion.after().redPrecision()
                / suggestion.evaluated();
    }

    @Test
    void boundsAreTheRoundestNumbersThatKeepTheSameObservationsOnEachSide() {
        assertThat(RuleFit.bound(4, 5).toPlainString()).isEqualTo("5");
        assertThat(RuleFit.bound(4, 9).toPlainString()).isEqualTo("5");
        assertThat(RuleFit.bound(123, 130).toPlainString()).isEqualTo("130");
        assertThat(RuleFit.bound(0.21f, 0.3f).toPlainString()).isEqualTo("0.3");
        assertThat(RuleFit.bound(-3.5, -2).toPlainString()).isEqualTo("-3");
    }

    @Test
    void aMeasureWhoseChurnDoesNotMoveWithItKeepsItsRule() {
        double[] values = new double[400];
        boolean[] churned = new boolean[400];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 20;
            churned[i] = (i / 20) % 10 == 0;
        }
        RuleFit.Proposal proposal = RuleFit.of(new ScoreRule.Linear(0, 20), values, churned);
        assertThat(proposal.rule()).isNull();
        assertThat(proposal.reason()).startsWith("kept: churn neither rose nor fell with it");
    }
}
