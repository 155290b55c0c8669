package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.health.engine.Color;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The health of many accounts read at once (what a CRM write-back sends) is, account by account and field by field,
 * the health the account's own page reads: latest score up to today, override, trends, and nothing for an account
 * never scored.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
class CurrentHealthTests {

    private static final Logger log = LoggerFactory.getLogger(CurrentHealthTests.class);

    @Autowired
    MockMvc mvc;

    @Autowired
    HealthScoring scoring;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    dev.steward.customer.AccountManagement accounts;

    @Test
    void manyAccountsReadAtOnceReadAsEachDoesAlone() throws Exception {
        LocalDate today = scoring.today();
        UUID trending = customerWithAnEscalationTenDaysAgo("Set Read Trend Co", today);
        UUID overridden = customerWithAnEscalationTenDaysAgo("Set Read Override Co", today);
        UUID overriddenWithScore = customerWithAnEscalationTenDaysAgo("Set Read Score Override Co", today);
        UUID neverScored = customerWithAnEscalationTenDaysAgo("Set Read Unscored Co", today);
        scoring.backfill(List.of(today.minusDays(30), today.minusDays(7), today));
        UUID scoredDaysAgo = customerWithAnEscalationTenDaysAgo("Set Read Earlier Co", today);
        scoring.rescoreAll(today.minusDays(5));
        send(post("/api/v1/accounts/" + overridden + "/health/override"), """
                        {"color": "red", "reason": "Champion resigned", "expiresOn": "%s"}""".formatted(today.plusDays(14)))
                .andExpect(status().isCreated());
        send(post("/api/v1/accounts/" + overriddenWithScore + "/health/override"), """
                        {"color": "red", "score": 12.5, "reason": "Budget cut", "expiresOn": "%s"}""".formatted(today.plusDays(14)))
                .andExpect(status().isCreated());
        List<UUID> accounts = List.of(trending, overridden, overriddenWithScore, neverScored, scoredDaysAgo);

        // Writing facts and accounts re-scores them today within seconds. Until those re-scores are done, the account
        // scored only days ago and the one never scored lose whatever today's scores they got, before each read.
        await("set read equals each account's read")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    jdbc.sql("delete from health_score where account_id = ? and day > ?")
                            .params(scoredDaysAgo, today.minusDays(5))
                            .update();
                    jdbc.sql("delete from health_score where account_id = ?")
                            .param(neverScored)
                            .update();
                    Map<UUID, CurrentHealth> read = scoring.currentFor(accounts);
                    for (UUID account : accounts) {
                        AccountHealth alone = scoring.current(account).orElse(null);
                        if (alone == null) {
                            assertThat(read).as("%s", account).doesNotContainKey(account);
                            continue;
                        }
                        CurrentHealth many = read.get(account);
                        assertThat(many).as("%s", account).isNotNull();
                        assertThat(many.account()).isEqualTo(alone.account());
                        assertThat(many.day()).isEqualTo(alone.day());
                        assertThat(many.score()).isEqualTo(alone.score());
                        assertThat(many.color()).isEqualTo(alone.color());
                        assertThat(many.overridden()).isEqualTo(alone.overridden());
                        assertThat(many.computedScore()).isEqualTo(alone.computedScore());
                        assertThat(many.computedColor()).isEqualTo(alone.computedColor());
                        assertThat(many.trend()).isEqualTo(alone.trend());
                    }
                    assertThat(read).doesNotContainKey(neverScored);
                    assertThat(read.get(trending).trend()).containsKeys(7, 30);
                    assertThat(read.get(trending).overridden()).isFalse();
                    assertThat(read.get(overridden).color()).isEqualTo(Color.RED);
                    assertThat(read.get(overridden).overridden()).isTrue();
                    assertThat(read.get(overridden).score())
                            .isEqualTo(read.get(overridden).computedScore());
                    assertThat(read.get(overriddenWithScore).score()).isEqualTo(12.5);
                    assertThat(read.get(overriddenWithScore).color()).isEqualTo(Color.RED);
                    assertThat(read.get(scoredDaysAgo).day()).isEqualTo(today.minusDays(5));
                    assertThat(read.get(scoredDaysAgo).trend()).isEmpty();
                });
    }

    @Test
    void manyAccountsReadAtOnceAreTheAccountsReadOneByOne() {
        List<dev.steward.customer.AccountInput> many = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(new dev.steward.customer.AccountInput(
                    "timing-" + i,
                    "Timing Co " + i,
                    null,
                    null,
                    "SMB",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
        }
        accounts.upsert("timing", many, true);
        scoring.rescoreAll(scoring.today());
        List<UUID> scored =
                jdbc.sql("""
                        select distinct s.account_id from health_score s join account a on a.id = s.account_id
                         where s.day = ? limit 300""").param(scoring.today()).query(UUID.class).list();
        long started = System.nanoTime();
        Map<UUID, CurrentHealth> atOnce = scoring.currentFor(scored);
        long setMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        Map<UUID, AccountHealth> alone = new java.util.HashMap<>();
        for (UUID account : scored) {
            scoring.current(account).ifPresent(h -> alone.put(account, h));
        }
        long aloneMillis = (System.nanoTime() - started) / 1_000_000;
        log.info(
                "Current health of {} accounts: {} ms read at once, {} ms one account at a time",
                scored.size(),
                setMillis,
                aloneMillis);
        assertThat(scored).hasSizeGreaterThanOrEqualTo(300);
        assertThat(atOnce.keySet()).isEqualTo(alone.keySet());
        alone.forEach((account, h) -> {
            CurrentHealth read = atOnce.get(account);
            assertThat(read.day()).as("%s", account).isEqualTo(h.day());
            assertThat(read.score()).as("%s", account).isEqualTo(h.score());
            assertThat(read.color()).as("%s", account).isEqualTo(h.color());
            assertThat(read.trend()).as("%s", account).isEqualTo(h.trend());
        });
    }

    private UUID customerWithAnEscalationTenDaysAgo(String name, LocalDate today) throws Exception {
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
        StringJoiner usage = new StringJoiner(",", "{\"records\": [", "]}");
        for (int back = 0; back < 60; back++) {
            usage.add("{\"accountId\": \"%s\", \"metric\": \"logins\", \"day\": \"%s\", \"value\": %d}"
                    .formatted(account, today.minusDays(back), back < 20 ? 2 : 6));
        }
        send(post("/api/v1/usage/bulk"), usage.toString()).andExpect(status().isOk());
        send(post("/api/v1/accounts/" + account + "/tickets"), """
                        {"openedAt": "%sT10:00:00Z", "subject": "Export fails", "escalated": true}""".formatted(today.minusDays(10)))
                .andExpect(status().isCreated());
        return UUID.fromString(account);
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
