package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.StringJoiner;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A backtest split by lifecycle segments: a hand-built history of four accounts in two segments, whose membership on
 * the as-of days differs from today's, gives each segment exactly the figures of the observations its members made on
 * the days they were members.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
class BacktestSplitTests {

    private static final String SCORECARD = """
            name: Split Logins
            appliesTo: account.tier == "Splittest"
            priority: 9201
            thresholds: { red: 40, yellow: 70 }
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
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    LocalDate today;

    /**
     * As-of days 120 and 90 days ago, horizon 60. A1 (Red, 1 login a day) churns 100 days ago; A2 (Green) stays; B1
     * (Green, 5 logins a day) churns 70 days ago; B2 (Red) stays. Segment A: A1 until 110 days ago (not today), A2
     * throughout, B2 only from 10 days ago (today, on no as-of day). Segment B: B1 throughout, B2 from 100 days ago.
     */
    @Test
    void eachSegmentCountsTheObservationsOfItsMembersOnThoseDays() throws Exception {
        today = LocalDate.now(clock);
        send(post("/api/v1/scorecards/Split Logins/versions"), "application/yaml", SCORECARD)
                .andExpect(status().isCreated());
        UUID a = segment("Split A");
        UUID b = segment("Split B");
        String a1 = account("Split A1", -100, 1);
        String a2 = account("Split A2", 200, 5);
        String b1 = account("Split B1", -70, 5);
        String b2 = account("Split B2", 200, 1);
        stay(a, a1, -200, -110);
        stay(a, a2, -200, null);
        stay(a, b2, -10, null);
        stay(b, b1, -200, null);
        stay(b, b2, -100, null);

        String request = """
                {"name": "Split by segment", "scorecards": [{"name": "Split Logins", "version": 1}],
                 "asOfDates": ["%s", "%s"], "horizons": [60], "segment": "Splittest", "splitBy": %s}""";
        send(post("/api/v1/backtests"), "application/json", request.formatted(day(-120), day(-90), "[\"Split C\"]"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("splitBy")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("no published segment is named 'Split C'")));

        String id = start(request.formatted(day(-120), day(-90), "[\"Split B\", \"Split A\"]"));
        awaitDone(id);
        String h = "$.results.horizons[0].";
        mvc.perform(get("/api/v1/backtests/" + id))
                .andExpect(jsonPath(h + "overall.observations", is(7)))
                .andExpect(jsonPath(h + "overall.churned", is(3)))
                // In the order asked. B: B1 on both days (Green, churned), B2 on the second only (Red, stayed).
                .andExpect(jsonPath(h + "splits[0].segment", is("Split B")))
                .andExpect(jsonPath(h + "splits[0].metrics.observations", is(3)))
                .andExpect(jsonPath(h + "splits[0].metrics.churned", is(2)))
                .andExpect(jsonPath(h + "splits[0].metrics.rocAuc", closeTo(0.0, 1e-9)))
                .andExpect(jsonPath(h + "splits[0].metrics.redRecall", closeTo(0.0, 1e-9)))
                .andExpect(jsonPath(h + "splits[0].metrics.redPrecision", closeTo(0.0, 1e-9)))
                // A: A1 on the first day (Red, churned), A2 on both (Green, stayed); B2 only joined it lately.
                .andExpect(jsonPath(h + "splits[1].segment", is("Split A")))
                .andExpect(jsonPath(h + "splits[1].metrics.observations", is(3)))
                .andExpect(jsonPath(h + "splits[1].metrics.churned", is(1)))
                .andExpect(jsonPath(h + "splits[1].metrics.rocAuc", closeTo(1.0, 1e-9)))
                .andExpect(jsonPath(h + "splits[1].metrics.redRecall", closeTo(1.0, 1e-9)))
                .andExpect(jsonPath(h + "splits[1].metrics.redPrecision", closeTo(1.0, 1e-9)))
                .andExpect(jsonPath(h + "splits[1].metrics.verdict.conclusive", is(false)))
                .andExpect(jsonPath(
                        h + "splits[1].metrics.verdict.reasons[0]",
                        is("only 3 observations (at least 30 are needed)")));
        mvc.perform(get("/backtests/" + id).param("horizon", "60"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("By lifecycle segment")))
                .andExpect(content().string(containsString("data-segment=\"Split A\"")))
                .andExpect(content().string(containsString("inconclusive: only 3 observations")));
        // The exports say the same: a CSV row per segment, a table in the PDF.
        String csv = mvc.perform(get("/api/v1/backtests/" + id + "/figures.csv"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(csv.lines())
                .anyMatch(line -> line.startsWith("60,lifecycle segment: Split B,3,2,"))
                .anyMatch(line -> line.startsWith("60,lifecycle segment: Split A,3,1,"));
        byte[] pdf = mvc.perform(get("/api/v1/backtests/" + id + "/report.pdf"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        StringBuilder text = new StringBuilder();
        com.lowagie.text.pdf.PdfReader reader = new com.lowagie.text.pdf.PdfReader(pdf);
        try {
            com.lowagie.text.pdf.parser.PdfTextExtractor extractor =
                    new com.lowagie.text.pdf.parser.PdfTextExtractor(reader);
            for (int page = 1; page <= reader.getNumberOfPages(); page++) {
                text.append(extractor.getTextFromPage(page)).append('\n');
            }
        } finally {
            reader.close();
        }
        assertThat(text.toString()).contains("By lifecycle segment", "Split B", "Split A");

        String none = start(request.formatted(day(-120), day(-90), "[]"));
        awaitDone(none);
        mvc.perform(get("/api/v1/backtests/" + none)).andExpect(jsonPath(h + "splits", empty()));
        assertThat(mvc.perform(get("/backtests")).andReturn().getResponse().getContentAsString())
                .contains("Split by lifecycle segment")
                .contains("Split A (static)");
    }

    private UUID segment(String name) throws Exception {
        send(post("/api/v1/segments/{name}/versions", name), "application/yaml", "name: " + name + "\ntype: static\n")
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/segments/{name}/versions/1/publish", name).with(csrf()))
                .andExpect(status().isOk());
        return jdbc.sql("select id from account_segment where name = ?")
                .param(name)
                .query(UUID.class)
                .single();
    }

    private void stay(UUID segment, String account, int entered, Integer left) {
        jdbc.sql("insert into account_segment_membership (segment_id, account_id, entered_at, left_at)"
                        + " values (?, ?, ?, ?)")
                .params(segment, UUID.fromString(account), at(entered), left == null ? null : at(left))
                .update();
    }

    private Timestamp at(int offset) {
        return Timestamp.from(
                day(offset).atTime(LocalTime.of(9, 0)).atZone(clock.getZone()).toInstant());
    }

    private LocalDate day(int offset) {
        return today.plusDays(offset);
    }

    /** An account of the test's tier with one contract from 400 days ago to the day given, and daily logins. */
    private String account(String name, int contractEnds, int loginsPerDay) throws Exception {
        String id = JsonPath.read(
                send(post("/api/v1/accounts"), "application/json", """
                                {"name": "%s", "tier": "Splittest"}""".formatted(name))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        send(post("/api/v1/contracts"), "application/json", """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 12000, "seats": 10}""".formatted(id, day(-400), day(contractEnds)))
                .andExpect(status().isCreated());
        StringJoiner usage = new StringJoiner(",", "{\"records\": [", "]}");
        for (int back = 0; back < 200; back++) {
            usage.add("{\"accountId\": \"%s\", \"metric\": \"logins\", \"day\": \"%s\", \"value\": %d}"
                    .formatted(id, today.minusDays(back), loginsPerDay));
        }
        send(post("/api/v1/usage/bulk"), "application/json", usage.toString()).andExpect(status().isOk());
        return id;
    }

    private String start(String body) throws Exception {
        return JsonPath.read(
                send(post("/api/v1/backtests"), "application/json", body)
                        .andExpect(status().isAccepted())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
    }

    private void awaitDone(String id) {
        Awaitility.await("backtest " + id + " done")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
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

    private ResultActions send(MockHttpServletRequestBuilder request, String type, String body) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.parseMediaType(type)).content(body));
    }
}
