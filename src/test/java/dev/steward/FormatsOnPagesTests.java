package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Days, times and numbers read one way on every page (see {@code core.Formats}): the backtest pages, the scorecard
 * pages (list, version, diff, preview), the data-source pages (sources, Segment, imports, data quality) and the
 * account page's health panel show no ISO timestamp and no raw fraction with many digits, on a small data set.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
// A context of its own: the scorecard and accounts made here must not show in other tests' lists.
@TestPropertySource(properties = "steward.test.context=formats-on-pages")
class FormatsOnPagesTests {

    private static final String SCORECARD = """
            name: Formats Logins
            appliesTo: account.tier == "Formats"
            priority: 91
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

    private static final Pattern ISO_TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T");

    /** A number with four or more decimals, as a double or a BigDecimal prints itself. */
    private static final Pattern RAW_FRACTION = Pattern.compile("(?<![\\w.])\\d+\\.\\d{4,}(?![\\w.])");

    /** A day in the short style of a locale, as a date printed without a format reads: {@code 2/11/25}. */
    private static final Pattern SHORT_DAY = Pattern.compile("(?<![\\w/])\\d{1,2}/\\d{1,2}/\\d{2}(?![\\w/])");

    /** A day as Steward writes it: {@code 6 Dec 2026}. */
    private static final Pattern DAY = Pattern.compile("\\b\\d{1,2} [A-Z][a-z]{2} \\d{4}\\b");

    @Autowired
    MockMvc mvc;

    @Autowired
    Clock clock;

    LocalDate today;

    @Test
    void pagesWriteDaysTimesAndNumbersOneWay() throws Exception {
        today = LocalDate.now(clock);

        yaml(post("/api/v1/scorecards/Formats Logins/versions").contentType("application/yaml"), SCORECARD)
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/scorecards/Formats Logins/versions/1/publish").with(csrf()))
                .andExpect(status().is2xxSuccessful());
        String renews = account("Formats Renews Co");
        String first = contract(renews, -400, -60, null);
        contract(renews, -60, 305, first);
        usage(renews, 5);
        String fades = account("Formats Fades Co");
        contract(fades, -400, -50, null);
        usage(fades, 1);
        String steady = account("Formats Steady Co");
        contract(steady, -400, 200, null);
        usage(steady, 3);
        // A second version: a draft to diff and preview.
        yaml(
                        post("/api/v1/scorecards/Formats Logins/versions").contentType("application/yaml"),
                        SCORECARD.replace("to: 150", "to: 120"))
                .andExpect(status().isCreated());

        // A Segment source with an event, an account import, a backtest run twice (to compare).
        String source = body(send(post("/api/v1/sources"), """
                        {"name": "formats-segment", "kind": "segment"}"""));
        assertThat(JsonPath.<String>read(source, "$.name")).isEqualTo("formats-segment");
        String first60 = backtest();
        String second60 = backtest();
        mvc.perform(post("/api/v1/data-quality/refresh").with(csrf())).andExpect(status().isOk());
        await("Formats Steady Co scored")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> mvc.perform(get("/api/v1/accounts/{id}/health", steady))
                                .andReturn()
                                .getResponse()
                                .getStatus()
                        == 200);

        List<String> pages = List.of(
                "/backtests",
                "/backtests/" + first60,
                "/backtests/" + first60 + "?horizon=60",
                "/backtests/compare?a=" + first60 + "&b=" + second60,
                "/backtests/churn",
                "/backtests/churn/analysis?from=" + today.minusDays(200),
                "/scorecards",
                "/scorecards/Formats Logins",
                "/scorecards/Formats Logins/versions/2/preview",
                "/scorecards/Formats Logins/diff?from=1&to=2",
                "/sources",
                "/sources/formats-segment",
                "/imports",
                "/data-quality",
                "/accounts/" + steady,
                "/accounts/" + fades);
        List<String> problems = new ArrayList<>();
        for (String page : pages) {
            String text = visibleText(body(get(page)));
            find(ISO_TIMESTAMP, text).forEach(found -> problems.add(page + ": ISO timestamp " + found));
            find(RAW_FRACTION, text).forEach(found -> problems.add(page + ": raw fraction " + found));
            find(SHORT_DAY, text).forEach(found -> problems.add(page + ": short-style day " + found));
        }
        assertThat(problems).isEmpty();
        // The as-of days of a run and its data horizon are written as days everywhere else are.
        assertThat(visibleText(body(get("/backtests/" + first60)))).containsPattern(DAY);
        assertThat(visibleText(body(get("/backtests")))).containsPattern(DAY);
    }

    /** The text a person reads: no tags, scripts or styles; attributes go with their tags. */
    private static String visibleText(String html) {
        return html.replaceAll("(?is)<script.*?</script>", " ")
                .replaceAll("(?is)<style.*?</style>", " ")
                .replaceAll("(?s)<[^>]*>", " ")
                .replaceAll("\\s+", " ");
    }

    /** Each match with some text around it, to say where. */
    private static List<String> find(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(
                    "…" + text.substring(Math.max(0, matcher.start() - 60), Math.min(text.length(), matcher.end() + 30))
                            + "…");
        }
        return found;
    }

    private String backtest() throws Exception {
        String id = JsonPath.read(body(send(post("/api/v1/backtests"), """
                                {"scorecards": [{"name": "Formats Logins", "version": 1}], "asOfDates": ["%s", "%s"],
                                 "horizons": [60], "segment": "Formats"}""".formatted(day(-120), day(-90)))), "$.id");
        await("backtest " + id + " done")
                .pollInSameThread()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> JsonPath.<String>read(body(get("/api/v1/backtests/" + id)), "$.status"), s -> {
                    assertThat(s).isNotEqualTo("failed");
                    return s.equals("done");
                });
        return id;
    }

    private LocalDate day(int offset) {
        return today.plusDays(offset);
    }

    private String account(String name) throws Exception {
        return JsonPath.read(body(send(post("/api/v1/accounts"), """
                                {"name": "%s", "tier": "Formats"}""".formatted(name))), "$.id");
    }

    private String contract(String account, int start, int end, String previous) throws Exception {
        return JsonPath.read(
                body(send(post("/api/v1/contracts"), """
                                {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 12345.67, "seats": 10%s}""".formatted(
                                account,
                                day(start),
                                day(end),
                                previous == null ? "" : ", \"previousContractId\": \"" + previous + "\""))),
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

    private String body(MockHttpServletRequestBuilder request) throws Exception {
        return body(mvc.perform(request));
    }

    private static String body(ResultActions actions) throws Exception {
        return actions.andExpect(status().is2xxSuccessful())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return yaml(request.contentType(MediaType.APPLICATION_JSON), json);
    }

    private ResultActions yaml(MockHttpServletRequestBuilder request, String body) throws Exception {
        return mvc.perform(request.with(csrf()).content(body));
    }
}
