package dev.steward.backtest;

import static dev.steward.backtest.Outcome.CHURNED;
import static dev.steward.backtest.Outcome.NONE;
import static dev.steward.backtest.Outcome.RENEWED;
import static dev.steward.health.engine.Color.BLACK;
import static dev.steward.health.engine.Color.GREEN;
import static dev.steward.health.engine.Color.RED;
import static dev.steward.health.engine.Color.YELLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.steward.health.engine.Color;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every figure of a backtest on ten hand-built observations whose answers are worked out by hand in the comments:
 * ties between churned and retained scores, accounts with no outcome, a Black account, and a segment with no churn.
 */
class ScoreTallyTests {

    /**
     * Non-Black: churned at 20 (Red), 30 (Red), 50 (Yellow), 80 (Green); retained at 30 (Red, renewed), 50 (Yellow,
     * no outcome), 80 (Green, renewed), 90 (Green, no outcome), 95 (Green, renewed). One Black account churned.
     */
    private static ScoreTally tenObservations() {
        ScoreTally tally = new ScoreTally();
        tally.add(20.0, RED, CHURNED);
        tally.add(30.0, RED, RENEWED);
        tally.add(30.0, RED, CHURNED);
        tally.add(50.0, YELLOW, NONE);
        tally.add(50.0, YELLOW, CHURNED);
        tally.add(80.0, GREEN, RENEWED);
        tally.add(80.0, GREEN, CHURNED);
        tally.add(90.0, GREEN, NONE);
        tally.add(95.0, GREEN, RENEWED);
        tally.add(10.0, BLACK, CHURNED);
        return tally;
    }

    @Test
    void blackAccountsAreCountedInTheirRowButInNoFigure() {
        Metrics metrics = tenObservations().metrics();

        assertThat(metrics.observations()).isEqualTo(9);
        assertThat(metrics.churned()).isEqualTo(4);
        assertThat(metrics.colors())
                .containsExactly(
                        new Metrics.ColorRow(GREEN, 4, 1, 2, 1),
                        new Metrics.ColorRow(YELLOW, 2, 1, 0, 1),
                        new Metrics.ColorRow(RED, 3, 2, 1, 0),
                        new Metrics.ColorRow(BLACK, 1, 1, 0, 0));
        assertThat(metrics.calibration().get(1).accounts())
                .as("the Black 10 is in no band")
                .isZero();
    }

    @Test
    void accuracyCallsRedChurnAndGreenRetentionAndLeavesYellowOut() {
        Metrics metrics = tenObservations().metrics();

        // Red that churned (2) + Green that did not (3), over Red (3) + Green (4).
        assertThat(metrics.accuracy()).isCloseTo(5.0 / 7, within(1e-12));
        // Only decided outcomes: Red churned 2 + Green renewed 2, over 2 + 1 Red renewed + 1 Green churned + 2.
        assertThat(metrics.decidedAccuracy()).isCloseTo(4.0 / 6, within(1e-12));
    }

    @Test
    void rocAucCountsTiesAsHalf() {
        // Churned 20 is below all 5 retained: 5. Churned 30 is below 4 and ties 1: 4.5. Churned 50: 3 + 0.5.
        // Churned 80: 2 + 0.5. (5 + 4.5 + 3.5 + 2.5) / (4 × 5) = 15.5 / 20.
        assertThat(tenObservations().metrics().rocAuc()).isCloseTo(0.775, within(1e-12));
    }

    @Test
    void precisionRecallLiftAndTheSeedsErrorRates() {
        Metrics metrics = tenObservations().metrics();

        assertThat(metrics.baseChurnRate()).isCloseTo(4.0 / 9, within(1e-12));
        assertThat(metrics.redPrecision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(metrics.redRecall()).isCloseTo(0.5, within(1e-12));
        assertThat(metrics.lift()).as("(2/3) / (4/9)").isCloseTo(1.5, within(1e-12));
        assertThat(metrics.greenChurned()).as("1 of 4 Green churned").isCloseTo(0.25, within(1e-12));
        assertThat(metrics.redRenewed()).as("1 of 3 Red renewed").isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void calibrationBandsAreTenPointsWideWithTheLastIncluding100() {
        List<Metrics.Band> bands = tenObservations().metrics().calibration();

        assertThat(bands).hasSize(10);
        assertThat(bands.get(2)).isEqualTo(new Metrics.Band(20, 30, 1, 1, 1.0));
        assertThat(bands.get(3)).isEqualTo(new Metrics.Band(30, 40, 2, 1, 0.5));
        assertThat(bands.get(4)).isEqualTo(new Metrics.Band(40, 50, 0, 0, null));
        assertThat(bands.get(5)).isEqualTo(new Metrics.Band(50, 60, 2, 1, 0.5));
        assertThat(bands.get(8)).isEqualTo(new Metrics.Band(80, 90, 2, 1, 0.5));
        assertThat(bands.get(9)).isEqualTo(new Metrics.Band(90, 100, 2, 0, 0.0));

        ScoreTally perfect = new ScoreTally();
        perfect.add(100.0, GREEN, NONE);
        assertThat(perfect.metrics().calibration().get(9).accounts()).isEqualTo(1);
    }

    @Test
    void thresholdAnalysisCallsEveryScoreUpToTheThresholdChurn() {
        List<Metrics.ThresholdPoint> points = tenObservations().thresholds();

        assertThat(points).hasSize(101);
        // Nothing flagged: the 5 retained are right, precision undefined, recall 0.
        assertThat(points.get(0)).isEqualTo(new Metrics.ThresholdPoint(0, 0, 5.0 / 9, null, 0.0));
        // Up to 30: 20, 30, 30 flagged, 2 churned; right = 2 + (5 − 1) retained.
        assertThat(points.get(30)).isEqualTo(new Metrics.ThresholdPoint(30, 3, 6.0 / 9, 2.0 / 3, 0.5));
        assertThat(points.get(29).flagged()).isEqualTo(1);
        assertThat(points.get(100)).isEqualTo(new Metrics.ThresholdPoint(100, 9, 4.0 / 9, 4.0 / 9, 1.0));
    }

    @Test
    void rocCurveHasOnePointPerDistinctScore() {
        List<Metrics.RocPoint> roc = tenObservations().roc();

        assertThat(roc).extracting(Metrics.RocPoint::score).containsExactly(-1.0, 20.0, 30.0, 50.0, 80.0, 90.0, 95.0);
        assertThat(roc.get(2)).isEqualTo(new Metrics.RocPoint(30.0, 1.0 / 5, 2.0 / 4));
        assertThat(roc.get(roc.size() - 1)).isEqualTo(new Metrics.RocPoint(95.0, 1.0, 1.0));
    }

    @Test
    void aSegmentWithNoChurnHasNoAucRecallOrLiftButKeepsItsCounts() {
        ScoreTally tally = new ScoreTally();
        tally.add(35.0, RED, RENEWED);
        tally.add(75.0, GREEN, NONE);
        tally.add(88.8, GREEN, RENEWED);

        Metrics metrics = tally.metrics();

        assertThat(metrics.observations()).isEqualTo(3);
        assertThat(metrics.baseChurnRate()).isZero();
        assertThat(metrics.rocAuc()).isNull();
        assertThat(metrics.redRecall()).isNull();
        assertThat(metrics.lift()).isNull();
        assertThat(metrics.redPrecision()).isZero();
        assertThat(metrics.accuracy())
                .as("the Red one is wrong, both Green right")
                .isCloseTo(2.0 / 3, within(1e-12));
        assertThat(tally.roc()).isEmpty();
    }

    @Test
    void onlyYellowOrNothingLeavesAccuracyUndefined() {
        ScoreTally yellow = new ScoreTally();
        yellow.add(55.0, YELLOW, CHURNED);
        yellow.add(60.0, YELLOW, NONE);
        assertThat(yellow.metrics().accuracy()).isNull();
        assertThat(yellow.metrics().rocAuc()).isCloseTo(1.0, within(1e-12));

        Metrics empty = new ScoreTally().metrics();
        assertThat(empty.observations()).isZero();
        assertThat(empty.baseChurnRate()).isNull();
        assertThat(empty.colors()).extracting(Metrics.ColorRow::accounts).containsOnly(0L);
    }

    @Test
    void scoresAreComparedAtTheTenthOfAPointTheyAreShownWith() {
        ScoreTally tally = new ScoreTally();
        tally.add(42.04, YELLOW, CHURNED);
        tally.add(41.96, YELLOW, NONE);
        assertThat(tally.rocAuc()).as("both read 42.0: a tie").isCloseTo(0.5, within(1e-12));
    }

    @Test
    void talliesAddUp() {
        ScoreTally all = new ScoreTally();
        all.addAll(tenObservations());
        all.addAll(tenObservations());

        Metrics metrics = all.metrics();
        assertThat(metrics.observations()).isEqualTo(18);
        assertThat(metrics.rocAuc()).isCloseTo(0.775, within(1e-12));
        assertThat(metrics.colors().get(3)).isEqualTo(new Metrics.ColorRow(Color.BLACK, 2, 2, 0, 0));
    }

    /**
     * The finding: with nothing Red, accuracy is only the share of Green that did not churn, and it "met the
     * 70 % bar". 30 Green renewed, 4 Green churned, 4 Yellow renewed and 2 Yellow churned: 40 observations, 6 churned.
     */
    @Test
    void withoutRedAccuracyIsWhatCallingEveryoneGreenScoresAndTheResultIsInconclusive() {
        ScoreTally tally = new ScoreTally();
        add(tally, 30, 90.0, GREEN, RENEWED);
        add(tally, 4, 85.0, GREEN, CHURNED);
        add(tally, 4, 60.0, YELLOW, RENEWED);
        add(tally, 2, 55.0, YELLOW, CHURNED);
        Metrics metrics = tally.metrics();

        // (0 Red churned + 30 Green not churned) / (0 Red + 34 Green); calling all 34 retained scores the same.
        assertThat(metrics.accuracy()).isCloseTo(30.0 / 34, within(1e-12));
        assertThat(metrics.retainAllAccuracy()).isCloseTo(30.0 / 34, within(1e-12));
        assertThat(metrics.baseChurnRate()).isCloseTo(6.0 / 40, within(1e-12));
        assertThat(metrics.verdict().conclusive()).isFalse();
        assertThat(metrics.verdict().reasons())
                .containsExactly(
                        "only 6 observations churned (at least 10 are needed)",
                        "no observation was Red: accuracy is only the share of Green that did not churn");
    }

    /** 10 Red (8 churned), 25 Green (2 churned), 5 Yellow (2 churned): 40 observations, 12 churned, 10 Red. */
    @Test
    void enoughObservationsChurnAndRedMakeAConclusiveResultThatBeatsCallingEveryoneGreen() {
        ScoreTally tally = new ScoreTally();
        add(tally, 8, 20.0, RED, CHURNED);
        add(tally, 2, 30.0, RED, RENEWED);
        add(tally, 2, 80.0, GREEN, CHURNED);
        add(tally, 23, 90.0, GREEN, RENEWED);
        add(tally, 2, 50.0, YELLOW, CHURNED);
        add(tally, 3, 55.0, YELLOW, NONE);
        Metrics metrics = tally.metrics();

        // (8 Red churned + 23 Green not churned) / 35 against (2 + 23 not churned) / 35.
        assertThat(metrics.accuracy()).isCloseTo(31.0 / 35, within(1e-12));
        assertThat(metrics.retainAllAccuracy()).isCloseTo(25.0 / 35, within(1e-12));
        assertThat(metrics.verdict().conclusive()).isTrue();
        assertThat(metrics.verdict().reasons()).isEmpty();
    }

    private static void add(ScoreTally tally, int times, double score, Color color, Outcome outcome) {
        for (int i = 0; i < times; i++) {
            tally.add(score, color, outcome);
        }
    }
}
