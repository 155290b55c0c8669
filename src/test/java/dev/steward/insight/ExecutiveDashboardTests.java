package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.customer.AccountSnapshots;
import dev.steward.customer.RevenueHistory;
import dev.steward.health.HealthScoring;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.ObjectMapper;

/**
 * Builds a small company by hand (tier "Reconciliation", so that other tests' accounts stay out of its figures) and
 * checks every executive figure, computed by hand below, against the API, the CSV export and the page.
 *
 * <p>Today is 2026-03-18 (TestClock). The company, ARR by contract (start inclusive, end exclusive):
 *
 * <pre>
 * Acme    A1 2025-01-01..2026-01-01 100,000; A2 2026-01-01..2027-01-01 120,000 renews A1 (expansion +20,000)
 * Bolt    B1 2025-02-01..2026-02-01  50,000; B2 2026-02-01..2027-02-01  40,000 renews B1 (contraction −10,000)
 * Cobalt  C1 2025-01-15..2025-10-01  30,000; not renewed (churn)
 * Delta   D1 2025-09-01..2026-09-01  20,000 (new logo)
 * Echo    E0 2024-06-01..2025-06-01  10,000; E1 2025-06-01..2026-06-01 10,000 renews E0 (flat)
 * </pre>
 *
 * Health: today Acme Green, Bolt Yellow, Delta Red, Echo Black (too little data); stored scores Cobalt Red on
 * 2025-09-28 and 2026-02-27 (after it churned), Acme Green on 2026-01-01, Bolt Yellow on 2026-01-30, and today's colors
 * on 2026-03-18.
 */
@StewardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithMockUser(roles = "ADMIN")
class ExecutiveDashboardTests {

    static final String TIER = "Reconciliation";
    static final LocalDate TODAY = LocalDate.ofInstant(TestClock.NOW, ZoneOffset.UTC);
    static final String PERIOD = "tier=" + TIER + "&from=2025-03&to=2026-02";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    ExecutiveCache cache;

    @Autowired
    ExecutivePages pages;

    @Autowired
    AccountSnapshots snapshots;

    @Autowired
    ExecutiveDashboard dashboard;

    @Autowired
    RevenueHistory revenue;

    @Autowired
    HealthScoring health;

    static boolean built;

    /**
     * The scores written by hand name a scorecard that does not exist: other test classes on this application context
     * (a segment preview reads every account's latest score with its scorecard) must not find them.
     */
    @AfterAll
    void removeTheHandWrittenScores() {
        jdbc.sql("delete from health_score where scorecard = 'Reconciliation'").update();
        built = false;
    }

    @BeforeEach
    void buildTheCompanyOnce() throws Exception {
        if (built) {
            return;
        }
        mvc.perform(post("/api/v1/accounts/bulk?source=recon")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"records": [
                                  {"externalId": "R-A", "name": "Acme Recon", "tier": "%1$s"},
                                  {"externalId": "R-B", "name": "Bolt Recon", "tier": "%1$s"},
                                  {"externalId": "R-C", "name": "Cobalt Recon", "tier": "%1$s"},
                                  {"externalId": "R-D", "name": "Delta Recon", "tier": "%1$s"},
                                  {"externalId": "R-E", "name": "Echo Recon", "tier": "%1$s"}]}""".formatted(TIER)))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/contracts/bulk?source=recon")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"records": [
                                  {"externalId": "A1", "accountExternalId": "R-A", "startDate": "2025-01-01",
                                   "endDate": "2026-01-01", "arr": 100000},
                                  {"externalId": "A2", "accountExternalId": "R-A", "startDate": "2026-01-01",
                                   "endDate": "2027-01-01", "arr": 120000, "previousContractExternalId": "A1"},
                                  {"externalId": "B1", "accountExternalId": "R-B", "startDate": "2025-02-01",
                                   "endDate": "2026-02-01", "arr": 50000},
                                  {"externalId": "B2", "accountExternalId": "R-B", "startDate": "2026-02-01",
                                   "endDate": "2027-02-01", "arr": 40000, "previousContractExternalId": "B1"},
                                  {"externalId": "C1", "accountExternalId": "R-C", "startDate": "2025-01-15",
                                   "endDate": "2025-10-01", "arr": 30000},
                                  {"externalId": "D1", "accountExternalId": "R-D", "startDate": "2025-09-01",
                                   "endDate": "2026-09-01", "arr": 20000},
                                  {"externalId": "E0", "accountExternalId": "R-E", "startDate": "2024-06-01",
                                   "endDate": "2025-06-01", "arr": 10000},
                                  {"externalId": "E1", "accountExternalId": "R-E", "startDate": "2025-06-01",
                                   "endDate": "2026-06-01", "arr": 10000, "previousContractExternalId": "E0"}]}"""))
                .andExpect(status().isOk());
        // Let the re-score that the contracts asked for run first: it would write over the hand-built scores.
        // The requests are written by listeners after commit: nothing may wait or run for a second and a half.
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(60))
                .during(Duration.ofMillis(1500))
                .until(() -> jdbc.sql("""
                                select (select count(*) from health_rescore_request)
                                     + (select count(*) from event_publication where completion_date is null)
                                     + (select count(*) from scheduled_tasks
                                         where (task_name like 'health-%' and picked)
                                            or task_name = 'health-published-rescore')""").query(Long.class).single() == 0);
        // The health module's stored colors, as its daily scoring would have left them.
        color("Acme Recon", "green", LocalDate.of(2026, 1, 1), TODAY);
        color("Bolt Recon", "yellow", LocalDate.of(2026, 1, 30), TODAY);
        color("Cobalt Recon", "red", LocalDate.of(2025, 9, 28), LocalDate.of(2026, 2, 27));
        color("Delta Recon", "red", TODAY);
        color("Echo Recon", "black", TODAY);
        cache.clear();
        built = true;
    }

    @Test
    void revenueRetentionAndItsWaterfallReconcileWithTheApiTheCsvAndThePage() throws Exception {
        ExecutiveDashboard.Retention retention =
                read("/api/v1/insight/executive/retention?" + PERIOD, ExecutiveDashboard.Retention.class);

        assertThat(retention.months()).hasSize(12);
        // Trailing twelve months, 2025-03-01 to 2026-03-01. Customers on 2025-03-01: Acme 100,000 + Bolt 50,000 +
        // Cobalt 30,000 + Echo 10,000 = 190,000 (4). On 2026-03-01: Acme 120,000 (+20,000), Bolt 40,000 (−10,000),
        // Cobalt 0 (churn 30,000), Echo 10,000; Delta 20,000 is new.
        // Ending = 190,000 + 20,000 − 10,000 − 30,000 = 170,000; NRR = 170,000 ÷ 190,000 = 0.894736… → 0.8947;
        // GRR = (190,000 − 10,000 − 30,000) ÷ 190,000 = 150,000 ÷ 190,000 = 0.789473… → 0.7895.
        RevenueRetention ttm = retention.trailingTwelveMonths();
        assertThat(ttm.from()).isEqualTo(LocalDate.of(2025, 3, 1));
        assertThat(ttm.to()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(ttm.startAccounts()).isEqualTo(4);
        assertThat(ttm.startArr()).isEqualByComparingTo("190000");
        assertThat(ttm.expansion()).isEqualByComparingTo("20000");
        assertThat(ttm.contraction()).isEqualByComparingTo("10000");
        assertThat(ttm.churn()).isEqualByComparingTo("30000");
        assertThat(ttm.endingArr()).isEqualByComparingTo("170000");
        assertThat(ttm.newAccounts()).isEqualTo(1);
        assertThat(ttm.newArr()).isEqualByComparingTo("20000");
        assertThat(ttm.totalEndingArr()).isEqualByComparingTo("190000");
        assertThat(ttm.nrr()).isEqualTo(new BigDecimal("0.8947"));
        assertThat(ttm.grr()).isEqualTo(new BigDecimal("0.7895"));

        Map<String, RevenueRetention> months = retention.months().stream()
                .collect(Collectors.toMap(m -> m.from().toString().substring(0, 7), m -> m));
        // 2025-08: 190,000 on 08-01; Delta's 20,000 starts 09-01: new, in neither ratio. NRR = GRR = 1.
        assertMonth(months.get("2025-08"), "190000", "0", "0", "0", "190000", "20000", "1.0000", "1.0000");
        // 2025-09: 210,000 on 09-01 (Delta counts from its first day); Cobalt ends 10-01: churn 30,000.
        // NRR = GRR = 180,000 ÷ 210,000 = 0.857142… → 0.8571.
        assertMonth(months.get("2025-09"), "210000", "0", "0", "30000", "180000", "0", "0.8571", "0.8571");
        // 2025-12: 180,000 on 12-01; Acme 100,000 → 120,000 on 2026-01-01. NRR = 200,000 ÷ 180,000 = 1.1111;
        // GRR = 180,000 ÷ 180,000 = 1.
        assertMonth(months.get("2025-12"), "180000", "20000", "0", "0", "200000", "0", "1.1111", "1.0000");
        // 2026-01: 200,000 on 01-01; Bolt 50,000 → 40,000 on 02-01. NRR = GRR = 190,000 ÷ 200,000 = 0.95.
        assertMonth(months.get("2026-01"), "200000", "0", "10000", "0", "190000", "0", "0.9500", "0.9500");

        List<String> csv = csv("/insight/executive/retention.csv?" + PERIOD);
        assertThat(csv.get(0))
                .isEqualTo("period,from,to,customers at start,starting ARR,expansion,contraction,churn,ending ARR,NRR,"
                        + "GRR,new accounts,new ARR,total ending ARR");
        assertThat(csv)
                .contains(
                        "2025-09,2025-09-01,2025-10-01,5,210000.00,0,0,30000.00,180000.00,0.8571,0.8571,0,0,180000.00",
                        "trailing 12 months,2025-03-01,2026-03-01,4,190000.00,20000.00,10000.00,30000.00,170000.00,"
                                + "0.8947,0.7895,1,20000.00,190000.00");

        String page = page("/insight/executive?" + PERIOD);
        assertThat(shown(page, "ttm-nrr")).isEqualTo("89.47 %");
        assertThat(shown(page, "ttm-grr")).isEqualTo("78.95 %");
        assertThat(shown(page, "ttm-start")).isEqualTo("$190,000");
        assertThat(shown(page, "ttm-expansion")).isEqualTo("$20,000");
        assertThat(shown(page, "ttm-contraction")).isEqualTo("$10,000");
        assertThat(shown(page, "ttm-churn")).isEqualTo("$30,000");
        assertThat(shown(page, "ttm-ending")).isEqualTo("$170,000");
        assertThat(shown(page, "ttm-new")).isEqualTo("$20,000");
        assertThat(shown(row(page, "data-month=\"2025-09\""), "nrr")).isEqualTo("85.71 %");
        assertThat(shown(row(page, "data-month=\"2025-12\""), "grr")).isEqualTo("100.00 %");
        assertThat(page).contains("data-testid=\"nav-executive\"");

        // Each line of the waterfall drills down to its accounts, whose contributions add up to it.
        ExecutiveDrillDown churn = read(
                "/api/v1/insight/executive/accounts?figure=retention&movement=churn&" + PERIOD,
                ExecutiveDrillDown.class);
        assertThat(churn.total()).isEqualByComparingTo("30000");
        assertThat(churn.accounts()).extracting(ExecutiveDrillDown.Line::name).containsExactly("Cobalt Recon");
        ExecutiveDrillDown start = read(
                "/api/v1/insight/executive/accounts?figure=retention&movement=start&" + PERIOD,
                ExecutiveDrillDown.class);
        assertThat(start.total()).isEqualByComparingTo("190000");
        assertThat(start.accounts())
                .extracting(ExecutiveDrillDown.Line::name)
                .containsExactly("Acme Recon", "Bolt Recon", "Cobalt Recon", "Echo Recon");
        String drillPage = page("/insight/executive/accounts?figure=retention&movement=expansion&" + PERIOD);
        assertThat(shown(drillPage, "drill-total")).isEqualTo("$20,000");
        assertThat(drillPage).contains("Acme Recon");
    }

    @Test
    void withoutStartingArrRetentionSaysNoDataNeverZeroOrAHundredPercent() throws Exception {
        // Before Echo's first contract (2024-06-01) the company had no customer: nothing to retain.
        String before = "tier=" + TIER + "&from=2024-01&to=2024-03";
        ExecutiveDashboard.Retention retention =
                read("/api/v1/insight/executive/retention?" + before, ExecutiveDashboard.Retention.class);

        assertThat(retention.months()).allSatisfy(month -> {
            assertThat(month.nrr()).isNull();
            assertThat(month.grr()).isNull();
        });
        assertThat(csv("/insight/executive/retention.csv?" + before))
                .contains("2024-02,2024-02-01,2024-03-01,0,0,0,0,0,0,no data,no data,0,0,0");
        String page = page("/insight/executive?" + before);
        assertThat(shown(row(page, "data-month=\"2024-02\""), "nrr")).isEqualTo("no data");
        assertThat(shown(row(page, "data-month=\"2024-02\""), "grr")).isEqualTo("no data");
        mvc.perform(get("/api/v1/openapi.json"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/v1/insight/executive/retention'].get")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/insight/executive/accounts'].get")
                        .exists());
    }

    @Test
    void cohortsReconcile() throws Exception {
        CohortRetention cohorts = read("/api/v1/insight/executive/cohorts?tier=" + TIER, CohortRetention.class);

        // First contracts: Echo 2024-06-01 (2024-Q2), Acme 2025-01-01, Cobalt 2025-01-15, Bolt 2025-02-01 (2025-Q1),
        // Delta 2025-09-01 (2025-Q3). 2025-Q1 starts with 100,000 + 30,000 + 50,000 = 180,000 (3 accounts); on
        // 2025-04-01 and 2025-07-01 all three with 180,000; on 2025-10-01 Cobalt has gone: 2 of 3 = 0.6667, ARR
        // 150,000 ÷ 180,000 = 0.8333; on 2026-01-01 Acme has 120,000: 170,000 ÷ 180,000 = 0.9444. 2026-04-01 has not
        // come. Echo's 2024-Q2 has 7 quarter ends up to today, all with 10,000.
        assertThat(cohorts.cohorts())
                .extracting(CohortRetention.Cohort::quarter)
                .containsExactly("2024-Q2", "2025-Q1", "2025-Q3");
        assertThat(cohorts.steps()).isEqualTo(7);
        CohortRetention.Cohort q1 = cohorts.cohorts().get(1);
        assertThat(q1.accounts()).isEqualTo(3);
        assertThat(q1.startArr()).isEqualByComparingTo("180000");
        assertThat(q1.cells())
                .extracting(CohortRetention.Cell::logoRetention)
                .containsExactly(ratio("1.0000"), ratio("1.0000"), ratio("0.6667"), ratio("0.6667"));
        assertThat(q1.cells())
                .extracting(CohortRetention.Cell::revenueRetention)
                .containsExactly(ratio("1.0000"), ratio("1.0000"), ratio("0.8333"), ratio("0.9444"));
        assertThat(cohorts.cohorts().get(2).cells())
                .extracting(CohortRetention.Cell::day)
                .containsExactly(LocalDate.of(2025, 10, 1), LocalDate.of(2026, 1, 1));

        assertThat(csv("/insight/executive/cohorts-logo.csv?tier=" + TIER))
                .contains(
                        "start quarter,accounts,starting ARR,Q+1,Q+2,Q+3,Q+4,Q+5,Q+6,Q+7",
                        "2025-Q1,3,180000.00,1.0000,1.0000,0.6667,0.6667,,,",
                        "2024-Q2,1,10000.00,1.0000,1.0000,1.0000,1.0000,1.0000,1.0000,1.0000");
        assertThat(csv("/insight/executive/cohorts-revenue.csv?tier=" + TIER))
                .contains("2025-Q1,3,180000.00,1.0000,1.0000,0.8333,0.9444,,,");

        String page = page("/insight/executive?tier=" + TIER);
        String logo = page.substring(
                page.indexOf("data-testid=\"cohort-logo\""), page.indexOf("data-testid=\"cohort-revenue\""));
        String revenue = page.substring(page.indexOf("data-testid=\"cohort-revenue\""));
        assertThat(cells(row(logo, "data-quarter=\"2025-Q1\"")))
                .containsExactly("100.00 %", "100.00 %", "66.67 %", "66.67 %", "", "", "");
        assertThat(cells(row(revenue, "data-quarter=\"2025-Q1\"")))
                .containsExactly("100.00 %", "100.00 %", "83.33 %", "94.44 %", "", "", "");

        ExecutiveDrillDown third = read(
                "/api/v1/insight/executive/accounts?figure=cohort&quarter=2025-Q1&step=2&tier=" + TIER,
                ExecutiveDrillDown.class);
        assertThat(third.total()).isEqualByComparingTo("150000");
        assertThat(third.accounts()).hasSize(3);
    }

    @Test
    void arrAtRiskCountsRedAndYellowAndShowsBlackApart() throws Exception {
        ArrAtRisk risk = read("/api/v1/insight/executive/arr-at-risk?tier=" + TIER, ArrAtRisk.class);

        // Today: Delta 20,000 Red, Bolt 40,000 Yellow, Echo 10,000 Black, Acme 120,000 Green;
        // Cobalt has no ARR. At risk = 20,000 + 40,000 = 60,000 of 190,000.
        ArrAtRisk.Row total = risk.total();
        assertThat(total.accounts()).isEqualTo(4);
        assertThat(total.red()).isEqualByComparingTo("20000");
        assertThat(total.yellow()).isEqualByComparingTo("40000");
        assertThat(total.atRisk()).isEqualByComparingTo("60000");
        assertThat(total.black()).isEqualByComparingTo("10000");
        assertThat(total.green()).isEqualByComparingTo("120000");
        assertThat(total.total()).isEqualByComparingTo("190000");
        assertThat(risk.bySegment()).extracting(ArrAtRisk.Row::key).containsExactly(TIER);
        assertThat(risk.byOwner()).extracting(ArrAtRisk.Row::label).containsExactly("(unowned)");
        // By renewal month, in calendar order: Echo 2026-06, Delta 2026-09, Acme 2027-01, Bolt 2027-02.
        assertThat(risk.byRenewalMonth())
                .extracting(ArrAtRisk.Row::key)
                .containsExactly("2026-06", "2026-09", "2027-01", "2027-02");
        assertThat(risk.byRenewalMonth())
                .extracting(ArrAtRisk.Row::atRisk)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(BigDecimal.ZERO, new BigDecimal("20000"), BigDecimal.ZERO, new BigDecimal("40000"));

        assertThat(csv("/insight/executive/arr-at-risk.csv?tier=" + TIER))
                .contains("total,All customers,4,20000.00,40000.00,60000.00,10000.00,120000.00,190000.00");
        String page = page("/insight/executive?tier=" + TIER);
        assertThat(shown(page, "risk-total")).isEqualTo("$60,000");
        assertThat(shown(page, "risk-black")).isEqualTo("$10,000");

        ExecutiveDrillDown atRisk = read(
                "/api/v1/insight/executive/accounts?figure=at-risk&color=at-risk&tier=" + TIER,
                ExecutiveDrillDown.class);
        assertThat(atRisk.total()).isEqualByComparingTo("60000");
        assertThat(atRisk.accounts())
                .extracting(ExecutiveDrillDown.Line::name)
                .containsExactly("Bolt Recon", "Delta Recon");
        String drillPage = page("/insight/executive/accounts?figure=at-risk&color=at-risk&tier=" + TIER);
        assertThat(shown(drillPage, "drill-total")).isEqualTo("$60,000");
    }

    @Test
    void healthOverTimeCountsCustomersByTheirStoredColorAndBlackWhereNoneWas() throws Exception {
        HealthDistribution distribution =
                read("/api/v1/insight/executive/health-distribution?months=3&tier=" + TIER, HealthDistribution.class);

        // Samples: 2026-01-01, 2026-02-01, 2026-03-01 and today.
        assertThat(distribution.points())
                .extracting(HealthDistribution.Point::day)
                .containsExactly(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1), TODAY);
        // 2026-01-01: Acme 120,000 Green (scored that day); Bolt 50,000, Delta 20,000, Echo 10,000 Black.
        assertPoint(distribution.points().get(0), 4, 0, 0, 1, 3, "120000", "80000");
        // 2026-02-01: Bolt 40,000 Yellow (scored 2 days before); Acme's score is 31 days old: Black with the rest.
        assertPoint(distribution.points().get(1), 4, 0, 1, 0, 3, "0", "150000");
        // 2026-03-01: someone was scored in the 7 days before (Cobalt, no longer a customer, on 2026-02-27), but none
        // of the four: all four Black, 190,000. (Had nobody been scored then, the colors would be no data.)
        assertPoint(distribution.points().get(2), 4, 0, 0, 0, 4, "0", "190000");
        // Today: Delta Red, Bolt Yellow, Acme Green, Echo Black.
        assertPoint(distribution.points().get(3), 4, 1, 1, 1, 1, "120000", "10000");

        assertThat(csv("/insight/executive/health-distribution.csv?tier=" + TIER))
                .contains("2026-02-01,4,0,1,0,3,0,40000.00,0,150000.00,190000.00");
    }

    @Test
    void healthOverTimeReadInOnePassEqualsTheDayByDayReadsOfEveryCustomer() {
        // Every account of the shared database, and the hand-built tier, over the longest span (some of its days
        // before any score was stored): the same points as reading each day's ARR and stored colors on its own.
        for (String tier : java.util.Arrays.asList(null, TIER)) {
            cache.clear();
            HealthDistribution distribution = dashboard.healthDistribution(ExecutiveDashboard.MAX_MONTHS, tier);
            assertThat(distribution.points())
                    .extracting(HealthDistribution.Point::day)
                    .containsExactlyElementsOf(ExecutiveDashboard.sampleDays(TODAY, ExecutiveDashboard.MAX_MONTHS));
            for (HealthDistribution.Point point : distribution.points()) {
                assertThat(point).as("%s, tier %s", point.day(), tier).isEqualTo(dayByDay(point.day(), tier));
            }
        }
    }

    @Test
    void aBooksColorsOverWeeksReadInOnePassEqualTheStoredColorsOfEachDay() {
        List<UUID> accounts = jdbc.sql("select id from account where tier = ?")
                .param(TIER)
                .query(UUID.class)
                .list();
        List<LocalDate> days = List.of(
                LocalDate.of(2025, 9, 27),
                LocalDate.of(2025, 9, 28),
                LocalDate.of(2026, 1, 15),
                TODAY.minusDays(1),
                TODAY);
        dev.steward.health.DailyColors read = health.latestColors(accounts, days);
        Map<LocalDate, Map<UUID, HealthScoring.StoredColor>> stored = health.storedColors(accounts, days);
        for (int day = 0; day < days.size(); day++) {
            for (UUID account : accounts) {
                HealthScoring.StoredColor then = stored.get(days.get(day)).get(account);
                dev.steward.health.engine.Color color = read.colorOf(account, day);
                assertThat(color == null ? null : color.value())
                        .as("%s on %s", account, days.get(day))
                        .isEqualTo(then == null ? null : then.color());
            }
            assertThat(read.anyScored(day)).isEqualTo(!stored.get(days.get(day)).isEmpty());
        }
        assertThat(read.anyScored(1)).as("Cobalt's first score, 2025-09-28").isTrue();
    }

    /** One day's point as the day-by-day reads give it: that day's ARR, and the colors stored in the week up to it. */
    private HealthDistribution.Point dayByDay(LocalDate day, String tier) {
        Map<UUID, BigDecimal> arr = revenue.arrOn(day, tier);
        BigDecimal total = arr.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (!health.anyScored(day, ExecutiveDashboard.STALE_DAYS)) {
            return new HealthDistribution.Point(
                    day, arr.size(), null, null, null, null, null, null, null, null, total, false);
        }
        Map<UUID, dev.steward.health.engine.Color> colors = new java.util.HashMap<>();
        health.colorsOn(day, ExecutiveDashboard.STALE_DAYS, null, colors::put);
        Map<dev.steward.health.engine.Color, Long> counts =
                new java.util.EnumMap<>(dev.steward.health.engine.Color.class);
        Map<dev.steward.health.engine.Color, BigDecimal> sums =
                new java.util.EnumMap<>(dev.steward.health.engine.Color.class);
        for (dev.steward.health.engine.Color color : dev.steward.health.engine.Color.values()) {
            counts.put(color, 0L);
            sums.put(color, BigDecimal.ZERO);
        }
        arr.forEach((account, value) -> {
            dev.steward.health.engine.Color color = colors.getOrDefault(account, dev.steward.health.engine.Color.BLACK);
            counts.merge(color, 1L, Long::sum);
            sums.merge(color, value, BigDecimal::add);
        });
        return new HealthDistribution.Point(
                day,
                arr.size(),
                counts.get(dev.steward.health.engine.Color.RED),
                counts.get(dev.steward.health.engine.Color.YELLOW),
                counts.get(dev.steward.health.engine.Color.GREEN),
                counts.get(dev.steward.health.engine.Color.BLACK),
                sums.get(dev.steward.health.engine.Color.RED),
                sums.get(dev.steward.health.engine.Color.YELLOW),
                sums.get(dev.steward.health.engine.Color.GREEN),
                sums.get(dev.steward.health.engine.Color.BLACK),
                total,
                true);
    }

    @Test
    void theRenewalForecastUsesTheLatestBacktestsRatesOrSaysThereIsNone() throws Exception {
        RenewalForecast forecast =
                read("/api/v1/insight/executive/renewal-forecast?tier=" + TIER, RenewalForecast.class);

        Map<YearMonth, RenewalForecast.Upcoming> upcoming =
                forecast.upcoming().stream().collect(Collectors.toMap(RenewalForecast.Upcoming::month, u -> u));
        assertThat(forecast.upcoming()).hasSize(12);
        // Coming renewals: Echo E1 2026-06 10,000 (Black), Delta D1 2026-09 20,000 (Red), Acme A2 2027-01 120,000
        // (Green), Bolt B2 2027-02 40,000 (Yellow).
        assertThat(upcoming.get(YearMonth.of(2026, 6)).black()).isEqualByComparingTo("10000");
        assertThat(upcoming.get(YearMonth.of(2026, 9)).red()).isEqualByComparingTo("20000");
        assertThat(upcoming.get(YearMonth.of(2027, 1)).green()).isEqualByComparingTo("120000");
        assertThat(upcoming.get(YearMonth.of(2027, 2)).yellow()).isEqualByComparingTo("40000");
        assertThat(upcoming.get(YearMonth.of(2026, 4)).upForRenewal()).isEqualByComparingTo("0");

        Map<YearMonth, RenewalForecast.Past> past =
                forecast.past().stream().collect(Collectors.toMap(RenewalForecast.Past::month, p -> p));
        assertThat(forecast.past()).extracting(RenewalForecast.Past::month).startsWith(YearMonth.of(2025, 3));
        // What happened: Echo E0 renewed flat in 2025-06; Cobalt C1 churned in 2025-10; Acme A1 expanded by 20,000
        // in 2026-01; Bolt B1 contracted by 10,000 in 2026-02.
        assertThat(past.get(YearMonth.of(2025, 6)).renewed()).isEqualByComparingTo("10000");
        assertThat(past.get(YearMonth.of(2025, 10)).churned()).isEqualByComparingTo("30000");
        assertThat(past.get(YearMonth.of(2026, 1)).expanded()).isEqualByComparingTo("100000");
        assertThat(past.get(YearMonth.of(2026, 1)).expansion()).isEqualByComparingTo("20000");
        assertThat(past.get(YearMonth.of(2026, 2)).contracted()).isEqualByComparingTo("50000");
        assertThat(past.get(YearMonth.of(2026, 2)).contraction()).isEqualByComparingTo("10000");
        assertThat(past.get(YearMonth.of(2026, 2)).retained()).isEqualByComparingTo("50000");

        String page = page("/insight/executive?tier=" + TIER);
        RenewalForecast.Calibration rates = forecast.calibration();
        if (rates == null) {
            // No backtest has finished in this database: nothing is forecast, and the page says so.
            assertThat(forecast.noCalibration()).isEqualTo("no data — run a backtest");
            assertThat(upcoming.get(YearMonth.of(2026, 9)).expected()).isNull();
            assertThat(past.get(YearMonth.of(2025, 10)).forecast()).isNull();
            assertThat(page).contains("data-testid=\"no-calibration\"");
            assertThat(shown(row(page, "data-month=\"2026-09\""), "expected")).isEqualTo("no data — run a backtest");
        } else {
            // Delta's 20,000 × the Red rate; the colors at the start of 2025-10 said Cobalt was Red (stored
            // 2025-09-28): 30,000 × the Red rate; Echo's 10,000 in 2026-06 is Black: not forecast.
            assertThat(upcoming.get(YearMonth.of(2026, 9)).expected()).isEqualTo(times("20000", rates.red()));
            assertThat(upcoming.get(YearMonth.of(2026, 6)).notForecast()).isEqualByComparingTo("10000");
            assertThat(past.get(YearMonth.of(2025, 10)).forecast()).isEqualTo(times("30000", rates.red()));
        }
        assertThat(csv("/insight/executive/renewal-history.csv?tier=" + TIER))
                .anyMatch(line -> line.startsWith("2026-01,1,100000.00,")
                        && line.endsWith(",100000.00,0,100000.00,20000.00,0,0,0,120000.00"));
    }

    @Test
    void theRenewalForecastIsCalibratedOnABacktestsRatesPerColor() throws Exception {
        UUID backtest = backtestRun();
        try {
            forecastCalibratedOn(backtest);
        } finally {
            // A hand-made run with only the figures the forecast reads: no other test should take it for the latest.
            jdbc.sql("delete from backtest_run where id = ?").param(backtest).update();
        }
    }

    private void forecastCalibratedOn(UUID backtest) throws Exception {
        String query = "tier=" + TIER + "&backtest=" + backtest;
        RenewalForecast forecast = read("/api/v1/insight/executive/renewal-forecast?" + query, RenewalForecast.class);

        // The run's longest horizon (180 days): Red renewed 6 of 6 + 14 = 0.3000, Yellow 15 of 20 = 0.7500, Green 57
        // of 60 = 0.9500; its Black observations give no rate.
        RenewalForecast.Calibration rates = forecast.calibration();
        assertThat(rates.backtest()).isEqualTo(backtest);
        assertThat(rates.horizonDays()).isEqualTo(180);
        assertThat(List.of(rates.red(), rates.yellow(), rates.green()))
                .containsExactly(ratio("0.3000"), ratio("0.7500"), ratio("0.9500"));
        Map<YearMonth, RenewalForecast.Upcoming> upcoming =
                forecast.upcoming().stream().collect(Collectors.toMap(RenewalForecast.Upcoming::month, u -> u));
        // Delta 20,000 Red × 0.30 = 6,000; Acme 120,000 Green × 0.95 = 114,000; Bolt 40,000 Yellow × 0.75 = 30,000;
        // Echo 10,000 Black: not forecast.
        assertThat(upcoming.get(YearMonth.of(2026, 9)).expected()).isEqualTo(new BigDecimal("6000.00"));
        assertThat(upcoming.get(YearMonth.of(2027, 1)).expected()).isEqualTo(new BigDecimal("114000.00"));
        assertThat(upcoming.get(YearMonth.of(2027, 2)).expected()).isEqualTo(new BigDecimal("30000.00"));
        assertThat(upcoming.get(YearMonth.of(2026, 6)).expected()).isEqualTo(new BigDecimal("0.00"));
        assertThat(upcoming.get(YearMonth.of(2026, 6)).notForecast()).isEqualByComparingTo("10000");
        Map<YearMonth, RenewalForecast.Past> past =
                forecast.past().stream().collect(Collectors.toMap(RenewalForecast.Past::month, p -> p));
        // The colors at the start of each month: Cobalt Red on 2025-10-01 (stored 2025-09-28): 30,000 × 0.30 = 9,000,
        // it churned; Acme Green on 2026-01-01: 100,000 × 0.95 = 95,000, it renewed at 120,000; Bolt Yellow on
        // 2026-02-01 (stored 2026-01-30): 50,000 × 0.75 = 37,500, it renewed at 40,000; Echo had no score on
        // 2025-06-01: its 10,000 was not forecast, and renewed.
        assertThat(past.get(YearMonth.of(2025, 10)).forecast()).isEqualTo(new BigDecimal("9000.00"));
        assertThat(past.get(YearMonth.of(2026, 1)).forecast()).isEqualTo(new BigDecimal("95000.00"));
        assertThat(past.get(YearMonth.of(2026, 2)).forecast()).isEqualTo(new BigDecimal("37500.00"));
        assertThat(past.get(YearMonth.of(2025, 6)).forecast()).isEqualTo(new BigDecimal("0.00"));
        assertThat(past.get(YearMonth.of(2025, 6)).notForecast()).isEqualByComparingTo("10000");

        assertThat(csv("/insight/executive/renewal-forecast.csv?" + query))
                .contains("2026-09,1,20000.00,20000.00,0,0,0,6000.00,0,0,0");
        assertThat(csv("/insight/executive/renewal-history.csv?" + query))
                .contains("2026-01,1,100000.00,95000.00,0,100000.00,0,100000.00,20000.00,0,0,0,120000.00")
                .contains("2025-10,1,30000.00,9000.00,0,0,0,0,0,0,0,30000.00,0");
        String page = page("/insight/executive?" + query);
        assertThat(page).contains("data-testid=\"calibration\"");
        assertThat(shown(row(page, "data-month=\"2026-09\""), "expected")).isEqualTo("$6,000.00");
        String history = page.substring(page.indexOf("data-testid=\"history-table\""));
        assertThat(shown(row(history, "data-month=\"2026-02\""), "forecast")).isEqualTo("$37,500.00");
        assertThat(shown(row(history, "data-month=\"2026-02\""), "retained")).isEqualTo("$50,000");
        assertThat(shown(row(history, "data-month=\"2026-02\""), "contraction")).isEqualTo("$10,000");
    }

    @Test
    void afterAChangeThePageShowsTheLastKnownFiguresWithTheirTimeUntilTheNewOnesAreComputed() throws Exception {
        assertThat(shown(page("/insight/executive?tier=" + TIER), "risk-total")).isEqualTo("$60,000");
        Object budget = ReflectionTestUtils.getField(pages, "budget");
        try {
            // A page that waits no time at all for figures being computed again; a contract written (as far as the
            // figures can tell: this class's contracts stay as they are, its hand-written scores would be re-scored).
            ReflectionTestUtils.setField(pages, "budget", java.time.Duration.ZERO);
            cache.on(new AccountRecordsChanged(AccountRecordsChanged.CONTRACT, java.util.Set.of(UUID.randomUUID())));

            var answer = mvc.perform(get("/insight/executive?tier=" + TIER))
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse();
            String page = answer.getContentAsString();
            assertThat(shown(page, "risk-total")).as("the last known figure").isEqualTo("$60,000");
            assertThat(page)
                    .as("the page says what time its figures are as of")
                    .contains("data-testid=\"figures-as-of\"")
                    .contains("they show the state as of 18 Mar 2026");
            assertThat(answer.getHeader(ExecutivePages.AS_OF_HEADER)).isNotNull();

            // Computed again in the background: then the page shows them without the note.
            org.awaitility.Awaitility.await()
                    .pollInSameThread()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> !page("/insight/executive?tier=" + TIER).contains("figures-as-of"));
        } finally {
            ReflectionTestUtils.setField(pages, "budget", budget);
        }
    }

    @Test
    void badParametersAreProblemDetailsThatNameTheField() throws Exception {
        mvc.perform(get("/api/v1/insight/executive/retention?from=2026-13"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("from")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("yyyy-MM")));
        mvc.perform(get("/api/v1/insight/executive/retention?from=2023-01&to=2026-02"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason", containsString("38 months")));
        mvc.perform(get("/api/v1/insight/executive/retention?to=2026-03"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason", containsString("not over yet")));
        mvc.perform(get("/api/v1/insight/executive/arr-at-risk?tier=Nowhere"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("tier")));
        mvc.perform(get("/api/v1/insight/executive/health-distribution?months=37"))
                .andExpect(status().isUnprocessableContent());
        mvc.perform(get("/api/v1/insight/executive/renewal-forecast?backtest=" + UUID.randomUUID()))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/insight/executive/accounts?figure=everything"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("figure")));
    }

    @Test
    void thePageIsAlsoAPdf() throws Exception {
        byte[] pdf = mvc.perform(get("/insight/executive/dashboard.pdf?tier=" + TIER))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_PDF))
                .andReturn()
                .getResponse()
                .getContentAsByteArray();

        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("%PDF-");
        assertThat(pdf.length).isGreaterThan(2000);
    }

    private void assertMonth(
            RevenueRetention month,
            String start,
            String expansion,
            String contraction,
            String churn,
            String ending,
            String fresh,
            String nrr,
            String grr) {
        assertThat(month.startArr()).isEqualByComparingTo(start);
        assertThat(month.expansion()).isEqualByComparingTo(expansion);
        assertThat(month.contraction()).isEqualByComparingTo(contraction);
        assertThat(month.churn()).isEqualByComparingTo(churn);
        assertThat(month.endingArr()).isEqualByComparingTo(ending);
        assertThat(month.newArr()).isEqualByComparingTo(fresh);
        assertThat(month.nrr()).isEqualTo(new BigDecimal(nrr));
        assertThat(month.grr()).isEqualTo(new BigDecimal(grr));
    }

    private static void assertPoint(
            HealthDistribution.Point point,
            long customers,
            long red,
            long yellow,
            long green,
            long black,
            String greenArr,
            String blackArr) {
        assertThat(point.customers()).isEqualTo(customers);
        assertThat(List.of(point.red(), point.yellow(), point.green(), point.black()))
                .containsExactly(red, yellow, green, black);
        assertThat(point.greenArr()).isEqualByComparingTo(greenArr);
        assertThat(point.blackArr()).isEqualByComparingTo(blackArr);
    }

    private static BigDecimal ratio(String value) {
        return new BigDecimal(value);
    }

    private static BigDecimal times(String arr, BigDecimal rate) {
        return rate == null ? null : new BigDecimal(arr).multiply(rate).setScale(2, RoundingMode.HALF_UP);
    }

    /** A finished backtest whose results give each color the renewal counts the forecast test computes with. */
    private UUID backtestRun() {
        UUID id = UUID.randomUUID();
        String colors90 = """
                [{"color": "red", "accounts": 10, "churned": 8, "renewed": 2, "neither": 0}]""";
        String colors180 = """
                [{"color": "red", "accounts": 20, "churned": 14, "renewed": 6, "neither": 0},
                 {"color": "yellow", "accounts": 20, "churned": 5, "renewed": 15, "neither": 0},
                 {"color": "green", "accounts": 60, "churned": 3, "renewed": 57, "neither": 0},
                 {"color": "black", "accounts": 10, "churned": 5, "renewed": 5, "neither": 0}]""";
        String results = """
                {"asOfDates": ["2025-06-01"], "accounts": 110, "horizons": [
                  {"horizonDays": 90, "missedTotal": 0, "asOfDates": ["2025-06-01"], "overall": {"observations": 10, "churned": 8,
                   "colors": %s}},
                  {"horizonDays": 180, "missedTotal": 0, "asOfDates": ["2025-06-01"], "overall": {"observations": 100, "churned": 22,
                   "colors": %s}}]}""".formatted(colors90, colors180);
        jdbc.sql("""
                        insert into backtest_run (id, name, scorecards, as_of_dates, horizons, status, days_done,
                                                  created_by, created_at, started_at, finished_at, results)
                        values (?, 'Reconciliation rates', '[]', '{2025-06-01}', '{90,180}', 'done', 1, 'test',
                                now(), now(), now(), cast(? as jsonb))""").params(id, results).update();
        return id;
    }

    private void color(String account, String color, LocalDate... days) {
        UUID id = jdbc.sql("select id from account where name = ?")
                .param(account)
                .query(UUID.class)
                .single();
        for (LocalDate day : days) {
            jdbc.sql("""
                            insert into health_score (account_id, day, scorecard, scorecard_version, score, color,
                                                      coverage, raw, ranks, computed_at)
                            values (?, ?, 'Reconciliation', 1, 50, ?, 1, '{}', '{}', now())
                            on conflict (account_id, day) do update set color = excluded.color""").params(id, day, color).update();
            if (day.equals(TODAY)) {
                snapshots.recordHealth(List.of(new AccountSnapshots.Health(id, 50, color, 0.0)));
            }
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

    private static String row(String html, String attribute) {
        return InsightReads.row(html, attribute);
    }

    /** The texts of a cohort row's cells. */
    private static List<String> cells(String row) {
        List<String> cells = new java.util.ArrayList<>();
        Matcher cell = Pattern.compile("data-testid=\"cohort-cell\"[^>]*>(.*?)</td>", Pattern.DOTALL)
                .matcher(row);
        while (cell.find()) {
            cells.add(cell.group(1).replaceAll("<[^>]*>", "").strip());
        }
        return cells;
    }
}
