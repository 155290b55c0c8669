package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.SentimentInput;
import dev.steward.core.Browsers;
import dev.steward.core.MovableClock;
import dev.steward.core.StewardTest;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import dev.steward.customer.ContractStatus;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScorecardManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.identity.UserManagement;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alert rules end to end on accounts scored by a real scorecard (a CSM's sentiment: 1 is Red, 5 is Green): an account
 * rule and a figure rule each fire once per crossing, not again while the condition goes on holding across
 * re-scores, and again only after a recovery and a new crossing; a new rule reports what already holds once; firings
 * land in the owner's in-app list, as email at once or in the digest as the rule says, and as a webhook event with a
 * Slack-compatible text; a bad rule is refused naming field, line, column and reason. On a database of its own: it
 * publishes a scorecard and registers a webhook endpoint.
 */
@StewardTest
@TestPropertySource(properties = "steward.test.alerts=own-database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertTests {

    private static final String SCORECARD = """
            name: Alerting
            appliesTo: account.industry == "Alerting"
            priority: 1
            thresholds: { red: 40, yellow: 70 }
            minimumCoverage: 0
            dimensions:
              - name: Engagement
                weight: 100
                measures:
                  - name: CSM sentiment
                    metric: sentiment.csm
                    aggregate: latest
                    window: 90d
                    weight: 100
                    score: { linear: { from: 1, to: 5 } }
            """;

    @Autowired
    MockMvc mvc;

    @Autowired
    UserManagement userManagement;

    @Autowired
    UserDirectory users;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContractManagement contracts;

    @Autowired
    ActivityRecorder activity;

    @Autowired
    ScorecardManagement scorecards;

    @Autowired
    HealthScoring health;

    @Autowired
    AlertEvaluation evaluation;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    /** Stands still, like the other tests' clock, but each re-score moves it on a minute, to order the history. */
    static final MovableClock CLOCK = new MovableClock();

    @TestBean(name = "fixedClock", methodName = "movableClock")
    Clock clock;

    static Clock movableClock() {
        return CLOCK;
    }

    @Autowired
    PlatformTransactionManager transactionManager;

    User cara;
    User dan;
    LocalDate today;

    @BeforeAll
    void scoredAccounts() {
        today = LocalDate.now(clock);
        User admin = users.findByEmail(Browsers.ADMIN_EMAIL).orElseThrow();
        cara = userManagement.createIfAbsent("cara.alerts@example.com", "Cara Alerts", Role.CSM);
        dan = userManagement.createIfAbsent("dan.alerts@example.com", "Dan Alerts", Role.CSM);
        userManagement.createIfAbsent("vera.alerts@example.com", "Vera Alerts", Role.VIEWER);
        scorecards.publish(
                "Alerting",
                scorecards.saveDraft("Alerting", SCORECARD, admin).version().version(),
                admin);
        // Every event goes to an endpoint, as a Slack incoming webhook would receive it.
        jdbc.sql("""
                        insert into notify_webhook (id, url, secret, kinds, description, enabled, created_at, updated_at)
                        values (?, 'http://127.0.0.1:9/slack', 'whsec_test_secret_for_alerts', '{alert.*}', 'Slack',
                                true, ?, ?)""")
                .params(UUID.randomUUID(), Timestamp.from(clock.instant()), Timestamp.from(clock.instant()))
                .update();
    }

    @Test
    void anAccountRuleFiresOncePerCrossingAndAgainOnlyAfterARecovery() throws Exception {
        UUID alpha = account("Alpha Alerts", cara, "AccountTier", 100_000);
        UUID beta = account("Beta Alerts", dan, "AccountTier", 100_000);
        score(Map.of(alpha, 5, beta, 1));
        UUID rule = create("cara.alerts@example.com", """
                {"name": "My book turns Red", "kind": "account",
                 "condition": "account.tier == \\"AccountTier\\" && health.color == \\"red\\"",
                 "scope": "book", "channels": ["in_app", "webhook"], "webhookTopic": "book_red"}""");
        tookStock(rule);
        // Beta is Red but Dan's: not in Cara's book. Nothing matched at the start.
        assertThat(events(rule)).containsExactly("initial: No account matched when the rule started");
        assertThat(notifications(cara, rule)).isEmpty();

        // Alpha turns Red: the re-score's event has the alerts job evaluate it.
        score(Map.of(alpha, 1));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> notifications(cara, rule).size() == 1);
        assertThat(notifications(cara, rule)).containsExactly("Alert \"My book turns Red\": Alpha Alerts");
        assertThat(jdbc.sql("select body from notify_notification where recipient_id = ? and kind = 'alert.fired'")
                        .param(cara.id())
                        .query(String.class)
                        .single())
                .contains("- Alpha Alerts: health red 0, ARR 100,000, renews ");
        assertThat(webhookTexts("alert.book_red")).hasSize(1).allMatch(text -> text.contains("Alpha Alerts"));

        // Scored again, still Red: nothing more.
        score(Map.of(alpha, 1, beta, 1));
        evaluateNow(alpha, beta);
        assertThat(notifications(cara, rule)).hasSize(1);
        assertThat(events(rule)).filteredOn(e -> e.startsWith("crossed")).hasSize(1);

        // Alpha recovers (recorded, not delivered), then turns Red again: it fires again.
        score(Map.of(alpha, 5));
        evaluateNow(alpha);
        assertThat(events(rule).get(0)).startsWith("recovered: Alpha Alerts: no longer matches");
        assertThat(notifications(cara, rule)).hasSize(1);
        score(Map.of(alpha, 1));
        evaluateNow(alpha);
        assertThat(notifications(cara, rule)).hasSize(2);
        assertThat(events(rule))
                .extracting(e -> e.substring(0, e.indexOf(':')))
                .containsExactly("crossed", "recovered", "crossed", "initial");
        assertThat(webhookTexts("alert.book_red")).hasSize(2);

        mvc.perform(get("/api/v1/insight/alerts/" + rule + "/firings?limit=2").with(user("cara.alerts@example.com")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(2))
                .andExpect(jsonPath("$.items[0].event").value("crossed"))
                .andExpect(jsonPath("$.items[0].accountId").value(alpha.toString()))
                .andExpect(jsonPath("$.next").isNotEmpty());
        // Someone else's rule does not exist for a CSM; an administrator sees it.
        mvc.perform(get("/api/v1/insight/alerts/" + rule).with(user("dan.alerts@example.com")))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/insight/alerts")
                        .with(user(Browsers.ADMIN_EMAIL).roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].id", hasItem(rule.toString())));
    }

    @Test
    void aNewRuleReportsWhatAlreadyMatchesOnceAsItsInitialState() throws Exception {
        UUID gamma = account("Gamma Alerts", dan, "InitialTier", 50_000);
        UUID delta = account("Delta Alerts", dan, "InitialTier", 70_000);
        score(Map.of(gamma, 1, delta, 1));
        UUID rule = create("dan.alerts@example.com", """
                {"name": "Red in InitialTier", "kind": "account", "scope": "all",
                 "condition": "account.tier == \\"InitialTier\\" && health.color == \\"red\\"",
                 "channels": ["email"], "delivery": "digest"}""");
        tookStock(rule);
        List<String> sent = notifications(dan, rule);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).startsWith("Alert \"Red in InitialTier\" already holds for 2 accounts");
        assertThat(events(rule)).hasSize(2).allMatch(e -> e.startsWith("initial: "));
        // Email was chosen with the digest: the notification waits for Dan's daily digest, not sent at once.
        assertThat(deliveryChannels(dan, rule)).containsExactly("digest");

        score(Map.of(gamma, 1, delta, 1));
        evaluateNow(gamma, delta);
        assertThat(notifications(dan, rule)).hasSize(1);

        // A changed condition starts over: what holds is reported again, once.
        CLOCK.advance(Duration.ofMinutes(1));
        mvc.perform(put("/api/v1/insight/alerts/" + rule)
                        .with(user("dan.alerts@example.com"))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "Red in InitialTier, large", "kind": "account", "scope": "all",
                                 "condition": "account.tier == \\"InitialTier\\" && health.color == \\"red\\" && account.arr > 60000.0",
                                 "channels": ["email"], "delivery": "immediate"}"""))
                .andExpect(status().isOk());
        tookStock(rule);
        assertThat(notifications(dan, rule)).hasSize(2);
        assertThat(notifications(dan, rule).get(0))
                .startsWith("Alert \"Red in InitialTier, large\" already holds for Delta Alerts");
        assertThat(deliveryChannels(dan, rule)).containsExactlyInAnyOrder("digest", "email");
    }

    @Test
    void aFigureRuleFiresOncePerCrossingAndAgainOnlyAfterARecovery() throws Exception {
        UUID epsilon = account("Epsilon Alerts", cara, "FigureTier", 100_000);
        UUID zeta = account("Zeta Alerts", dan, "FigureTier", 100_000);
        score(Map.of(epsilon, 5, zeta, 1));
        UUID rule = create("vera.alerts@example.com", """
                {"name": "ARR at risk in FigureTier above 150k", "kind": "figure", "figure": "arr_at_risk",
                 "tier": "FigureTier", "operator": "above", "threshold": 150000,
                 "channels": ["in_app", "webhook"]}""");
        tookStock(rule);
        User vera = users.findByEmail("vera.alerts@example.com").orElseThrow();
        assertThat(events(rule))
                .containsExactly("initial: ARR at risk (Red + Yellow) (tier FigureTier) is 100,000, not above 150,000");
        assertThat(notifications(vera, rule)).isEmpty();

        score(Map.of(epsilon, 1));
        evaluation.evaluateFigures();
        assertThat(notifications(vera, rule))
                .containsExactly("Alert \"ARR at risk in FigureTier above 150k\": ARR at risk (Red + Yellow) (tier"
                        + " FigureTier) went above 150,000 (200,000)");
        assertThat(webhookTexts("alert.fired")).anyMatch(text -> text.contains("went above 150,000 (200,000)"));

        // Read again, still above: nothing more.
        evaluation.evaluateFigures();
        score(Map.of(epsilon, 1, zeta, 1));
        evaluation.evaluateFigures();
        assertThat(notifications(vera, rule)).hasSize(1);

        score(Map.of(epsilon, 5));
        evaluation.evaluateFigures();
        assertThat(events(rule).get(0)).startsWith("recovered: ").contains("back within 150,000");
        assertThat(notifications(vera, rule)).hasSize(1);
        score(Map.of(epsilon, 1));
        evaluation.evaluateFigures();
        assertThat(notifications(vera, rule)).hasSize(2);
        mvc.perform(get("/api/v1/insight/alerts/" + rule).with(user("vera.alerts@example.com")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.holding").value(true))
                .andExpect(jsonPath("$.lastValue").value(200000));
    }

    @Test
    void aBadRuleIsRefusedNamingFieldLineColumnAndReason() throws Exception {
        mvc.perform(post("/api/v1/insight/alerts")
                        .with(user("cara.alerts@example.com"))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "Typo", "kind": "account",
                                 "condition": "account.tier == \\"Enterprise\\" &&\\n  health.colour == \\"red\\"",
                                 "channels": ["in_app", "pager"]}"""))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.title").value("Invalid alert rule"))
                .andExpect(jsonPath("$.problems[0].field").value("condition"))
                .andExpect(jsonPath("$.problems[0].line").value(2))
                .andExpect(jsonPath("$.problems[0].column").value(10))
                .andExpect(jsonPath("$.problems[0].reason").value(containsString("did you mean 'health.color'")))
                .andExpect(jsonPath("$.problems[1].field").value("channels[1]"))
                .andExpect(jsonPath("$.problems[1].reason").value("'pager' is not one of in_app, email, webhook"))
                .andExpect(jsonPath("$.errors[0].field").value("condition"));
        mvc.perform(post("/api/v1/insight/alerts/validate")
                        .with(user("cara.alerts@example.com"))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "NRR of one CSM", "kind": "figure", "figure": "nrr_ttm",
                                 "owner": "%s", "operator": "below", "threshold": 95}""".formatted(cara.id())))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(false))
                .andExpect(jsonPath("$.problems[0].field").value("owner"))
                .andExpect(jsonPath("$.problems[0].reason")
                        .value("nrr_ttm is measured per tier, not per CSM; leave owner out"))
                .andExpect(jsonPath("$.problems[1].field").value("threshold"))
                .andExpect(jsonPath("$.problems[1].reason").value(containsString("write 90 % as 0.9")));
        assertThat(jdbc.sql("select count(*) from insight_alert_rule where name in ('Typo', 'NRR of one CSM')")
                        .query(Long.class)
                        .single())
                .isZero();
        // A valid figure rule answers what its figure reads now.
        mvc.perform(post("/api/v1/insight/alerts/validate")
                        .with(user("cara.alerts@example.com"))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "Red customers", "kind": "figure", "figure": "red_accounts",
                                 "operator": "above", "threshold": 100}"""))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(true))
                .andExpect(jsonPath("$.currentValue").isNotEmpty());
    }

    @Test
    void aViewerKeepsAlertRulesOfTheirOwnAndNobodyElseChangesThem() throws Exception {
        UUID rule = create("vera.alerts@example.com", """
                {"name": "Enterprise red count", "kind": "figure", "figure": "red_accounts",
                 "operator": "above", "threshold": 10}""");
        mvc.perform(delete("/api/v1/insight/alerts/" + rule)
                        .with(user("cara.alerts@example.com"))
                        .with(csrf()))
                .andExpect(status().isNotFound());
        mvc.perform(delete("/api/v1/insight/alerts/" + rule)
                        .with(user("vera.alerts@example.com").roles("VIEWER"))
                        .with(csrf()))
                .andExpect(status().isNoContent());
        assertThat(jdbc.sql("select count(*) from insight_alert_rule where id = ?")
                        .param(rule)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void thePageChecksAConditionAsItIsTypedCreatesTheRuleAndShowsItsHistory() throws Exception {
        mvc.perform(get("/insight/alerts/new?figure=red_accounts").with(user("cara.alerts@example.com")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("<option value=\"red_accounts\" selected=\"selected\">")));
        mvc.perform(post("/insight/alerts/validate")
                        .with(user("cara.alerts@example.com"))
                        .with(csrf())
                        .param("name", "Renewing and Red")
                        .param("kind", "account")
                        .param("condition", "account.daysToRenewl <= 30")
                        .param("channels", "in_app"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-field=\"condition\"")))
                .andExpect(
                        content()
                                .string(
                                        containsString(
                                                "line 1, column 9: unknown field &#39;daysToRenewl&#39;; did you mean &#39;account.daysToRenewal&#39;?")));
        String location = mvc.perform(post("/insight/alerts")
                        .with(user("cara.alerts@example.com"))
                        .with(csrf())
                        .param("name", "Renewing and Red")
                        .param("kind", "account")
                        .param("condition", "account.daysToRenewal <= 30 && health.color == \"red\"")
                        .param("scope", "book")
                        .param("channels", "in_app", "email")
                        .param("delivery", "immediate")
                        .param("enabled", "on"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        UUID rule = UUID.fromString(location.substring("/insight/alerts/".length()));
        tookStock(rule);
        mvc.perform(get(location).with(user("cara.alerts@example.com")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("No account matched when the rule started")));
        mvc.perform(get("/insight/alerts").with(user("cara.alerts@example.com")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-rule=\"" + rule + "\"")))
                .andExpect(content().string(containsString("holds for 0 accounts")));
        mvc.perform(get("/insight/executive").with(user("cara.alerts@example.com")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("/insight/alerts/new?figure=arr_at_risk")));
    }

    private UUID create(String email, String body) throws Exception {
        String answer = mvc.perform(post("/api/v1/insight/alerts")
                        .with(user(email).roles(email.startsWith("vera") ? "VIEWER" : "CSM"))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        return UUID.fromString(json.readTree(answer).get("id").asString());
    }

    /** Waits for the rule's first evaluation, which a job runs after the rule was saved. */
    private void tookStock(UUID rule) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("select baseline_at is not null from insight_alert_rule where id = ?")
                        .param(rule)
                        .query(Boolean.class)
                        .single());
    }

    /** Evaluates the account rules for these accounts now, as the alerts job does after their re-score. */
    private void evaluateNow(UUID... ids) {
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> evaluation.evaluate(Set.of(ids)));
    }

    private UUID account(String name, User owner, String tier, long arr) {
        UUID id = accounts.create(new AccountInput(
                        null, name, null, null, tier, "Alerting", null, 20, owner.id(), null, null, null, null))
                .id()
                .value();
        contracts.create(new ContractInput(
                null,
                id,
                null,
                today.minusYears(1),
                today.plusDays(200),
                BigDecimal.valueOf(arr),
                10,
                "Pro",
                ContractStatus.ACTIVE,
                false,
                null,
                null));
        return id;
    }

    /** Records each account's CSM sentiment (1 scores Red, 5 Green) a minute from the last, and re-scores them today. */
    private void score(Map<UUID, Integer> sentiment) {
        CLOCK.advance(Duration.ofMinutes(1));
        Instant at = clock.instant().minusSeconds(1);
        sentiment.forEach((account, score) -> activity.recordSentiment(
                new AccountId(account), new SentimentInput(null, account, null, null, at, score, "as seen")));
        health.rescore(sentiment.keySet(), today);
        sentiment.forEach((account, score) -> assertThat(
                        accounts.get(new AccountId(account)).health().color())
                .isEqualTo(score == 1 ? "red" : "green"));
    }

    /** The subjects of the rule's notifications to a person, newest first. */
    private List<String> notifications(User recipient, UUID rule) {
        return jdbc.sql("""
                        select n.subject from notify_notification n
                         where n.recipient_id = ? and n.kind = 'alert.fired'
                           and n.key in (select 'alert:' || f.id from insight_alert_firing f where f.rule_id = ?)
                         order by n.created_at desc, n.subject""").params(recipient.id(), rule).query(String.class).list();
    }

    private List<String> deliveryChannels(User recipient, UUID rule) {
        return jdbc.sql("""
                        select d.channel from notify_delivery d join notify_notification n on n.id = d.notification_id
                         where n.recipient_id = ?
                           and n.key in (select 'alert:' || f.id from insight_alert_firing f where f.rule_id = ?)""").params(recipient.id(), rule).query(String.class).list();
    }

    /** The texts of the webhook events of a kind that went to the endpoint's outbox. */
    private List<String> webhookTexts(String kind) {
        return jdbc.sql("""
                        select e.text from notify_event e join notify_delivery d on d.event_id = e.id
                         where e.kind = ? and d.channel = 'webhook'""").param(kind).query(String.class).list();
    }

    /** The rule's history as "event: message", newest first. */
    private List<String> events(UUID rule) {
        return jdbc.sql("""
                        select event || ': ' || message from insight_alert_firing where rule_id = ?
                         order by fired_at desc, case event when 'initial' then 1 else 0 end, id desc""").param(rule).query(String.class).list();
    }

    /** The application's clock here: fixed at the other tests' instant until a test moves it on. */
    static final class MovableClock extends Clock {

        private final java.util.concurrent.atomic.AtomicReference<Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(dev.steward.core.TestClock.NOW);

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
