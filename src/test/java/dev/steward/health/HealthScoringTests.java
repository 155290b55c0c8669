package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Health scores through the API on a small hand-built account: what each measure read, as-of scoring that sees only
 * earlier facts, overrides with their timeline entries, and a score that follows a new ticket within seconds.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
class HealthScoringTests {

    private static final String LOGINS = "$.explanation.dimensions[0].measures[0].rawValue";
    private static final String UTILIZATION = "$.explanation.dimensions[0].measures[2].rawValue";
    private static final String TICKET_VOLUME = "$.explanation.dimensions[2].measures[0].rawValue";
    private static final String DAYS_TO_RENEWAL = "$.explanation.dimensions[3].measures[2].rawValue";

    @Autowired
    MockMvc mvc;

    @Autowired
    HealthScoring scoring;

    @Test
    void explainsWhatEachMeasureReadFromTheFacts() throws Exception {
        LocalDate today = scoring.today();
        String account = customerWithSixtyDaysOfUse("Explained Mid-Market Co", today);
        send(post("/api/v1/health/rescore"), "").andExpect(status().isOk());

        mvc.perform(get("/api/v1/accounts/" + account + "/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.scorecard", is("Mid-Market")))
                .andExpect(jsonPath("$.day", is(today.toString())))
                // 5 logins a day over the 30 days up to today.
                .andExpect(jsonPath(LOGINS, is(150.0)))
                // 4 active users on 10 seats.
                .andExpect(jsonPath(UTILIZATION, is(0.4)))
                .andExpect(jsonPath("$.explanation.dimensions[0].measures[2].why")
                        .value(org.hamcrest.Matchers.containsString("License utilization 0.4 scored 40")))
                // One ticket opened 10 days ago.
                .andExpect(jsonPath(TICKET_VOLUME, is(1.0)))
                .andExpect(jsonPath("$.explanation.dimensions[1].measures[2].rawValue", is(1.0)))
                .andExpect(jsonPath("$.overridden", is(false)))
                .andExpect(jsonPath("$.color").value(org.hamcrest.Matchers.oneOf("green", "yellow", "red", "black")));

        mvc.perform(get("/api/v1/accounts/" + account + "/health/history"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].day", is(today.toString())))
                .andExpect(jsonPath("$[0].scorecardVersion", is(1)));
    }

    @Test
    void scoresAsOfAPastDayFromTheFactsKnownThen() throws Exception {
        LocalDate today = scoring.today();
        String account = customerWithSixtyDaysOfUse("As Of Co", today);
        LocalDate then = today.minusDays(40);

        mvc.perform(get("/api/v1/accounts/" + account + "/health/as-of").param("date", then.toString()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.day", is(then.toString())))
                // Usage began 59 days ago: the 30 days up to 40 days ago hold 20 days of 5 logins.
                .andExpect(jsonPath(LOGINS, is(100.0)))
                // The ticket was opened 10 days ago, after that day.
                .andExpect(jsonPath(TICKET_VOLUME, is(0.0)));
        // Nothing was stored by scoring as of a past day.
        mvc.perform(get("/api/v1/accounts/" + account + "/health").param("date", then.toString()))
                .andExpect(status().isNotFound());

        mvc.perform(get("/api/v1/accounts/" + account + "/health/as-of")
                        .param("date", then.toString())
                        .param("scorecard", "Mid-Market"))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].field", is("version")));
    }

    @Test
    void overridesNeedAReasonShowTheComputedScoreAndReachTheTimeline() throws Exception {
        LocalDate today = scoring.today();
        String account = customerWithSixtyDaysOfUse("Override Co", today);
        scoring.rescoreAll(today);

        send(post("/api/v1/accounts/" + account + "/health/override"), """
                        {"color": "red", "reason": " ", "expiresOn": "%s"}""".formatted(today.plusDays(400)))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[*].field", hasItem("reason")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("expiresOn")));

        send(post("/api/v1/accounts/" + account + "/health/override"), """
                        {"color": "red", "reason": "Champion resigned on today's call", "expiresOn": "%s"}""".formatted(today.plusDays(14)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.color", is("red")));

        String health = mvc.perform(get("/api/v1/accounts/" + account + "/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.overridden", is(true)))
                .andExpect(jsonPath("$.color", is("red")))
                .andExpect(jsonPath("$.override.reason", is("Champion resigned on today's call")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat((Double) JsonPath.read(health, "$.computedScore")).isBetween(0.0, 100.0);

        awaitTimeline(account, "Health overridden to red");

        mvc.perform(delete("/api/v1/accounts/" + account + "/health/override").with(csrf()))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/accounts/" + account + "/health")).andExpect(jsonPath("$.overridden", is(false)));
        awaitTimeline(account, "Health override of red ended");
    }

    @Test
    void expiredOverridesStopApplyingOnTheirOwn() throws Exception {
        LocalDate today = scoring.today();
        String account = customerWithSixtyDaysOfUse("Expiry Co", today);
        scoring.rescoreAll(today);
        send(post("/api/v1/accounts/" + account + "/health/override"), """
                        {"color": "green", "reason": "Renewal signed verbally", "expiresOn": "%s"}""".formatted(today.plusDays(2)))
                .andExpect(status().isCreated());

        // Two days on, the daily job closes it: it no longer applies and the timeline says so.
        assertThat(scoring.expireOverrides(today.plusDays(2))).isEqualTo(1);
        mvc.perform(get("/api/v1/accounts/" + account + "/health/overrides"))
                .andExpect(jsonPath("$[0].endedBy", is("expired")));
        mvc.perform(get("/api/v1/accounts/" + account + "/health")).andExpect(jsonPath("$.overridden", is(false)));
        awaitTimeline(account, "Health override of green ended");
    }

    @Test
    void aNewTicketReachesTheScoreWithinFiveSeconds() throws Exception {
        LocalDate today = scoring.today();
        String account = customerWithSixtyDaysOfUse("Fresh Co", today);
        scoring.rescoreAll(today);

        long sent = System.nanoTime();
        send(post("/api/v1/accounts/" + account + "/tickets"), """
                        {"openedAt": "%sT08:00:00Z", "subject": "Sync stuck", "escalated": true}""".formatted(today))
                .andExpect(status().isCreated());
        awaitWithinFiveSeconds(
                sent, "ticket volume once the ticket was recorded", () -> read(account, TICKET_VOLUME), 2.0);
    }

    @Test
    void aNewContractReachesTheScoreWithinFiveSeconds() throws Exception {
        LocalDate today = scoring.today();
        String account = customerWithSixtyDaysOfUse("Renewing Co", today);
        scoring.rescoreAll(today);
        assertThat(daysToRenewal(account)).isEqualTo(165.0);

        long sent = System.nanoTime();
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 3000, "seats": 2}""".formatted(account, today.minusDays(30), today.plusDays(20)))
                .andExpect(status().isCreated());
        awaitWithinFiveSeconds(
                sent,
                "days to renewal once an add-on contract ending sooner was recorded",
                () -> daysToRenewal(account),
                20.0);
    }

    /** Waits for {@code read} to give {@code expected}, at most five seconds after {@code since} (nano time). */
    private void awaitWithinFiveSeconds(long since, String what, Callable<Double> read, double expected) {
        Duration left = Duration.ofSeconds(5).minusNanos(System.nanoTime() - since);
        await(what)
                .atMost(left.isNegative() ? Duration.ZERO : left)
                .pollInterval(Duration.ofMillis(100))
                // The signed-in test user belongs to this thread.
                .pollInSameThread()
                .until(read, value -> value == expected);
    }

    private double read(String account, String path) throws Exception {
        String health = mvc.perform(get("/api/v1/accounts/" + account + "/health"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        return ((Number) JsonPath.read(health, path)).doubleValue();
    }

    private double daysToRenewal(String account) throws Exception {
        return read(account, DAYS_TO_RENEWAL);
    }

    @Test
    void whatChangedListsTheMeasuresThatMovedLargestFirst() throws Exception {
        LocalDate today = scoring.today();
        String account = customerWithSixtyDaysOfUse("Turning Co", today);
        scoring.rescoreAll(today.minusDays(1));
        // Escalations pile up and customers rate support 1 of 5: the support dimension collapses.
        StringJoiner tickets = new StringJoiner(",", "{\"records\": [", "]}");
        for (int i = 0; i < 25; i++) {
            tickets.add("""
                    {"externalId": "T-%d", "accountId": "%s", "openedAt": "%sT09:00:00Z", "subject": "Outage",
                     "escalated": true, "resolvedAt": "%sT09:00:00Z", "csat": 1}""".formatted(i, account, today.minusDays(2), today));
        }
        send(post("/api/v1/tickets/bulk"), tickets.toString()).andExpect(status().isOk());
        scoring.rescoreAll(today);

        String changes = mvc.perform(get("/api/v1/accounts/" + account + "/health/changes")
                        .param("from", today.minusDays(1).toString())
                        .param("to", today.toString()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.measures[*].measure", hasItem("Escalations")))
                .andExpect(jsonPath("$.measures[*].measure", hasItem("CSAT")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        double before = ((Number) JsonPath.read(changes, "$.scoreBefore")).doubleValue();
        double after = ((Number) JsonPath.read(changes, "$.scoreAfter")).doubleValue();
        assertThat(after).isLessThan(before);
        List<Number> moves = JsonPath.read(changes, "$.measures[*].contributionChange");
        assertThat(Math.abs(moves.get(0).doubleValue()))
                .isGreaterThanOrEqualTo(Math.abs(moves.get(moves.size() - 1).doubleValue()));
        mvc.perform(get("/api/v1/accounts/" + account + "/health/changes")
                        .param("from", today.minusDays(5).toString())
                        .param("to", today.toString()))
                .andExpect(status().isNotFound());
    }

    private void awaitTimeline(String account, String title) {
        await("timeline entry '" + title + "'")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .pollInSameThread()
                .until(
                        () -> JsonPath.<List<String>>read(
                                mvc.perform(get("/api/v1/accounts/" + account + "/timeline")
                                                .param("kinds", "health_event"))
                                        .andReturn()
                                        .getResponse()
                                        .getContentAsString(),
                                "$.items[*].title"),
                        titles -> titles.contains(title));
    }

    /**
     * A Mid-Market customer on a 10-seat contract with a champion, 5 logins and 4 active users every day for the last
     * 60 days (today included), and one escalated ticket opened 10 days ago.
     */
    private String customerWithSixtyDaysOfUse(String name, LocalDate today) throws Exception {
        String account = JsonPath.read(
                send(post("/api/v1/accounts"), """
                                {"name": "%s", "tier": "Mid-Market"}""".formatted(name))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 12000, "seats": 10}""".formatted(account, today.minusDays(200), today.plusDays(165)))
                .andExpect(status().isCreated());
        send(post("/api/v1/contacts"), """
                        {"accountId": "%s", "name": "Dana Champion", "role": "champion", "joinedAt": "%s"}""".formatted(account, today.minusDays(300)))
                .andExpect(status().isCreated());
        StringJoiner usage = new StringJoiner(",", "{\"records\": [", "]}");
        for (int back = 0; back < 60; back++) {
            LocalDate day = today.minusDays(back);
            usage.add("{\"accountId\": \"%s\", \"metric\": \"logins\", \"day\": \"%s\", \"value\": 5}"
                    .formatted(account, day));
            usage.add("{\"accountId\": \"%s\", \"metric\": \"active_users\", \"day\": \"%s\", \"value\": 4}"
                    .formatted(account, day));
        }
        send(post("/api/v1/usage/bulk"), usage.toString()).andExpect(status().isOk());
        send(post("/api/v1/accounts/" + account + "/tickets"), """
                        {"openedAt": "%sT10:00:00Z", "subject": "Export fails", "escalated": true}""".formatted(today.minusDays(10)))
                .andExpect(status().isCreated());
        return account;
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor csrf() {
        return org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf();
    }
}
