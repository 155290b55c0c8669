package dev.steward.health.engine;

import java.util.List;
import java.util.Objects;

/** How a measure's aggregated value becomes 0–100 points: bands, linear between two points, or percentile in segment. */
public sealed interface ScoreRule permits ScoreRule.Bands, ScoreRule.Linear, ScoreRule.Percentile {

    /**
     * The points for a value and why.
     *
     * @param segment the distribution of this measure in the account's segment; only percentile rules read it, and
     *     they require it
     */
    Points points(double value, PercentileTable segment);

    /** The points alone, without the words: what a re-score of every account needs, many times over. */
    double pointsOnly(double value, PercentileTable segment);

    /** Whether {@link #points} needs the segment's distribution. */
    default boolean needsSegment() {
        return false;
    }

    /** The rule as a CSM would read it, such as "linear from 0.2 to 0.8". */
    String describe();

    /** Which side of a band's bound a value must lie on. */
    enum Direction {
        BELOW,
        ABOVE
    }

    /** One band: values strictly below (or above) the bound get these points. */
    record Band(Direction direction, double bound, double points) {

        public Band {
            Objects.requireNonNull(direction, "direction");
            if (!Double.isFinite(bound) || !(points >= 0 && points <= 100)) {
                throw new IllegalArgumentException("a band needs a finite bound and points between 0 and 100");
            }
        }

        boolean contains(double value) {
            return direction == Direction.BELOW ? value < bound : value > bound;
        }

        public String describe() {
            return direction.name().toLowerCase() + " " + Points.format(bound);
        }
    }

    /** The first band that contains the value gives its points; a value in none of them gets {@code otherwise}. */
    record Bands(List<Band> bands, double otherwise) implements ScoreRule {

        public Bands {
            bands = List.copyOf(bands);
            if (!(otherwise >= 0 && otherwise <= 100)) {
                throw new IllegalArgumentException("else points must be between 0 and 100, were " + otherwise);
            }
        }

        @Override
        public Points points(double value, PercentileTable segment) {
            for (Band band : bands) {
                if (band.contains(value)) {
                    return new Points(band.points(), "band " + band.describe());
                }
            }
            return new Points(otherwise, "no band matched, else");
        }

        @Override
        public double pointsOnly(double value, PercentileTable segment) {
            for (Band band : bands) {
                if (band.contains(value)) {
                    return band.points();
                }
            }
            return otherwise;
        }

        @Override
        public String describe() {
            StringBuilder text = new StringBuilder("bands:");
            for (Band band : bands) {
                text.append(' ')
                        .append(band.describe())
                        .append(" → ")
                        .append(Points.format(band.points()))
                        .append(',');
            }
            return text.append(" else → ").append(Points.format(otherwise)).toString();
        }
    }

    /**
     * Zero points at {@code from}, 100 at {@code to}, in a straight line between and clamped outside; {@code from} above
     * {@code to} means lower is better.
     */
    record Linear(double from, double to) implements ScoreRule {

        public Linear {
            if (!Double.isFinite(from) || !Double.isFinite(to) || from == to) {
                throw new IllegalArgumentException(
                        "linear needs two different finite points, were " + from + " and " + to);
            }
        }

        @Override
        public Points points(double value, PercentileTable segment) {
            return new Points(pointsOnly(value, segment), describe());
        }

        @Override
        public double pointsOnly(double value, PercentileTable segment) {
            return Math.max(0, Math.min(1, (value - from) / (to - from))) * 100;
        }

        @Override
        public String describe() {
            return "linear from " + Points.format(from) + " to " + Points.format(to);
        }
    }

    /** Points are the value's percentile rank among the accounts of the same segment. */
    record Percentile(String within) implements ScoreRule {

        /** The only grouping percentiles are ranked within so far. */
        public static final String SEGMENT = "segment";

        public Percentile {
            if (!SEGMENT.equals(within)) {
                throw new IllegalArgumentException("percentile ranks within segment only, was " + within);
            }
        }

        @Override
        public Points points(double value, PercentileTable segment) {
            Objects.requireNonNull(segment, "a percentile rule needs the segment's distribution");
            double rank = segment.rankOf(value);
            return new Points(
                    rank,
                    "percentile " + Points.format(rank) + " among " + segment.size() + " accounts in the segment");
        }

        @Override
        public double pointsOnly(double value, PercentileTable segment) {
            Objects.requireNonNull(segment, "a percentile rule needs the segment's distribution");
            return segment.rankOf(value);
        }

        @Override
        public boolean needsSegment() {
            return true;
        }

        @Override
        public String describe() {
            return "percentile within " + within;
        }
    }
}
