package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.health.HealthScoring;
import java.time.Duration;
import java.time.LocalDate;
import java.util.StringJoiner;
import org.awaitility.Awaitility;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A backtest through the API over a small hand-built history (dates relative to today, "−60" is 60 days ago), with
 * a one-measure scorecard draft for the segment "Backtest": score = logins over 30 days, linear from 0 to 150.
 *
 * <ul>
 *   <li>Renews: 5 logins a day (Green, 100); contract to −60, renewed by the next.
 *   <li>Fades: 1 login a day (Red, 20); contract to −50, not renewed: churned on −50.
 *   <li>Surprise: 5 logins a day (Green, 100); contract to −70, not renewed, and a churn event on −70.
 *   <li>Middle: 3 logins a day (Yellow, 60); contract runs on.
 *   <li>Quiet: no usage at all (Black); contract runs on.
 * </ul>
 *
 * As of −120 and −90 with a 60-day horizon: Renews renewed both times (in (−120, −60] and (−90, −30]); Fades had no
 * outcome in (−120, −60] and churned in (−90, −30]; Surprise churned both times. So 8 non-Black observations, 3
 * churned; accuracy (Red right once, Green right twice, of 2 Red + 4 Green) 3/6; ROC AUC (churned 20 beats four
 * retained and ties one: 4.5; each churned 100 ties two retained 100s: 1 + 1) 6.5/15; precision of Red 1/2, recall
 * 1/3, base rate 3/8, lift 4/3; Green that churned 2/4; Red that renewed 0. Fades was Red from −120 to its churn on
 * −50: 70 days of warning; Surprise none.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
// A context (and so a database) of its own: the scorecard and accounts made here must not show in other tests' lists.
@TestPropertySource(properties = "steward.test.context=backtest-api")
class BacktestApiTests {

    private static final String SCORECARD = """
            name: Backtest Logins
            appliesTo: account.tier == "Backtest"
            priority: 90
            thresholds: { red: 40, yellow: 70 }
            minimumCoverage: 0.6
            dimensions:
              - name: Product
                weight: 100
                measures:
                  - name: Logins
                    metric: logins
                    aggregate: sum
                    window: 30d
                    weight: 100
                    score: { linear: { from: 0, to: 150 } }
            """;

    @Autowired
    MockMvc mvc;

    @Autowired
    HealthScoring scoring;

    LocalDate today;

    @BeforeEach
    void history() throws Exception {
        today = scoring.today();
        if (mvc.perform(get("/api/v1/scorecards/Backtest Logins/versions"))
                        .andReturn()
                        .getResponse()
                        .getStatus()
                == 200) {
            return;
        }
        mvc.perform(post("/api/v1/scorecards/Backtest Logins/versions")
                        .with(csrf())
                        .contentType("application/yaml")
                        .content(SCORECARD))
                .andExpect(status().isCreated());
        String renews = account("Renews Co");
        String first = contract(renews, -400, -60, null);
        contract(renews, -60, 305, first);
        usage(renews, 5);
        String fades = account("Fades Co");
        contract(fades, -400, -50, null);
        usage(fades, 1);
        String surprise = account("Surprise Co");
        contract(surprise, -400, -70, null);
        usage(surprise, 5);
        send(post("/api/v1/accounts/" + surprise + "/churn-events"), """
                        {"churnedOn": "%s", "reasonCategory": "budget", "reason": "Acquired"}""".formatted(day(-70)))
                .andExpect(status().isCreated());
        String middle = account("Middle Co");
        contract(middle, -400, 200, null);
        usage(middle, 3);
        String quiet = account("Quiet Co");
        contract(quiet, -400, 200, null);
    }

    @Test
    void aBacktestRunsInTheBackgroundAndReportsEveryFigure() throws Exception {
        String id = start("""
                {"name": "Logins only", "scorecards": [{"name": "Backtest Logins", "version": 1}],
                 "asOfDates": ["%s", "%s"], "horizons": [60], "segment": "Backtest"}""".formatted(day(-120), day(-90)));
        awaitDone(id);

        String h = "$.results.horizons[0].";
        mvc.perform(get("/api/v1/backtests/" + id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status", is("done")))
                .andExpect(jsonPath("$.daysDone", is(2)))
                .andExpect(jsonPath("$.results.accounts", is(5)))
                .andExpect(jsonPath(h + "horizonDays", is(60)))
                .andExpect(jsonPath(h + "overall.observations", is(8)))
                .andExpect(jsonPath(h + "overall.churned", is(3)))
                .andExpect(jsonPath(h + "overall.accuracy").value(near(0.5)))
                .andExpect(jsonPath(h + "overall.rocAuc").value(near(6.5 / 15)))
                .andExpect(jsonPath(h + "overall.redPrecision").value(near(0.5)))
                .andExpect(jsonPath(h + "overall.redRecall").value(near(1.0 / 3)))
                .andExpect(jsonPath(h + "overall.baseChurnRate").value(near(3.0 / 8)))
                .andExpect(jsonPath(h + "overall.lift").value(near(4.0 / 3)))
                .andExpect(jsonPath(h + "overall.greenChurned").value(near(0.5)))
                .andExpect(jsonPath(h + "overall.redRenewed").value(near(0.0)))
                .andExpect(jsonPath(h + "overall.colors[0].color", is("green")))
                .andExpect(jsonPath(h + "overall.colors[0].accounts", is(4)))
                .andExpect(jsonPath(h + "overall.colors[0].renewed", is(2)))
                .andExpect(jsonPath(h + "overall.colors[3].color", is("black")))
                .andExpect(jsonPath(h + "overall.colors[3].accounts", is(2)))
                .andExpect(jsonPath(h + "segments[0].segment", is("Backtest")))
                .andExpect(jsonPath(h + "missedTotal", is(2)))
                .andExpect(jsonPath(h + "missed[0].name", is("Surprise Co")))
                .andExpect(jsonPath(h + "missed[0].churnedOn", is(day(-70).toString())))
                // Surprise was Green on both as-of days before its churn: one account, two days.
                .andExpect(jsonPath(h + "missedAccountsTotal", is(1)))
                .andExpect(jsonPath(h + "missedAccounts[0].name", is("Surprise Co")))
                .andExpect(jsonPath(h + "missedAccounts[0].asOfDays", is(2)))
                .andExpect(
                        jsonPath(h + "missedAccounts[0].firstAsOf", is(day(-120).toString())))
                .andExpect(jsonPath(h + "missedAccounts[0].lastAsOf", is(day(-90).toString())))
                .andExpect(jsonPath(h + "overall.retainAllAccuracy").value(near(0.5)))
                .andExpect(jsonPath(h + "byAsOf.length()", is(2)))
                .andExpect(jsonPath("$.results.leadTime.churns", is(2)))
                .andExpect(jsonPath("$.results.leadTime.warned", is(1)))
                .andExpect(jsonPath("$.results.leadTime.medianDays").value(near(70.0)))
                .andExpect(jsonPath("$.results.suggestions[?(@.scorecard == 'Backtest Logins')].problem")
                        .value(hasItem(containsString("too little history"))))
                // Two as-of days with three churns: no model can be fitted, and the run says so rather than a number.
                .andExpect(jsonPath("$.results.suggestions[?(@.scorecard == 'Backtest Logins')].benchmark.inconclusive")
                        .value(hasItem(containsString("too few observations to fit a model on"))))
                .andExpect(jsonPath("$.results.suggestions[0].scorecard", is("Backtest Logins")))
                .andExpect(
                        jsonPath("$.results.suggestions[0].benchmark.modelAuc").doesNotExist());

        send(post("/api/v1/backtests/" + id + "/suggestions/Backtest Logins/draft"), "")
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].reason", containsString("no suggestion for Backtest Logins")));

        mvc.perform(get("/api/v1/backtests"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].name", hasItem("Logins only")));
        mvc.perform(get("/backtests"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Logins only")));
        // The headline: base rate 3 of 8, always retain right on 3 of the 6 Red and Green (and on 5 of all 8), Red
        // caught 1 of the 3 churned and 1 of its 2 churned; the one missed account once, with its two days.
        mvc.perform(get("/backtests/" + id).param("horizon", "60"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("70 days")))
                .andExpect(content().string(containsString("data-testid=\"base-rate\">37.5%<")))
                .andExpect(content().string(containsString("3 of 8 observations churned within 60 days")))
                .andExpect(content().string(containsString("data-testid=\"retain-all\">50.0%<")))
                .andExpect(content().string(containsString("always retain is right on 62.5% of all of them")))
                .andExpect(content().string(containsString("data-testid=\"accuracy\">50.0%<")))
                .andExpect(content().string(containsString("the score does no better")))
                .andExpect(content().string(containsString("data-testid=\"red-recall\">33.3%<")))
                .andExpect(content().string(containsString("1 of the 3 churned were Red")))
                .andExpect(content().string(containsString("data-testid=\"red-precision\">50.0%<")))
                .andExpect(content().string(containsString("1 of the 2 Red churned")))
                .andExpect(content().string(containsString("1 account, Green on 2 as-of days before it churned")))
                // The missed account's as-of days, written as days are on every page.
                .andExpect(content().string(containsString(shown(day(-120)) + " to " + shown(day(-90)))))
                .andExpect(content().string(containsString("Inconclusive.")))
                .andExpect(content().string(containsString("Model benchmark inconclusive: too few observations")));

        mvc.perform(get("/api/v1/backtests/" + id + "/figures.csv"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andExpect(header().string("Content-Disposition", containsString("attachment")))
                .andExpect(content().string(containsString("60,all,8,3,0.3750,0.5000,")));
        byte[] pdf = mvc.perform(get("/api/v1/backtests/" + id + "/report.pdf"))
                .andExpect(status().isOk())
                .andExpect(content().contentType("application/pdf"))
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("%PDF-");
        mvc.perform(get("/api/v1/backtests/" + id + "/missed.csv"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Surprise Co,Backtest," + day(-120) + ",100.0,")));
    }

    @Test
    void twoRunsCompareSideBySide() throws Exception {
        String wide = start("""
                {"scorecards": [{"name": "Backtest Logins", "version": 1}], "asOfDates": ["%s", "%s"],
                 "horizons": [60], "segment": "Backtest"}""".formatted(day(-120), day(-90)));
        String narrow = start("""
                {"scorecards": [{"name": "Backtest Logins", "version": 1}], "asOfDates": ["%s"],
                 "horizons": [60], "segment": "Backtest"}""".formatted(day(-90)));
        awaitDone(wide);
        awaitDone(narrow);

        // As of −90 alone: churned Fades (20) and Surprise (100) against Renews (100) and Middle (60): 2 + 0.5 of 4.
        mvc.perform(get("/api/v1/backtests/compare").param("a", wide).param("b", narrow))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.rows[0].figure", is("ROC AUC")))
                .andExpect(jsonPath("$.rows[0].horizonDays", is(60)))
                .andExpect(jsonPath("$.rows[0].a").value(near(6.5 / 15)))
                .andExpect(jsonPath("$.rows[0].b").value(near(2.5 / 4)))
                .andExpect(jsonPath("$.rows[0].difference").value(near(2.5 / 4 - 6.5 / 15)))
                // The same five accounts, but not on the same as-of days: a warning, not a silent difference.
                .andExpect(jsonPath("$.comparable", is(false)))
                .andExpect(jsonPath("$.differences.length()", is(1)))
                .andExpect(jsonPath(
                        "$.differences[0]",
                        is("at 60 days, A judges 2 as-of days from " + day(-120) + " to " + day(-90)
                                + ", B the as-of day " + day(-90))))
                .andExpect(jsonPath("$.rows[1].unit", is("percent")));
        // As of −90 alone, accuracy is 2 of 3 (Red Fades churned, Green Renews renewed, Green Surprise churned).
        mvc.perform(get("/backtests/compare").param("a", wide).param("b", narrow))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("These runs judged different populations.")))
                .andExpect(content().string(containsString("66.7%")))
                .andExpect(content().string(containsString("+16.7 pp")));
        mvc.perform(get("/api/v1/backtests/compare").param("a", wide).param("b", wide))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.comparable", is(true)))
                .andExpect(jsonPath("$.differences.length()", is(0)));
    }

    @Test
    void churnAnalysisCountsReasonsAndComparesSignalsBeforeChurn() throws Exception {
        // From −120 to today: Surprise's churn event (budget, no ARR given) and Fades' last contract, ended without
        // renewal and without an event ("not recorded", its ARR 12,000). As of the one month-start in (−120, −90],
        // both churned within 90 days: their logins averaged 5 and 1 a day.
        mvc.perform(get("/api/v1/backtests/churn-analysis")
                        .param("from", day(-120).toString())
                        .param("to", today.toString()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.byReasonAndSegment[?(@.segment == 'Backtest')].reason")
                        .value(org.hamcrest.Matchers.contains("budget", "not recorded")))
                .andExpect(jsonPath("$.byReasonAndSegment[?(@.segment == 'Backtest' && @.reason == 'not recorded')]"
                                + ".arrLost")
                        .value(hasItem(near(12000))))
                .andExpect(jsonPath("$.asOfDates.length()", is(1)))
                .andExpect(jsonPath("$.knownUntil", is(today.toString())))
                // No published scorecard applies to tier Backtest: its accounts are a population of their own.
                .andExpect(jsonPath("$.populations[*].scorecard", hasItem("No scorecard applies")))
                .andExpect(jsonPath(UNSCORED + ".indicators[?(@.signal == 'Logins: daily average over 30 days')]"
                                + ".churnedObservations")
                        .value(hasItem(2)))
                .andExpect(jsonPath(UNSCORED
                                + ".indicators[?(@.signal == 'Logins: daily average over 30 days')].churnedMean")
                        .value(hasItem(near(3.0))))
                .andExpect(jsonPath(UNSCORED + ".indicators[?(@.metric == 'contracts.days_to_renewal')].usedBy[*]")
                        .value(hasItem("SMB: Days to renewal")));
        mvc.perform(get("/backtests/churn/analysis").param("from", day(-120).toString()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("not recorded")));
    }

    @Test
    void refusesWhatItCannotAnswerWithEveryReason() throws Exception {
        send(post("/api/v1/backtests"), """
                        {"scorecards": [{"name": "No Such Card", "version": 1}], "asOfDates": ["%s"],
                         "horizons": [0, 90], "segment": "Nowhere"}""".formatted(day(-30)))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[*].field", hasItem("horizons")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("scorecards[0]")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("segment")))
                .andExpect(jsonPath("$.errors[?(@.field == 'asOfDates')].reason")
                        .value(hasItem(containsString("is after today"))));
    }

    @Test
    void aViewerMayReadButNotStartBacktests() throws Exception {
        mvc.perform(post("/api/v1/backtests")
                        .with(csrf())
                        .with(user("viewer").roles("VIEWER"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{}"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/backtests").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk());
    }

    private static final String UNSCORED = "$.populations[?(@.scorecard == 'No scorecard applies')]";

    /** JSON numbers with many digits arrive as BigDecimal: compare any number as a double. */
    private static Matcher<Object> near(double expected) {
        return new CustomTypeSafeMatcher<>("a number within 1e-9 of " + expected) {
            @Override
            protected boolean matchesSafely(Object actual) {
                return actual instanceof Number number && Math.abs(number.doubleValue() - expected) < 1e-9;
            }
        };
    }

    private String start(String body) throws Exception {
        String response = send(post("/api/v1/backtests"), body)
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", containsString("/api/v1/backtests/")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        return JsonPath.read(response, "$.id");
    }

    private void awaitDone(String id) {
        Awaitility.await("backtest " + id + " done")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                // The signed-in test user belongs to this thread.
                .pollInSameThread()
                .until(
                        () -> JsonPath.<String>read(
                                mvc.perform(get("/api/v1/backtests/" + id))
                                        .andReturn()
                                        .getResponse()
                                        .getContentAsString(),
                                "$.status"),
                        status -> {
                            assertThat(status).isNotEqualTo("failed");
                            return status.equals("done");
                        });
    }

    private static String shown(LocalDate day) {
        return java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy", java.util.Locale.ENGLISH)
                .format(day);
    }

    private LocalDate day(int offset) {
        return today.plusDays(offset);
    }

    private String account(String name) throws Exception {
        return JsonPath.read(
                send(post("/api/v1/accounts"), """
                                {"name": "%s", "tier": "Backtest"}""".formatted(name))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
    }

    private String contract(String account, int start, int end, String previous) throws Exception {
        return JsonPath.read(
                send(post("/api/v1/contracts"), """
                                {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 12000, "seats": 10%s}""".formatted(
                                        account,
                                        day(start),
                                        day(end),
                                        previous == null ? "" : ", \"previousContractId\": \"" + previous + "\""))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
    }

    private void usage(String account, int loginsPerDay) throws Exception {
        StringJoiner usage = new StringJoiner(",", "{\"records\": [", "]}");
        for (int back = 0; back < 200; back++) {
            usage.add("{\"accountId\": \"%s\", \"metric\": \"logins\", \"day\": \"%s\", \"value\": %d}"
                    .formatted(account, today.minusDays(back), loginsPerDay));
        }
        send(post("/api/v1/usage/bulk"), usage.toString()).andExpect(status().isOk());
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
