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
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The demo-scale usage load (2,000 accounts × 730 days × 8 metrics ≈ 11.7 million rows) through the COPY import,
 * with its rate printed. Slow, so it runs only with {@code -Dsteward.bench=true}.
 */
@StewardTest
@EnabledIfSystemProperty(named = "steward.bench", matches = "true")
class UsageImportBenchmarkTests {

    private static final List<String> METRICS = List.of(
            "logins",
            "active_users",
            "events",
            "feature.dashboards",
            "feature.reports",
            "feature.integrations",
            "feature.automations",
            "feature.api");

    @Autowired
    UsageRecorder usage;

    @Autowired
    AccountManagement accounts;

    @Test
    void importsTwoYearsOfUsageForTwoThousandAccounts() {
        List<AccountInput> inputs = IntStream.range(0, 2_000)
                .mapToObj(i -> new AccountInput(
                        "BENCH-" + i, "Bench " + i, null, null, null, null, null, null, null, null, null, null, null))
                .toList();
        accounts.upsert("bench", inputs, true);
        Map<String, AccountId> ids = accounts.resolve(
                "bench", inputs.stream().map(AccountInput::externalId).toList());
        AccountId[] account = inputs.stream().map(i -> ids.get(i.externalId())).toArray(AccountId[]::new);
        LocalDate start = LocalDate.of(2024, 1, 1);
        long rows = 2_000L * 730 * METRICS.size();

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
        assertThat(usage.series(account[1999], "logins", null, null).get(0).points())
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
