package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.BenchRuns.Figure;
import dev.steward.core.BenchRuns.Spread;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchRunsTests {

    @Test
    void theMedianOfAnOddCountIsTheMiddleValue() {
        assertThat(Spread.of(List.of(9.0, 1.0, 4.0))).isEqualTo(new Spread(1, 4, 9));
        assertThat(Spread.of(List.of(7.5))).isEqualTo(new Spread(7.5, 7.5, 7.5));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Spread.of(List.of(10.0, 2.0, 4.0, 3.0))).isEqualTo(new Spread(2, 3.5, 10));
        assertThat(Spread.of(List.of(1.0, 2.0))).isEqualTo(new Spread(1, 1.5, 2));
    }

    @Test
    void noValuesHaveNoSpread() {
        assertThatThrownBy(() -> Spread.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBenchLineGivesTheMediansAndTheRatioOfTheMediansLast() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchRuns runs = new BenchRuns("ingest", 3, new PrintStream(printed, true, StandardCharsets.UTF_8));
        Figure latency = new Figure("p99_latency", "ms", 1, 1);
        Figure rate = new Figure("events_per_s", "events/s", 0, 3);
        // The ratio of the medians is 30,000 / 100,000 = 0.3; the median of the run ratios (0.4, 0.5, 0.15) is 0.4.
        runs.record(0, latency, 80, Double.NaN);
        runs.record(0, rate, 40_000, 100_000);
        runs.record(1, latency, 70, Double.NaN);
        runs.record(1, rate, 25_000, 50_000);
        runs.record(2, latency, 90, Double.NaN);
        runs.record(2, rate, 30_000, 200_000);
        runs.summary();
        runs.benchLines();

        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).contains("  run 2/3: events_per_s=25000 events/s baseline=50000");
        assertThat(lines).contains("  run 3/3: p99_latency=90.0 ms");
        assertThat(lines)
                .contains("  events_per_s: 25000 / 30000 / 40000 events/s; baseline 50000 / 100000 / 200000;"
                        + " ratio of medians 0.300");
        assertThat(lines).contains("  p99_latency: 70.0 / 80.0 / 90.0 ms");
        assertThat(lines.get(lines.size() - 2)).isEqualTo("BENCH ingest p99_latency=80.0 ms");
        // The line CI reads: the figure recorded last, in the format CI parses.
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("BENCH ingest events_per_s=30000 events/s baseline=100000 ratio=0.300")
                .matches("BENCH [a-z-]+ [a-z0-9_]+=[0-9.]+ \\S+ baseline=[0-9.]+ ratio=[0-9.]+");
    }

    @Test
    void theRatioIsOfTheMediansNotTheMedianOfTheRatios() {
        BenchRuns runs = new BenchRuns("scoring", 3, new PrintStream(new ByteArrayOutputStream()));
        Figure seconds = new Figure("rescore_s", "s", 2, 2);
        runs.record(0, seconds, 2, 10);
        runs.record(1, seconds, 8, 10);
        // Run ratios 0.2, 0.8 and 3 have the median 0.8; the medians 3 and 10 have the ratio 0.3.
        runs.record(2, seconds, 3, 1);
        assertThat(runs.series("rescore_s").values().median()).isEqualTo(3);
        assertThat(runs.series("rescore_s").baselines().median()).isEqualTo(10);
        assertThat(runs.series("rescore_s").ratio()).isEqualTo(0.3);
    }

    @Test
    void fewerThanOneRunIsRefused() {
        assertThatThrownBy(() -> BenchRuns.start("x", new CommandOptions(List.of("--runs", "0"))))
                .hasMessageContaining("--runs must be at least 1");
    }

    @Test
    void theMachineIsDescribed() {
        BenchRuns.Machine machine = BenchRuns.Machine.now();
        assertThat(machine.cores()).isPositive();
        assertThat(machine.maxHeapBytes()).isPositive();
        assertThat(machine.describe())
                .contains("cores")
                .contains("load average")
                .contains("max heap");
        assertThat(BenchRuns.loadAverage()).isNotBlank();
    }
}
