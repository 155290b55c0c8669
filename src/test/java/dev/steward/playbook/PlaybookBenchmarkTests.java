package dev.steward.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.playbook.PlaybookBenchmark.Latencies;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fact-to-CTA lines {@code bench playbooks} prints before its BENCH line. */
class PlaybookBenchmarkTests {

    @Test
    void theLineGivesTheNinetyFifthPercentileAgainstTheTargetThenTheMedianAndTheSlowest() {
        List<Double> seconds = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            seconds.add(i / 10.0);
        }
        Collections.shuffle(seconds);
        Latencies latencies = new Latencies("override", seconds, 100, 100, 10, 10);

        assertThat(latencies.percentile(0.95)).isEqualTo(9.5);
        assertThat(latencies.percentile(0.5)).isEqualTo(5.0);
        assertThat(latencies.line(5))
                .isEqualTo("p95 override→CTA = 9.50 s (target ≤ 5 s): NOT met; p50 5.00 s, max 10.00 s; 100 facts at"
                        + " 10/s for 10 s, 100 turned the account Red");
    }

    @Test
    void anAccountTurnedRedWithoutItsCtaFailsTheTargetAndIsCounted() {
        Latencies latencies = new Latencies("ticket escalation", List.of(0.4, 0.6, 0.5), 10, 4, 10, 1);

        assertThat(latencies.line(5))
                .startsWith("p95 ticket escalation→CTA = 0.60 s (target ≤ 5 s): NOT met; p50 0.50 s, max 0.60 s;")
                .endsWith("10 facts at 10/s for 1 s, 4 turned the account Red, 1 of them without a CTA after 60 s");
    }

    @Test
    void factsThatDidNotTurnTheAccountRedAreCountedNotTimedAndNoCtaIsNoData() {
        assertThat(new Latencies("ticket escalation", List.of(0.4, 0.6, 0.5), 10, 3, 10, 1).line(5))
                .contains(": met;")
                .contains("10 facts at 10/s for 1 s, 3 turned the account Red");
        assertThat(new Latencies("override", List.of(), 3, 3, 10, 1).line(5))
                .startsWith("p95 override→CTA = no data: none of 3 facts made a CTA (3 accounts turned Red");
    }
}
