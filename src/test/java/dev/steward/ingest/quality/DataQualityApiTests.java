package dev.steward.ingest.quality;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

@StewardTest
@WithMockUser(roles = "ADMIN")
@Import(DataQualityAccounts.class)
class DataQualityApiTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    DataQualityAccounts fixtures;

    @Autowired
    Sources sources;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @BeforeEach
    void loadOnce() throws Exception {
        if (sources.find("dq-api-crm").isEmpty()) {
            fixtures.load("dqapi");
            sources.create("dq-api-crm", Source.Kind.api, null, 24);
            sources.create("dq-api-billing", Source.Kind.api, null, 24);
            sources.received(sources.get("dq-api-billing"), 3, List.of());
            sources.create("dq-api-adhoc", Source.Kind.csv, null, null);
            Source crm = sources.get("dq-api-crm");
            // The CRM export last arrived three days ago though it is expected daily.
            Instant threeDaysAgo = clock.instant().minus(Duration.ofHours(72));
            jdbc.sql("insert into ingest_receipt_daily (source_id, day, accepted, rejected, last_received_at)"
                            + " values (?, ?, 40, 0, ?)")
                    .params(crm.id(), LocalDate.ofInstant(threeDaysAgo, ZoneOffset.UTC), Timestamp.from(threeDaysAgo))
                    .update();
            mvc.perform(post("/api/v1/data-quality/refresh").with(csrf())).andExpect(status().isOk());
        }
    }

    @Autowired
    dev.steward.customer.AccountManagement accountManagement;

    @Autowired
    dev.steward.usage.UsageRecorder usage;

    @Test
    void usageDatedInTheFutureDoesNotMakeAnAccountsUsageFresh() throws Exception {
        var account = accountManagement.create(new dev.steward.customer.AccountInput(
                null,
                "dqfuture Ahead",
                null,
                null,
                "SMB",
                null,
                null,
                null,
                null,
                null,
                null,
                java.util.Map.of(),
                java.util.Map.of()));
        java.time.LocalDate today = java.time.LocalDate.now(clock);
        usage.record(
                account.id(),
                List.of(
                        new dev.steward.usage.UsageInput(
                                null, null, today.minusDays(10), "logins", java.math.BigDecimal.ONE),
                        // A sender's clock a year ahead: the value is kept, but it says nothing about now.
                        new dev.steward.usage.UsageInput(
                                null, null, today.plusYears(1), "logins", java.math.BigDecimal.ONE)));
        mvc.perform(post("/api/v1/data-quality/refresh").with(csrf())).andExpect(status().isOk());
        mvc.perform(get("/api/v1/data-quality/accounts").param("q", "dqfuture"))
                .andExpect(jsonPath("$.items[0].kinds.usage.state", is("stale")))
                .andExpect(jsonPath("$.items[0].kinds.usage.latest", is(today.minusDays(10) + "T00:00:00Z")));
    }

    @Test
    void eachAccountHasACellPerKindWithItsStateAndLatestTime() throws Exception {
        mvc.perform(get("/api/v1/data-quality/accounts").param("q", "dqapi"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[*].name", is(List.of("dqapi Empty", "dqapi Fresh", "dqapi Stale"))))
                .andExpect(jsonPath("$.items[1].kinds.crm.state", is("fresh")))
                .andExpect(jsonPath("$.items[1].kinds.usage.state", is("fresh")))
                .andExpect(jsonPath("$.items[1].kinds.support.state", is("fresh")))
                .andExpect(jsonPath("$.items[1].kinds.billing.state", is("fresh")))
                .andExpect(jsonPath("$.items[1].kinds.engagement.state", is("fresh")))
                .andExpect(jsonPath("$.items[1].kinds.usage.latest", notNullValue()))
                .andExpect(jsonPath("$.items[2].kinds.crm.state", is("missing")))
                .andExpect(jsonPath("$.items[2].kinds.crm.latest").doesNotExist())
                .andExpect(jsonPath("$.items[2].kinds.usage.state", is("stale")))
                .andExpect(jsonPath("$.items[2].kinds.support.state", is("stale")))
                .andExpect(jsonPath("$.items[2].kinds.billing.state", is("stale")))
                .andExpect(jsonPath("$.items[2].kinds.engagement.state", is("missing")))
                .andExpect(jsonPath("$.items[0].kinds.usage.state", is("missing")));
    }

    @Test
    void filtersByKindAndState() throws Exception {
        mvc.perform(get("/api/v1/data-quality/accounts")
                        .param("q", "dqapi")
                        .param("kind", "usage")
                        .param("state", "missing"))
                .andExpect(jsonPath("$.items[*].name", is(List.of("dqapi Empty"))));
        mvc.perform(get("/api/v1/data-quality/accounts")
                        .param("q", "dqapi")
                        .param("kind", "support")
                        .param("state", "stale"))
                .andExpect(jsonPath("$.items[*].name", is(List.of("dqapi Stale"))));
        mvc.perform(get("/api/v1/data-quality/accounts").param("q", "dqapi").param("state", "missing"))
                .andExpect(jsonPath("$.items[*].name", containsInAnyOrder("dqapi Empty", "dqapi Stale")));
        mvc.perform(get("/api/v1/data-quality/accounts").param("kind", "tickets"))
                .andExpect(status().isBadRequest());
    }

    @Test
    void pagesByCursor() throws Exception {
        String first = mvc.perform(
                        get("/api/v1/data-quality/accounts").param("q", "dqapi").param("limit", "2"))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        mvc.perform(get("/api/v1/data-quality/accounts")
                        .param("q", "dqapi")
                        .param("limit", "2")
                        .param("cursor", (String) JsonPath.read(first, "$.next")))
                .andExpect(jsonPath("$.items[*].name", is(List.of("dqapi Stale"))))
                .andExpect(jsonPath("$.next").doesNotExist());
    }

    @Test
    void theSummaryCountsAccountsPerKindAndState() throws Exception {
        mvc.perform(get("/api/v1/data-quality/summary"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.asOf", notNullValue()))
                .andExpect(jsonPath("$.kinds.usage.staleAfterDays", is(3)))
                .andExpect(jsonPath("$.kinds.support.staleAfterDays", is(30)))
                .andExpect(jsonPath("$.kinds.usage.stale", org.hamcrest.Matchers.greaterThanOrEqualTo(1)))
                .andExpect(jsonPath("$.kinds.engagement.missing", org.hamcrest.Matchers.greaterThanOrEqualTo(2)));
    }

    @Test
    void aSourceSilentForLongerThanExpectedIsFlaggedQuiet() throws Exception {
        mvc.perform(get("/api/v1/data-quality/sources"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.name == 'dq-api-crm')].quiet", is(List.of(true))))
                .andExpect(jsonPath(
                        "$[?(@.name == 'dq-api-crm')].status", is(List.of("silent for 72 h, expected every 24 h"))))
                .andExpect(jsonPath("$[?(@.name == 'dq-api-billing')].quiet", is(List.of(false))))
                .andExpect(jsonPath("$[?(@.name == 'dq-api-billing')].acceptedLast7Days", is(List.of(3))))
                .andExpect(jsonPath("$[?(@.name == 'dq-api-adhoc')].quiet", is(List.of(false))))
                .andExpect(jsonPath(
                        "$[?(@.name == 'dq-api-adhoc')].status",
                        is(List.of("nothing received yet; no interval expected"))));
    }

    @Test
    void viewersReadTheReportButCannotRebuildIt() throws Exception {
        mvc.perform(get("/api/v1/data-quality/accounts").with(user("v").roles("VIEWER")))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/data-quality/refresh")
                        .with(user("v").roles("VIEWER"))
                        .with(csrf()))
                .andExpect(status().isForbidden());
    }
}
