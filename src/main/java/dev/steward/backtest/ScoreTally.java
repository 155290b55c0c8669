package dev.steward.backtest;

import dev.steward.health.engine.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts observations (score, color, outcome) for one group and computes its {@link Metrics}. Scores are kept as a
 * histogram at the 0.1-point precision they are shown with, so memory stays the same however many accounts and
 * days a backtest covers, and ties are exact: two scores that read the same are the same.
 */
final class ScoreTally {

    /** Scores 0.0 to 100.0 in steps of 0.1. */
    static final int BINS = 1001;

    private static final int CALIBRATION_BANDS = 10;

    private final long[] churnedAt = new long[BINS];
    private final long[] retainedAt = new long[BINS];
    private final long[][] byColor = new long[Color.values().length][Outcome.values().length];

    /** Adds one observation; a Black one is only counted in its row. */
    void add(double score, Color color, Outcome outcome) {
        byColor[color.ordinal()][outcome.ordinal()]++;
        if (color == Color.BLACK) {
            return;
        }
        int bin = bin(score);
        if (outcome == Outcome.CHURNED) {
            churnedAt[bin]++;
        } else {
            retainedAt[bin]++;
        }
    }

    /** Adds everything another tally counted. */
    void addAll(ScoreTally other) {
        for (int i = 0; i < BINS; i++) {
            churnedAt[i] += other.churnedAt[i];
            retainedAt[i] += other.retainedAt[i];
        }
        for (int c = 0; c < byColor.length; c++) {
            for (int o = 0; o < byColor[c].length; o++) {
                byColor[c][o] += other.byColor[c][o];
            }
        }
    }

    static int bin(double score) {
        return (int) Math.max(0, Math.min(BINS - 1, Math.round(score * 10)));
    }

    long churned() {
        long total = 0;
        for (long n : churnedAt) {
            total += n;
        }
        return total;
    }

    long retained() {
        long total = 0;
        for (long n : retainedAt) {
            total += n;
        }
        return total;
    }

    private long count(Color color, Outcome outcome) {
        return byColor[color.ordinal()][outcome.ordinal()];
    }

    private long count(Color color) {
        long total = 0;
        for (long n : byColor[color.ordinal()]) {
            total += n;
        }
        return total;
    }

    Metrics metrics() {
        long churned = churned();
        long observations = churned + retained();
        long red = count(Color.RED);
        long green = count(Color.GREEN);
        long redChurned = count(Color.RED, Outcome.CHURNED);
        long greenChurned = count(Color.GREEN, Outcome.CHURNED);
        long redRenewed = count(Color.RED, Outcome.RENEWED);
        long greenRenewed = count(Color.GREEN, Outcome.RENEWED);
        Double base = ratio(churned, observations);
        Double precision = ratio(redChurned, red);
        List<Metrics.ColorRow> colors = new ArrayList<>();
        for (Color color : List.of(Color.GREEN, Color.YELLOW, Color.RED, Color.BLACK)) {
            colors.add(new Metrics.ColorRow(
                    color,
                    count(color),
                    count(color, Outcome.CHURNED),
                    count(color, Outcome.RENEWED),
                    count(color, Outcome.NONE)));
        }
        return new Metrics(
                observations,
                churned,
                base,
                ratio(redChurned + (green - greenChurned), red + green),
                ratio(redChurned + greenRenewed, redChurned + redRenewed + greenChurned + greenRenewed),
                rocAuc(),
                precision,
                ratio(redChurned, churned),
                precision == null || base == null || base == 0 ? null : precision / base,
                ratio(greenChurned, green),
                ratio(redRenewed, red),
                ratio(red + green - redChurned - greenChurned, red + green),
                Metrics.Verdict.of(observations, churned, red),
                colors,
                calibration());
    }

    /**
     * The Mann–Whitney statistic: over every pair of a churned and a retained observation, the share where the churned
     * one scored lower, a tie counting half; {@code null} without both kinds.
     */
    Double rocAuc() {
        long churned = churned();
        long retained = retained();
        if (churned == 0 || retained == 0) {
            return null;
        }
        double pairs = 0;
        long retainedAbove = retained;
        for (int bin = 0; bin < BINS; bin++) {
            retainedAbove -= retainedAt[bin];
            pairs += churnedAt[bin] * (retainedAbove + 0.5 * retainedAt[bin]);
        }
        return pairs / ((double) churned * retained);
    }

    private List<Metrics.Band> calibration() {
        long[] accounts = new long[CALIBRATION_BANDS];
        long[] churned = new long[CALIBRATION_BANDS];
        for (int bin = 0; bin < BINS; bin++) {
            int band = Math.min(CALIBRATION_BANDS - 1, bin / 100);
            accounts[band] += churnedAt[bin] + retainedAt[bin];
            churned[band] += churnedAt[bin];
        }
        List<Metrics.Band> bands = new ArrayList<>();
        for (int band = 0; band < CALIBRATION_BANDS; band++) {
            bands.add(new Metrics.Band(
                    band * 10, band * 10 + 10, accounts[band], churned[band], ratio(churned[band], accounts[band])));
        }
        return bands;
    }

    /** Accuracy, precision and recall of calling churn at every whole-number threshold from 0 to 100. */
    List<Metrics.ThresholdPoint> thresholds() {
        long churned = churned();
        long total = churned + retained();
        List<Metrics.ThresholdPoint> points = new ArrayList<>();
        long flaggedChurned = 0;
        long flaggedRetained = 0;
        int bin = 0;
        for (int threshold = 0; threshold <= 100; threshold++) {
            for (; bin <= threshold * 10; bin++) {
                flaggedChurned += churnedAt[bin];
                flaggedRetained += retainedAt[bin];
            }
            long flagged = flaggedChurned + flaggedRetained;
            points.add(new Metrics.ThresholdPoint(
                    threshold,
                    flagged,
                    ratio(flaggedChurned + (total - churned - flaggedRetained), total),
                    ratio(flaggedChurned, flagged),
                    ratio(flaggedChurned, churned)));
        }
        return points;
    }

    /** The ROC curve, one point per distinct score, from flagging nothing to flagging everything. */
    List<Metrics.RocPoint> roc() {
        long churned = churned();
        long retained = retained();
        List<Metrics.RocPoint> points = new ArrayList<>();
        if (churned == 0 || retained == 0) {
            return points;
        }
        points.add(new Metrics.RocPoint(-1, 0, 0));
        long truePositives = 0;
        long falsePositives = 0;
        for (int bin = 0; bin < BINS; bin++) {
            if (churnedAt[bin] + retainedAt[bin] == 0) {
                continue;
            }
            truePositives += churnedAt[bin];
            falsePositives += retainedAt[bin];
            points.add(new Metrics.RocPoint(
                    bin / 10.0, (double) falsePositives / retained, (double) truePositives / churned));
        }
        return points;
    }

    static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
