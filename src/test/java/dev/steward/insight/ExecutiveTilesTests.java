package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.Meeting;
import dev.steward.activity.MeetingInput;
import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import dev.steward.customer.AccountId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The tiles that say how far the executive figures can be trusted (score accuracy from the latest backtest, data
 * freshness from data quality), and health over time saying "no data" on days nobody was scored.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
class ExecutiveTilesTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    ExecutiveCache cache;

    @Autowired
    ActivityRecorder activity;

    /** Other classes' finished runs are hidden inside this test's transaction, which is rolled back after it. */
    @Test
    @Transactional
    void scoreAccuracySaysNoBacktestYetUntilOneHasFinishedThenShowsItsNinetyDayFigures() throws Exception {
        jdbc.sql("update backtest_run set status = 'failed', error = 'hidden by a test' where status = 'done'")
                .update();
        cache.clear();
        try {
            ExecutiveTiles.ScoreAccuracy none =
                    read("/api/v1/insight/executive/score-accuracy", ExecutiveTiles.ScoreAccuracy.class);
            assertThat(none.backtest()).isNull();
            assertThat(none.none()).isEqualTo("no backtest yet");
            assertThat(none.rocAuc()).isNull();
            assertThat(shown(page("/insight/executive"), "no-backtest")).isEqualTo("no backtest yet");
            assertThat(csv("/insight/executive/score-accuracy.csv"))
                    .containsExactly(
                            "backtest,scorecards,finished,horizon days,ROC AUC,Red precision,observations,churned,"
                                    + "conclusive,why not",
                            "no backtest yet,,,,no data,no data,0,0,no,");

            UUID run = UUID.randomUUID();
            // At 30 days the score looked poor; at 90 days ROC AUC 0.8123 and Red precision 0.4 (8 of 20 Red churned).
            String results = """
                    {"asOfDates": ["2025-06-01"], "accounts": 140, "horizons": [
                      {"horizonDays": 30, "missedTotal": 0, "asOfDates": ["2025-06-01"],
                       "overall": {"observations": 140, "churned": 3, "rocAuc": 0.55, "redPrecision": 0.1,
                                   "verdict": {"conclusive": false, "reasons": ["too few churned"]}, "colors": []}},
                      {"horizonDays": 90, "missedTotal": 0, "asOfDates": ["2025-06-01"],
                       "overall": {"observations": 120, "churned": 12, "rocAuc": 0.8123, "redPrecision": 0.4,
                                   "verdict": {"conclusive": true, "reasons": []}, "colors": []}}]}""";
            jdbc.sql("""
                            insert into backtest_run (id, name, scorecards, as_of_dates, horizons, status, days_done,
                                                      created_by, created_at, started_at, finished_at, results)
                            values (?, 'Tiles run', '[]', '{2025-06-01}', '{30,90}', 'done', 1, 'test', now(), now(),
                                    timestamptz '2026-03-10 08:30:00+00', cast(? as jsonb))""").params(run, results).update();

            ExecutiveTiles.ScoreAccuracy accuracy =
                    read("/api/v1/insight/executive/score-accuracy", ExecutiveTiles.ScoreAccuracy.class);
            assertThat(accuracy.backtest()).isEqualTo(run);
            assertThat(accuracy.name()).isEqualTo("Tiles run");
            assertThat(accuracy.scorecards()).isEqualTo("published scorecards");
            assertThat(accuracy.horizonDays()).isEqualTo(90);
            assertThat(accuracy.rocAuc()).isEqualTo(0.8123);
            assertThat(accuracy.redPrecision()).isEqualTo(0.4);
            assertThat(accuracy.observations()).isEqualTo(120);
            assertThat(accuracy.conclusive()).isTrue();
            assertThat(accuracy.none()).isNull();

            String page = page("/insight/executive");
            assertThat(shown(page, "accuracy-auc")).isEqualTo("0.812");
            assertThat(shown(page, "accuracy-precision")).isEqualTo("40.00 %");
            assertThat(shown(page, "accuracy-horizon")).isEqualTo("90");
            assertThat(page).contains("href=\"/backtests/" + run + "\"");
            assertThat(page).doesNotContain("data-testid=\"no-backtest\"");
            assertThat(csv("/insight/executive/score-accuracy.csv"))
                    .contains("Tiles run,published scorecards,2026-03-10T08:30:00Z,90,0.8123,0.4000,120,12,yes,");
        } finally {
            cache.clear();
        }
    }

    @Test
    void dataFreshnessIsTheDataQualityReportsCountsWithTheShareOfFreshData() throws Exception {
        mvc.perform(post("/api/v1/accounts/bulk?source=fresh")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"records": [{"externalId": "F-1", "name": "Fresh Recon"}]}"""))
                .andExpect(status().isOk());
        // A meeting yesterday: its engagement data is fresh.
        UUID account = jdbc.sql("select id from account where name = 'Fresh Recon'")
                .query(UUID.class)
                .single();
        activity.recordMeeting(
                new AccountId(account),
                new MeetingInput(
                        null,
                        account,
                        null,
                        TestClock.NOW.minus(java.time.Duration.ofDays(1)),
                        Meeting.Type.check_in,
                        "Check-in",
                        List.of(),
                        false,
                        null));
        // The snapshot as of now (it is otherwise rebuilt every few minutes).
        mvc.perform(post("/api/v1/data-quality/refresh").with(csrf())).andExpect(status().isOk());
        ExecutiveTiles.DataFreshness freshness =
                read("/api/v1/insight/executive/data-freshness", ExecutiveTiles.DataFreshness.class);
        JsonNode summary = json.readTree(mvc.perform(get("/api/v1/data-quality/summary"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString());

        // The same snapshot as the data-quality report, kind by kind.
        assertThat(freshness.accounts()).isEqualTo(summary.get("accounts").asLong());
        assertThat(freshness.kinds()).hasSize(summary.get("kinds").size());
        long fresh = 0;
        for (ExecutiveTiles.DataFreshness.Kind kind : freshness.kinds()) {
            JsonNode reported = summary.get("kinds").get(kind.kind());
            assertThat(kind.fresh()).isEqualTo(reported.get("fresh").asLong());
            assertThat(kind.stale()).isEqualTo(reported.get("stale").asLong());
            assertThat(kind.missing()).isEqualTo(reported.get("missing").asLong());
            assertThat(kind.fresh() + kind.stale() + kind.missing()).isEqualTo(freshness.accounts());
            fresh += kind.fresh();
        }
        // Fresh share = fresh (account, kind) pairs ÷ (accounts × kinds), to four decimals.
        assertThat(freshness.accounts()).isPositive();
        assertThat(fresh).as("fresh pairs, the meeting's engagement at least").isPositive();
        BigDecimal share = BigDecimal.valueOf(fresh)
                .divide(
                        BigDecimal.valueOf(
                                freshness.accounts() * freshness.kinds().size()),
                        4,
                        RoundingMode.HALF_UP);
        assertThat(freshness.fresh()).isEqualTo(share);

        String page = page("/insight/executive");
        assertThat(shown(page, "freshness-share"))
                .isEqualTo(share.movePointRight(2).setScale(2, RoundingMode.HALF_UP) + " %");
        String allKinds = "all kinds,\"share of (account, kind) pairs that are fresh: " + share.toPlainString() + "\","
                + fresh + ",";
        assertThat(csv("/insight/executive/data-freshness.csv")).anyMatch(line -> line.startsWith(allKinds));
    }

    @Test
    void healthOverTimeSaysNoDataOnDaysNobodyWasScoredAndBlackOnDaysOthersWere() throws Exception {
        String tier = "NoData-Recon";
        mvc.perform(post("/api/v1/accounts/bulk?source=nodata")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"records": [{"externalId": "N-1", "name": "Nodata Customer", "tier": "%1$s"},
                                             {"externalId": "N-2", "name": "Nodata Prospect", "tier": "%1$s"}]}""".formatted(tier)))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/contracts/bulk?source=nodata")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"records": [{"externalId": "N1", "accountExternalId": "N-1", "startDate": "2023-01-01",
                                              "endDate": "2027-01-01", "arr": 5000}]}"""))
                .andExpect(status().isOk());
        cache.clear();
        String url = "/api/v1/insight/executive/health-distribution?months=24&tier=" + tier;
        LocalDate first = LocalDate.of(2024, 4, 1);

        // 2024-04-01 is a year before any score was stored: the customer and its ARR are known, its color is not.
        HealthDistribution before = read(url, HealthDistribution.class);
        HealthDistribution.Point point = before.points().get(0);
        assertThat(point.day()).isEqualTo(first);
        assertThat(point.scored()).isFalse();
        assertThat(point.customers()).isEqualTo(1);
        assertThat(point.arr()).isEqualByComparingTo("5000");
        assertThat(Arrays.asList(point.red(), point.yellow(), point.green(), point.black()))
                .containsOnlyNulls();
        assertThat(point.blackArr()).isNull();
        assertThat(csv("/insight/executive/health-distribution.csv?tier=" + tier))
                .contains("2024-04-01,1,no data,no data,no data,no data,no data,no data,no data,no data,5000.00");
        ExecutiveDrillDown black = read(
                "/api/v1/insight/executive/accounts?figure=health&day=2024-04-01&color=black&tier=" + tier,
                ExecutiveDrillDown.class);
        assertThat(black.accounts()).isEmpty();
        assertThat(black.title()).contains("no data");
        ExecutiveDrillDown all = read(
                "/api/v1/insight/executive/accounts?figure=health&day=2024-04-01&tier=" + tier,
                ExecutiveDrillDown.class);
        assertThat(all.accounts()).singleElement().satisfies(line -> {
            assertThat(line.name()).isEqualTo("Nodata Customer");
            assertThat(line.values()).containsExactly("no data");
        });

        // Once someone was scored in the week up to it (the prospect, with no ARR), the customer without a score that
        // day is Black: not known, but on a day the scores were kept.
        UUID prospect = jdbc.sql("select id from account where name = 'Nodata Prospect'")
                .query(UUID.class)
                .single();
        jdbc.sql("""
                        insert into health_score (account_id, day, scorecard, scorecard_version, score, color, coverage,
                                                  raw, ranks, computed_at)
                        values (?, '2024-03-30', 'NoData-Recon', 1, 80, 'green', 1, '{}', '{}', now())""").param(prospect).update();
        try {
            cache.clear();
            HealthDistribution.Point scored =
                    read(url, HealthDistribution.class).points().get(0);
            assertThat(scored.scored()).isTrue();
            assertThat(List.of(scored.red(), scored.yellow(), scored.green(), scored.black()))
                    .containsExactly(0L, 0L, 0L, 1L);
            assertThat(scored.blackArr()).isEqualByComparingTo("5000");
            assertThat(csv("/insight/executive/health-distribution.csv?tier=" + tier))
                    .contains("2024-04-01,1,0,0,0,1,0,0,0,5000.00,5000.00");
        } finally {
            jdbc.sql("delete from health_score where scorecard = 'NoData-Recon'")
                    .update();
            cache.clear();
        }
    }

    private <T> T read(String url, Class<T> type) throws Exception {
        return InsightReads.read(mvc, json, url, type);
    }

    private List<String> csv(String url) throws Exception {
        return InsightReads.csv(mvc, url);
    }

    private String page(String url) throws Exception {
        return InsightReads.page(mvc, url);
    }

    private static String shown(String html, String testId) {
        return InsightReads.shown(html, testId);
    }
}
