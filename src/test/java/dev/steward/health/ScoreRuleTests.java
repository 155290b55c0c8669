package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.health.engine.Color;
import dev.steward.health.engine.PercentileTable;
import dev.steward.health.engine.Points;
import dev.steward.health.engine.ScoreRule;
import dev.steward.health.engine.Thresholds;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreRuleTests {

    private final ScoreRule.Bands trend = new ScoreRule.Bands(
            List.of(
                    new ScoreRule.Band(ScoreRule.Direction.BELOW, -0.3, 0),
                    new ScoreRule.Band(ScoreRule.Direction.BELOW, -0.1, 50)),
            100);

    private final ScoreRule.Bands escalations = new ScoreRule.Bands(
            List.of(
                    new ScoreRule.Band(ScoreRule.Direction.ABOVE, 2, 0),
                    new ScoreRule.Band(ScoreRule.Direction.ABOVE, 0, 60)),
            100);

    @Test
    void bandsGiveTheFirstBandThatHoldsAndABoundBelongsToTheNextBand() {
        assertThat(trend.points(-0.5, null)).isEqualTo(new Points(0, "band below -0.3"));
        assertThat(trend.points(-0.3, null)).isEqualTo(new Points(50, "band below -0.1"));
        assertThat(trend.points(-0.1, null)).isEqualTo(new Points(100, "no band matched, else"));
        assertThat(escalations.points(3, null).value()).isEqualTo(0);
        assertThat(escalations.points(2, null).value()).isEqualTo(60);
        assertThat(escalations.points(0, null).value()).isEqualTo(100);
    }

    @Test
    void linearRisesBetweenItsPointsAndClampsOutside() {
        ScoreRule.Linear utilization = new ScoreRule.Linear(0.2, 0.8);
        assertThat(utilization.points(0.1, null).value()).isEqualTo(0);
        assertThat(utilization.points(0.2, null).value()).isEqualTo(0);
        assertThat(utilization.points(0.5, null).value()).isCloseTo(50, within());
        assertThat(utilization.points(0.8, null).value()).isEqualTo(100);
        assertThat(utilization.points(0.95, null).value()).isEqualTo(100);
        assertThat(utilization.points(0.34, null).reason()).isEqualTo("linear from 0.2 to 0.8");
    }

    @Test
    void linearFromAboveToMeansLowerIsBetter() {
        ScoreRule.Linear overdue = new ScoreRule.Linear(30, 0);
        assertThat(overdue.points(45, null).value()).isEqualTo(0);
        assertThat(overdue.points(30, null).value()).isEqualTo(0);
        assertThat(overdue.points(12, null).value()).isCloseTo(60, within());
        assertThat(overdue.points(0, null).value()).isEqualTo(100);
        assertThat(overdue.points(-3, null).value()).isEqualTo(100);
    }

    @Test
    void linearRefusesTwoEqualPoints() {
        assertThatThrownBy(() -> new ScoreRule.Linear(0.5, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void percentileCountsTiesAsHalfBelow() {
        PercentileTable segment = PercentileTable.of(20, 10, 30, 20);
        ScoreRule.Percentile rule = new ScoreRule.Percentile("segment");
        // Below 20: one value (10); equal: two. (1 + 0.5 × 2) / 4 = 50.
        assertThat(rule.points(20, segment).value()).isEqualTo(50);
        // (3 + 0.5 × 1) / 4 = 87.5
        assertThat(rule.points(30, segment).value()).isEqualTo(87.5);
        assertThat(rule.points(5, segment).value()).isEqualTo(0);
        assertThat(rule.points(35, segment).value()).isEqualTo(100);
        assertThat(rule.points(20, segment).reason()).isEqualTo("percentile 50 among 4 accounts in the segment");
    }

    @Test
    void percentileInASingleValueSegmentIsTheMiddleForThatValue() {
        PercentileTable alone = PercentileTable.of(7);
        ScoreRule.Percentile rule = new ScoreRule.Percentile("segment");
        assertThat(rule.points(7, alone).value()).isEqualTo(50);
        assertThat(rule.points(8, alone).value()).isEqualTo(100);
        assertThat(rule.points(6, alone).value()).isEqualTo(0);
    }

    @Test
    void defaultThresholdsColorTheExactBoundaries() {
        Thresholds thresholds = Thresholds.DEFAULT;
        assertThat(thresholds.colorOf(0)).isEqualTo(Color.RED);
        assertThat(thresholds.colorOf(40)).isEqualTo(Color.RED);
        assertThat(thresholds.colorOf(41)).isEqualTo(Color.YELLOW);
        assertThat(thresholds.colorOf(40.1)).isEqualTo(Color.YELLOW);
        assertThat(thresholds.colorOf(70)).isEqualTo(Color.YELLOW);
        assertThat(thresholds.colorOf(71)).isEqualTo(Color.GREEN);
        assertThat(thresholds.colorOf(100)).isEqualTo(Color.GREEN);
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
