package dev.steward.health.engine;

import dev.steward.health.Color;
import dev.steward.health.Dimension;
import dev.steward.health.DimensionScore;
import dev.steward.health.HealthScore;
import dev.steward.health.Measure;
import dev.steward.health.MeasureScore;
import dev.steward.health.Points;
import dev.steward.health.Scorecard;
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

    private final boolean explain;

    /** An engine that explains every score in words. */
    public ScoringEngine() {
        this(true);
    }

    /**
     * @param explain whether scores carry their reasons in words; without, the numbers (points, weights,
     *     contributions) are the same and a re-score of every account does not spend its time writing sentences that
     *     are rebuilt when someone looks
     */
    public ScoringEngine(boolean explain) {
        this.explain = explain;
    }

    public HealthScore score(Scorecard scorecard, AccountMeasures measures) {
        List<Scored> scored = new ArrayList<>();
        double totalNominal = 0;
        double coveredNominal = 0;
        double dimensionWeightWithData = 0;
        for (Dimension dimension : scorecard.dimensions()) {
            Scored one = Scored.of(dimension, measures, explain);
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
            DimensionScore explained = one.explain(effective, totalNominal, explain);
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
                explain ? reason(scorecard, score, byScore, coverage, tooLittleData) : "",
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

        static Scored of(Dimension dimension, AccountMeasures measures, boolean explain) {
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
                    points.add(new Points(
                            rank, explain ? "percentile " + Points.format(rank) + " within the segment" : ""));
                    raw.add(value.getAsDouble());
                    notApplicable.add(null);
                } else if (measure.score().needsSegment()
                        && measures.segment(measure.name()).isEmpty()) {
                    points.add(null);
                    raw.add(value.getAsDouble());
                    notApplicable.add("no segment distribution to rank against");
                } else if (!explain) {
                    points.add(new Points(
                            measure.score()
                                    .pointsOnly(
                                            value.getAsDouble(),
                                            measures.segment(measure.name()).orElse(null)),
                            ""));
                    raw.add(value.getAsDouble());
                    notApplicable.add(null);
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

        DimensionScore explain(double effectiveWeight, double totalNominal, boolean inWords) {
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
                            inWords
                                    ? measure.name() + " is N/A: " + notApplicable.get(i)
                                            + "; its weight went to the measures with data"
                                    : ""));
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
                        inWords
                                ? measure.name() + " " + Points.format(raw.get(i)) + " scored "
                                        + Points.format(got.value()) + " of 100 (" + got.reason() + ")"
                                : ""));
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
