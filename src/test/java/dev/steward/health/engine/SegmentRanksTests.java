package dev.steward.health.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentRanksTests {

    static final Measure LOGINS = new Measure(
            "Logins",
            "logins",
            Aggregate.sum,
            Window.days(30),
            50,
            new ScoreRule.Percentile(ScoreRule.Percentile.SEGMENT));
    static final Measure SEATS = new Measure(
            "Seats", "active_users", Aggregate.ratio_to_seats, Window.days(30), 50, new ScoreRule.Linear(0, 1));

    /**
     * A worked example: four accounts of one scorecard logged in 10, 20, 20 and 30 times, a fifth has no data. The
     * segment is the four values; 20 has one value below it and two equal (counting half): (1 + 1) ÷ 4 = 50th
     * percentile; 30 has three below and itself: 87.5; 10 has itself only: 12.5. The linear measure is not ranked, nor is
     * the account without data; another scorecard's accounts form a segment of their own.
     */
    @Test
    void eachPercentileMeasureRanksAnAccountAmongItsScorecardsAccounts() {
        List<Measure> measures = List.of(LOGINS, SEATS);
        Map<String, Map<String, PercentileTable>> distributions = SegmentRanks.distributions(List.of(
                new SegmentRanks.Values("SMB", measures, new double[] {10, 0.5}),
                new SegmentRanks.Values("SMB", measures, new double[] {20, 0.5}),
                new SegmentRanks.Values("SMB", measures, new double[] {20, 0.5}),
                new SegmentRanks.Values("SMB", measures, new double[] {30, 0.5}),
                new SegmentRanks.Values("SMB", measures, new double[] {Double.NaN, 0.5}),
                new SegmentRanks.Values("Enterprise", measures, new double[] {1000, 0.5})));

        assertThat(distributions.get("SMB")).containsOnlyKeys("Logins");
        assertThat(distributions.get("SMB").get("Logins").size()).isEqualTo(4);
        Map<String, PercentileTable> smb = distributions.get("SMB");
        assertThat(SegmentRanks.ranks(measures, new double[] {20, 0.5}, smb)).containsExactly(50.0, Double.NaN);
        assertThat(SegmentRanks.ranks(measures, new double[] {30, 0.5}, smb)).containsExactly(87.5, Double.NaN);
        assertThat(SegmentRanks.ranks(measures, new double[] {10, 0.5}, smb)).containsExactly(12.5, Double.NaN);
        assertThat(SegmentRanks.ranks(measures, new double[] {Double.NaN, 0.5}, smb))
                .containsExactly(Double.NaN, Double.NaN);
        assertThat(SegmentRanks.ranks(measures, new double[] {30, 0.5}, distributions.get("Enterprise")))
                .as("30 is below the one Enterprise value")
                .containsExactly(0.0, Double.NaN);
    }
}
