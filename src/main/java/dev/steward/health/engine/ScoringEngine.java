package dev.steward.health.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Scores one account against one scorecard from values already aggregated as of some date, and explains the result.
 *
 * <p>A measure without data is N/A: its weight is spread over the measures of its dimension that have data, and a
 * dimension with no data at all spreads its weight over the other dimensions. Coverage is the share of the configured
 * weight whose measures had data; below the scorecard's minimum the color is Black, though the number is still shown.
 */
public final class ScoringEngine {

    /** A score with its color and coverage, without the breakdown. */
    public record Summary(double score, Color color, double coverage) {}

    /**
     * The score, color and coverage {@link #score} gives, computed straight from arrays for re-scores of every account
     * and backtests, where the breakdown is not wanted: {@code values[i]} and {@code ranks[i]} belong to the scorecard's
     * i-th measure, dimension by dimension ({@code NaN}: no data, or no rank). A percentile measure without a rank is
     * N/A, as it is when there is no segment distribution to rank against.
     */
    public static Summary summary(Scorecard scorecard, double[] values, double[] ranks) {
        double[] points = new double[values.length];
        int k = 0;
        for (Dimension dimension : scorecard.dimensions()) {
            for (Measure measure : dimension.measures()) {
                points[k] = pointsOf(measure, values[k], ranks[k]);
                k++;
            }
        }
        return summaryOfPoints(scorecard, points);
    }

    /**
     * The score, color and coverage of each measure's points ({@code NaN}: N/A), dimension by dimension as the scorecard
     * lists its measures: the one arithmetic of weights, missing data and the Black rule, which {@link #score} explains
     * and which suggestions judge other weights by.
     */
    public static Summary summaryOfPoints(Scorecard scorecard, double[] points) {
        List<Dimension> all = scorecard.dimensions();
        double totalNominal = 0;
        double coveredNominal = 0;
        double dimensionWeightWithData = 0;
        int k = 0;
        for (Dimension dimension : all) {
            boolean any = false;
            for (Measure measure : dimension.measures()) {
                double nominal = (double) dimension.weight() * measure.weight();
                totalNominal += nominal;
                if (!Double.isNaN(points[k]) && measure.weight() > 0) {
                    coveredNominal += nominal;
                    any = true;
                }
                k++;
            }
            if (any) {
                dimensionWeightWithData += dimension.weight();
            }
        }
        double coverage = totalNominal == 0 ? 0 : coveredNominal / totalNominal;
        // The same arithmetic in the same order as score(), so both give the same number to the last bit.
        double total = 0;
        k = 0;
        for (Dimension dimension : all) {
            double weightWithData = 0;
            for (int i = 0; i < dimension.measures().size(); i++) {
                if (!Double.isNaN(points[k + i])) {
                    weightWithData += dimension.measures().get(i).weight();
                }
            }
            double contribution = 0;
            if (weightWithData > 0 && dimensionWeightWithData > 0) {
                double effectiveWeight = dimension.weight() * 100 / dimensionWeightWithData;
                for (int i = 0; i < dimension.measures().size(); i++) {
                    if (!Double.isNaN(points[k + i])) {
                        double effective =
                                effectiveWeight * dimension.measures().get(i).weight() / weightWithData;
                        contribution += effective * points[k + i] / 100;
                    }
                }
            }
            total += contribution;
            k += dimension.measures().size();
        }
        double score = roundToOneDecimal(total);
        Color byScore = scorecard.thresholds().colorOf(score);
        return new Summary(score, coverage < scorecard.minimumCoverage() ? Color.BLACK : byScore, coverage);
    }

    private static double pointsOf(Measure measure, double value, double rank) {
        if (Double.isNaN(value)) {
            return Double.NaN;
        }
        if (measure.score().needsSegment()) {
            return rank;
        }
        return measure.score().pointsOnly(value, null);
    }

    public HealthScore score(Scorecard scorecard, AccountMeasures measures) {
        List<Scored> scored = new ArrayList<>();
        double totalNominal = 0;
        double coveredNominal = 0;
        double dimensionWeightWithData = 0;
        for (Dimension dimension : scorecard.dimensions()) {
            Scored one = Scored.of(dimension, measures);
            scored.add(one);
            for (int i = 0; i < dimension.measures().size(); i++) {
                double nominal = (double) dimension.weight()
                        * dimension.measures().get(i).weight();
                totalNominal += nominal;
                if (one.points().get(i) != null) {
                    coveredNominal += nominal;
                }
            }
            if (one.score() != null) {
                dimensionWeightWithData += dimension.weight();
            }
        }
        double coverage = totalNominal == 0 ? 0 : coveredNominal / totalNominal;

        double total = 0;
        List<DimensionScore> dimensions = new ArrayList<>();
        for (Scored one : scored) {
            double effective = one.score() == null ? 0 : one.dimension().weight() * 100 / dimensionWeightWithData;
            DimensionScore explained = one.explain(effective, totalNominal);
            total += explained.contribution();
            dimensions.add(explained);
        }

        double score = roundToOneDecimal(total);
        Color byScore = scorecard.thresholds().colorOf(score);
        boolean tooLittleData = coverage < scorecard.minimumCoverage();
        return new HealthScore(
                scorecard.name(),
                score,
                tooLittleData ? Color.BLACK : byScore,
                coverage,
                reason(scorecard, score, byScore, coverage, tooLittleData),
                dimensions);
    }

    private static String reason(
            Scorecard scorecard, double score, Color byScore, double coverage, boolean tooLittleData) {
        if (tooLittleData) {
            return "Black: only " + percent(coverage) + " of the scorecard had data, below the minimum "
                    + percent(scorecard.minimumCoverage()) + " (the score would be " + Points.format(score) + ", "
                    + byScore.name().toLowerCase() + ")";
        }
        int red = scorecard.thresholds().red();
        int yellow = scorecard.thresholds().yellow();
        String band;
        if (byScore == Color.RED) {
            band = "at most " + red;
        } else if (byScore == Color.YELLOW) {
            band = "above " + red + " and at most " + yellow;
        } else {
            band = "above " + yellow;
        }
        return byScore.name().charAt(0) + byScore.name().substring(1).toLowerCase() + ": score " + Points.format(score)
                + " is " + band + ", with " + percent(coverage) + " of the scorecard covered";
    }

    private static String percent(double share) {
        return Points.format(share * 100) + "%";
    }

    private static double roundToOneDecimal(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }

    /** A dimension's measures turned into points, before the dimension's own weight is known. */
    private record Scored(Dimension dimension, List<Points> points, List<Double> raw, List<String> notApplicable) {

        static Scored of(Dimension dimension, AccountMeasures measures) {
            List<Points> points = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            List<String> notApplicable = new ArrayList<>();
            for (Measure measure : dimension.measures()) {
                OptionalDouble value = measures.value(measure.name());
                if (value.isEmpty()) {
                    points.add(null);
                    raw.add(null);
                    notApplicable.add("no data in the last " + measure.window());
                } else if (measure.score().needsSegment()
                        && measures.rank(measure.name()).isPresent()) {
                    double rank = measures.rank(measure.name()).getAsDouble();
                    points.add(new Points(rank, "percentile " + Points.format(rank) + " within the segment"));
                    raw.add(value.getAsDouble());
                    notApplicable.add(null);
                } else if (measure.score().needsSegment()
                        && measures.segment(measure.name()).isEmpty()) {
                    points.add(null);
                    raw.add(value.getAsDouble());
                    notApplicable.add("no segment distribution to rank against");
                } else {
                    points.add(measure.score()
                            .points(
                                    value.getAsDouble(),
                                    measures.segment(measure.name()).orElse(null)));
                    raw.add(value.getAsDouble());
                    notApplicable.add(null);
                }
            }
            return new Scored(dimension, points, raw, notApplicable);
        }

        /** The weight-averaged points of the measures with data, or {@code null} when none had data. */
        Double score() {
            double weightWithData = weightWithData();
            if (weightWithData == 0) {
                return null;
            }
            double sum = 0;
            for (int i = 0; i < points.size(); i++) {
                if (points.get(i) != null) {
                    sum += dimension.measures().get(i).weight() * points.get(i).value();
                }
            }
            return sum / weightWithData;
        }

        private double weightWithData() {
            double weight = 0;
            for (int i = 0; i < points.size(); i++) {
                if (points.get(i) != null) {
                    weight += dimension.measures().get(i).weight();
                }
            }
            return weight;
        }

        DimensionScore explain(double effectiveWeight, double totalNominal) {
            double weightWithData = weightWithData();
            List<MeasureScore> explained = new ArrayList<>();
            double contribution = 0;
            for (int i = 0; i < points.size(); i++) {
                Measure measure = dimension.measures().get(i);
                double nominal = (double) dimension.weight() * measure.weight() * 100 / totalNominal;
                Points got = points.get(i);
                if (got == null) {
                    explained.add(new MeasureScore(
                            measure.name(),
                            measure.metric(),
                            raw.get(i),
                            null,
                            measure.weight(),
                            nominal,
                            0,
                            0,
                            0,
                            measure.name() + " is N/A: " + notApplicable.get(i)
                                    + "; its weight went to the measures with data"));
                    continue;
                }
                double effective = effectiveWeight * measure.weight() / weightWithData;
                double added = effective * got.value() / 100;
                contribution += added;
                explained.add(new MeasureScore(
                        measure.name(),
                        measure.metric(),
                        raw.get(i),
                        got.value(),
                        measure.weight(),
                        nominal,
                        effective,
                        added,
                        effective - added,
                        measure.name() + " " + Points.format(raw.get(i)) + " scored " + Points.format(got.value())
                                + " of 100 (" + got.reason() + ")"));
            }
            return new DimensionScore(
                    dimension.name(),
                    dimension.weight(),
                    effectiveWeight,
                    score(),
                    contribution,
                    effectiveWeight - contribution,
                    explained);
        }
    }
}
