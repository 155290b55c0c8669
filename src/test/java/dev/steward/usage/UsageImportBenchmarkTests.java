package dev.steward.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.StewardTest;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Two years of usage through the COPY import, imported and then imported again (nothing changes), with the rates
 * printed: 20 accounts (116,800 rows) in the suite; the demo-scale load (2,000 accounts × 730 days × 8 metrics ≈ 11.7
 * million rows) with {@code -Dsteward.bench=true}.
 */
@StewardTest
// A database of its own: its accounts and two years of usage would otherwise sit among other tests' data.
@TestPropertySource(properties = "steward.test.database=usage-import-bench")
class UsageImportBenchmarkTests {

    private static final int ACCOUNTS = Boolean.getBoolean("steward.bench") ? 2_000 : 20;

    /** Metrics of this test's own, so that its two years of usage do not move other tests' data spans. */
    private static final List<String> METRICS =
            IntStream.rangeClosed(1, 8).mapToObj(i -> "import_bench_" + i).toList();

    @Autowired
    UsageRecorder usage;

    @Autowired
    AccountManagement accounts;

    @Test
    void importsTwoYearsOfUsageAndImportingThemAgainChangesNothing() {
        for (String metric : METRICS) {
            if (usage.metrics().stream().noneMatch(m -> m.key().equals(metric))) {
                usage.addMetric(new UsageMetric(metric, metric, null, "uses", UsageMetric.Aggregation.sum));
            }
        }
        List<AccountInput> inputs = IntStream.range(0, ACCOUNTS)
                .mapToObj(i -> new AccountInput(
                        "USAGE-BENCH-" + i,
                        "Usage Bench " + i,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null))
                .toList();
        accounts.upsert("bench", inputs, true);
        Map<String, AccountId> ids = accounts.resolve(
                "bench", inputs.stream().map(AccountInput::externalId).toList());
        AccountId[] account = inputs.stream().map(i -> ids.get(i.externalId())).toArray(AccountId[]::new);
        LocalDate start = LocalDate.of(2024, 1, 1);
        long rows = (long) ACCOUNTS * 730 * METRICS.size();

        long began = System.nanoTime();
        long changed = usage.importDaily(usage(account, start, rows));
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("usage import: %,d rows in %.1f s = %,.0f rows/s%n", rows, seconds, rows / seconds);
        assertThat(changed).isEqualTo(rows);

        began = System.nanoTime();
        long again = usage.importDaily(usage(account, start, rows));
        seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf(
                "usage re-import: %,d rows in %.1f s = %,.0f rows/s, %d changed%n",
                rows, seconds, rows / seconds, again);
        assertThat(again).isZero();
        assertThat(usage.series(account[ACCOUNTS - 1], METRICS.get(0), null, null)
                        .get(0)
                        .points())
                .hasSize(730);
    }

    private static Stream<DailyUsage> usage(AccountId[] account, LocalDate start, long rows) {
        return LongStream.range(0, rows).mapToObj(i -> {
            int a = (int) (i / (730 * 8));
            int day = (int) (i / 8 % 730);
            int metric = (int) (i % 8);
            return new DailyUsage(account[a], start.plusDays(day), METRICS.get(metric), (a + day * 7 + metric) % 500);
        });
    }
}
