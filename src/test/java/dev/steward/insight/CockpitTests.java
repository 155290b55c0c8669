package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.NoteInput;
import dev.steward.activity.SentimentInput;
import dev.steward.activity.TicketInput;
import dev.steward.core.Browsers;
import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import dev.steward.customer.ContractStatus;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScorecardManagement;
import dev.steward.health.engine.Color;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.identity.UserManagement;
import dev.steward.lifecycle.LifecycleManagement;
import dev.steward.playbook.CtaWork;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The cockpit of a CSM whose book has one account of every kind of priority, built by hand at the test clock's time
 * (Wednesday 18 March 2026): the ranked list, each reason and why it ranks there, the health distribution and ARR at
 * risk, and the recent events, through the API and on the page; who may see whose cockpit. On a database of its own:
 * it publishes a journey with milestones, which would give other tests' accounts overdue milestones.
 */
@StewardTest
@TestPropertySource(properties = "steward.test.cockpit=own-database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CockpitTests {

    private static final LocalDate TODAY = LocalDate.parse("2026-03-18");

    private static final String SCORECARD = """
            name: Cockpit
            appliesTo: account.industry == "Cockpit"
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

    private static final String JOURNEY = """
            name: Customer journey
            stages:
              - key: all
                name: All
                entry: 'true'
            milestones:
              - key: kickoff
                name: Kick-off
                dueDays: 7
              - key: integration
                name: Integration
                dueDays: 30
                firstValue: true
              - key: training
                name: Training
                dueDays: 60
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
    LifecycleManagement lifecycle;

    @Autowired
    CtaWork work;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    User cara;
    User dan;
    final Map<String, UUID> ids = new LinkedHashMap<>();

    @BeforeAll
    void aBookWithEveryKindOfPriority() {
        // The reasons below are written against the test clock's time.
        assertThat(clock.instant()).isEqualTo(TestClock.NOW).isEqualTo(Instant.parse("2026-03-18T10:15:30Z"));
        User admin = users.findByEmail(Browsers.ADMIN_EMAIL).orElseThrow();
        cara = userManagement.createIfAbsent("cara.cockpit@example.com", "Cara Cockpit", Role.CSM);
        dan = userManagement.createIfAbsent("dan.cockpit@example.com", "Dan Cockpit", Role.CSM);
        userManagement.createIfAbsent("mia.cockpit@example.com", "Mia Cockpit", Role.MANAGER);
        scorecards.publish(
                "Cockpit",
                scorecards.saveDraft("Cockpit", SCORECARD, admin).version().version(),
                admin);
        lifecycle.publish(lifecycle.saveDraft(JOURNEY, admin).version().version(), admin);

        LocalDate longAgo = LocalDate.parse("2024-06-01");
        LocalDate later = LocalDate.parse("2027-06-01");
        // Anvil: a CTA 3 days overdue. Birch: a CTA due today, and a ticket yesterday.
        account("Anvil Works", cara, 100_000, longAgo, later);
        account("Birch Labs", cara, 50_000, longAgo, later);
        // Cedar: Green a week ago, Red now, renewing in 60 days.
        account("Cedar Health", cara, 80_000, longAgo, TODAY.plusDays(60));
        // Dune: 100 a week ago, 50 now.
        account("Dune Analytics", cara, 40_000, longAgo, later);
        // Elm: Red a week ago, Green now, and overridden to Red until Saturday: it did not turn Red this week.
        account("Elm Retail", cara, 30_000, longAgo, later);
        // Fir: a new customer 40 days in, integration (due day 30) not done.
        account(
                "Fir Systems",
                cara,
                20_000,
                TODAY.minusDays(40),
                TODAY.minusDays(40).plusYears(1));
        // Grove: last met 45 days ago.
        account("Grove Media", cara, 10_000, longAgo, later);
        // Hazel: Green, renewing in 100 days.
        account("Hazel Foods", cara, 60_000, longAgo, TODAY.plusDays(100));
        // Ivy is Dan's: nothing of it is Cara's.
        account("Ivy Ports", dan, 500_000, longAgo, later);

        Instant now = clock.instant();
        ids.forEach((name, id) -> {
            boolean dune = name.equals("Dune Analytics");
            boolean cedar = name.equals("Cedar Health");
            boolean elm = name.equals("Elm Retail");
            sentiment(id, cedar ? 4 : elm ? 1 : 5, now.minus(Duration.ofDays(30)));
            if (!name.equals("Grove Media")) {
                note(id, now.minus(Duration.ofDays(2)), "Spoke with the champion");
            }
            if (dune) {
                sentiment(id, 3, now.minus(Duration.ofDays(2)));
            }
            if (elm) {
                sentiment(id, 4, now.minus(Duration.ofDays(2)));
            }
            if (cedar) {
                sentiment(id, 1, now.minus(Duration.ofHours(1)));
            }
        });
        note(ids.get("Grove Media"), Instant.parse("2026-02-01T15:00:00Z"), "Last check-in");
        activity.recordTicket(
                new AccountId(ids.get("Birch Labs")),
                new TicketInput(
                        null,
                        ids.get("Birch Labs"),
                        null,
                        now.minus(Duration.ofDays(1)),
                        null,
                        null,
                        "Export fails",
                        null,
                        null,
                        false,
                        null));
        settle();
        health.rescore(ids.values(), TODAY.minusDays(7));
        health.rescore(ids.values(), TODAY);
        health.override(ids.get("Elm Retail"), Color.RED, null, "Champion on leave", TODAY.plusDays(3), cara);
        lifecycle.complete(ids.get("Fir Systems"), "kickoff", TODAY.minusDays(35), null, cara);

        cta(
                "Anvil Works",
                "Call Anvil about usage",
                now.minus(Duration.ofDays(3)).plus(Duration.ofHours(1)));
        cta("Birch Labs", "Send Birch the QBR deck", now.plus(Duration.ofHours(3)));
        cta("Ivy Ports", "Ivy escalation", now.minus(Duration.ofDays(5)));
        settle();
    }

    /**
     * The cockpit is kept once built (see {@link CockpitCache}): what changes in the book shows on the next reading.
     * Fir's overdue milestone goes when it is completed and comes back when the completion is taken back.
     */
    @Test
    void theNextReadingShowsWhatChangedInTheBook() throws Exception {
        String overdueMilestones = "$.priorities[?(@.kind == 'milestone_overdue')].accountName";
        mvc.perform(get("/api/v1/insight/cockpit").with(user(cara.email()).roles("CSM")))
                .andExpect(jsonPath(overdueMilestones, contains("Fir Systems")));
        mvc.perform(get("/api/v1/insight/cockpit").with(user(cara.email()).roles("CSM")))
                .andExpect(jsonPath(overdueMilestones, contains("Fir Systems")));
        try {
            lifecycle.complete(ids.get("Fir Systems"), "integration", TODAY.minusDays(1), null, cara);
            mvc.perform(get("/api/v1/insight/cockpit").with(user(cara.email()).roles("CSM")))
                    .andExpect(jsonPath(overdueMilestones).isEmpty())
                    .andExpect(jsonPath("$.totalPriorities").value(8));
        } finally {
            lifecycle.undo(ids.get("Fir Systems"), "integration", cara);
        }
        mvc.perform(get("/api/v1/insight/cockpit").with(user(cara.email()).roles("CSM")))
                .andExpect(jsonPath(overdueMilestones, contains("Fir Systems")))
                .andExpect(jsonPath("$.totalPriorities").value(9));
    }

    @Test
    void theCsmSeesHerBookRankedWithTheReasonForEachItem() throws Exception {
        mvc.perform(get("/api/v1/insight/cockpit").with(user(cara.email()).roles("CSM")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.owners[*].name", contains("Cara Cockpit")))
                .andExpect(jsonPath("$.accounts").value(8))
                .andExpect(jsonPath("$.arr").value(390_000.0))
                .andExpect(jsonPath("$.totalPriorities").value(9))
                .andExpect(jsonPath(
                        "$.priorities[*].accountName",
                        contains(
                                "Anvil Works",
                                "Birch Labs",
                                "Cedar Health",
                                "Dune Analytics",
                                "Cedar Health",
                                "Fir Systems",
                                "Elm Retail",
                                "Grove Media",
                                "Hazel Foods")))
                .andExpect(jsonPath(
                        "$.priorities[*].kind",
                        contains(
                                "cta_overdue",
                                "cta_due_today",
                                "turned_red",
                                "health_drop",
                                "renewal_at_risk",
                                "milestone_overdue",
                                "override_expiring",
                                "no_touch",
                                "renewal")))
                .andExpect(jsonPath("$.priorities[*].reason", contains(REASONS.toArray())))
                .andExpect(jsonPath("$.priorities[*].rankedBy", contains(RANKED_BY.toArray())))
                .andExpect(jsonPath("$.priorities[*].rank", contains(1, 2, 3, 4, 5, 6, 7, 8, 9)))
                .andExpect(jsonPath("$.priorities[0].link").value("/accounts/" + ids.get("Anvil Works")))
                .andExpect(jsonPath("$.priorities[0].ctaId").isNotEmpty())
                .andExpect(jsonPath("$.distribution[*].color", contains("red", "yellow", "green", "black", "unscored")))
                .andExpect(jsonPath("$.distribution[*].accounts", contains(2, 1, 5, 0, 0)))
                .andExpect(jsonPath("$.distribution[*].arr", contains(110_000.0, 40_000.0, 240_000.0, 0, 0)))
                .andExpect(jsonPath("$.atRisk.total").value(150_000.0))
                .andExpect(jsonPath("$.atRisk.red").value(110_000.0))
                .andExpect(jsonPath("$.atRisk.yellow").value(40_000.0))
                .andExpect(jsonPath("$.atRisk.black").value(0))
                .andExpect(jsonPath("$.rankingRule[1]")
                        .value("1. Overdue CTAs — by days overdue (a part day counts as a whole one) × ARR"));
        mvc.perform(get("/api/v1/insight/cockpit/history")
                        .with(user(cara.email()).roles("CSM")))
                .andExpect(status().isOk())
                // Twelve weekly points: a week ago Elm was Red and the rest Green; now the stored colors are the
                // computed ones, Elm's Green under its override.
                .andExpect(jsonPath("$.trend.length()").value(12))
                .andExpect(jsonPath("$.trend[10].day").value("2026-03-11"))
                .andExpect(jsonPath("$.trend[10].colors[*].accounts", contains(1, 0, 7, 0, 0)))
                .andExpect(jsonPath("$.trend[11].colors[*].accounts", contains(1, 1, 6, 0, 0)))
                .andExpect(jsonPath("$.trend[0].colors[*].accounts", contains(0, 0, 0, 0, 8)))
                .andExpect(jsonPath(
                        "$.events[*].text",
                        contains(
                                "CTA opened: Call Anvil about usage (high)",
                                "CTA opened: Send Birch the QBR deck (high)",
                                "Health turned Red from Green (0)",
                                "Health turned Yellow from Green (50)",
                                "Health turned Green from Red (75)",
                                "Ticket opened: Export fails")))
                .andExpect(jsonPath(
                        "$.events[*].accountName",
                        contains(
                                "Anvil Works",
                                "Birch Labs",
                                "Cedar Health",
                                "Dune Analytics",
                                "Elm Retail",
                                "Birch Labs")));
    }

    @Test
    void thePageShowsTheSameListAndIsWhereACsmLands() throws Exception {
        mvc.perform(get("/").with(user(cara.email()).roles("CSM"))).andExpect(redirectedUrl("/cockpit"));
        mvc.perform(get("/").with(user("vic.cockpit@example.com").roles("VIEWER")))
                .andExpect(redirectedUrl("/accounts"));
        String html = mvc.perform(get("/cockpit").with(user(cara.email()).roles("CSM")))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("Cockpit: Cara Cockpit"),
                                containsString("data-testid=\"book-link\""),
                                containsString("data-testid=\"arr-at-risk\">$150,000<"),
                                containsString("data-testid=\"arr-black\">$0<"),
                                containsString("data-testid=\"priority-total\">9<"),
                                // "Ivy Ports", not "Ivy": a random CSRF token on the page once held "Ivy".
                                not(containsString("Ivy Ports")))))
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<String> reasons = between(html, "data-testid=\"priority-reason\">", "<");
        assertThat(reasons)
                .containsExactlyElementsOf(
                        REASONS.stream().map(CockpitTests::escaped).toList());
        assertThat(between(html, "data-testid=\"priority-ranked-by\">", "<"))
                .containsExactlyElementsOf(RANKED_BY.stream()
                        .map(r -> escaped("Why ranked here: " + r))
                        .toList());
        assertThat(between(html, "data-testid=\"priority-account\">", "<"))
                .containsExactly(
                        "Anvil Works",
                        "Birch Labs",
                        "Cedar Health",
                        "Dune Analytics",
                        "Cedar Health",
                        "Fir Systems",
                        "Elm Retail",
                        "Grove Media",
                        "Hazel Foods");
        assertThat(html).contains("href=\"/accounts/" + ids.get("Grove Media") + "\"");
        // The trend and the week's events come after, in a fragment of their own.
        mvc.perform(get("/cockpit/history").with(user(cara.email()).roles("CSM")))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("data-days=\"2025-12-31,2026-01-07,"),
                                containsString("data-red=\"0:0,"),
                                containsString(",1:80000\""),
                                containsString("Health turned Red from Green (0)"),
                                containsString("Ticket opened: Export fails"))));
    }

    @Test
    void aCsmCannotReadAnotherCsmsCockpit() throws Exception {
        mvc.perform(get("/api/v1/insight/cockpit")
                        .param("owner", dan.id().toString())
                        .with(user(cara.email()).roles("CSM")))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("A CSM sees their own cockpit only, not Dan Cockpit's"));
        // A manager sees the people of their team only: Dan is in no team of Mia's.
        mvc.perform(get("/api/v1/insight/cockpit")
                        .param("owner", dan.id().toString())
                        .with(user("mia.cockpit@example.com").roles("MANAGER")))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/api/v1/insight/cockpit/history")
                        .param("owner", dan.id().toString())
                        .with(user(cara.email()).roles("CSM")))
                .andExpect(status().isForbidden());
        UUID nobody = UUID.fromString("00000000-0000-0000-0000-00000000c0c0");
        mvc.perform(get("/api/v1/insight/cockpit")
                        .param("owner", nobody.toString())
                        .with(user(cara.email()).roles("CSM")))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/api/v1/insight/cockpit")
                        .param("owner", "not-a-user")
                        .with(user(cara.email()).roles("CSM")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        // An admin may look at anyone's: Dan's book is Ivy, with its overdue CTA.
        mvc.perform(get("/api/v1/insight/cockpit")
                        .param("owner", dan.id().toString())
                        .with(user(Browsers.ADMIN_EMAIL).roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.owners[*].name", contains("Dan Cockpit")))
                .andExpect(jsonPath("$.priorities[0].accountName").value("Ivy Ports"))
                .andExpect(jsonPath("$.priorities[0].reason")
                        .value("CTA “Ivy escalation” is 5 days overdue (due Fri 13 Mar)"));
        // The page refuses as the API does.
        mvc.perform(get("/cockpit")
                        .param("owner", dan.id().toString())
                        .with(user(cara.email()).roles("CSM")))
                .andExpect(status().isForbidden());
    }

    private static final List<String> REASONS = List.of(
            "CTA “Call Anvil about usage” is 3 days overdue (due Sun 15 Mar)",
            "CTA “Send Birch the QBR deck” is due today",
            "Health turned Red this week: Green (75) on Wed 11 Mar, 0 now",
            "Health dropped 50 points this week: 100 on Wed 11 Mar, 50 now",
            "Renews in 60 days (Sun 17 May) at Red health",
            "Onboarding milestone “Integration” is 10 days overdue (due Sun 8 Mar)",
            "Health override to Red (“Champion on leave”) ends in 3 days (Sat 21 Mar): renew it or let the score"
                    + " speak",
            "No meeting or note in 45 days (last Sun 1 Feb)",
            "Renews in 100 days (Fri 26 Jun) at Green health");

    private static final List<String> RANKED_BY = List.of(
            "Tier 1 of 9 (Overdue CTAs); weight 3 × $100,000 = 300,000",
            "Tier 2 of 9 (CTAs due today); weight $50,000 = 50,000",
            "Tier 3 of 9 (Turned Red this week); weight $80,000 = 80,000",
            "Tier 4 of 9 (Health dropped 10+ points this week); weight 50 × $40,000 = 2,000,000",
            "Tier 5 of 9 (Renewals in 120 days, not Green); weight $80,000 ÷ 60 days = 1,333",
            "Tier 6 of 9 (Onboarding milestones overdue); weight 10 × $20,000 = 200,000",
            "Tier 7 of 9 (Health overrides ending within 7 days); weight $30,000 ÷ 3 days = 10,000",
            "Tier 8 of 9 (No touch in 30 days); weight 45 × $10,000 = 450,000",
            "Tier 9 of 9 (Renewals in 120 days, Green); weight $60,000 ÷ 100 days = 600");

    private void account(String name, User owner, long arr, LocalDate start, LocalDate end) {
        UUID id = accounts.create(new AccountInput(
                        null, name, null, null, "SMB", "Cockpit", null, 20, owner.id(), null, null, null, null))
                .id()
                .value();
        contracts.create(new ContractInput(
                null,
                id,
                null,
                start,
                end,
                BigDecimal.valueOf(arr),
                10,
                "Pro",
                ContractStatus.ACTIVE,
                false,
                null,
                null));
        ids.put(name, id);
    }

    private void sentiment(UUID account, int score, Instant at) {
        activity.recordSentiment(
                new AccountId(account), new SentimentInput(null, account, null, null, at, score, "as seen"));
    }

    private void note(UUID account, Instant at, String body) {
        activity.recordNote(new AccountId(account), new NoteInput(null, account, null, cara.id(), at, body));
    }

    private void cta(String account, String title, Instant dueAt) {
        UUID id = work.create(
                        new CtaWork.NewCta(ids.get(account), "risk", title, "high", 3, null, null),
                        users.findByEmail(Browsers.ADMIN_EMAIL).orElseThrow())
                .cta()
                .id();
        jdbc.sql("update cta set due_at = ? where id = ?")
                .params(Timestamp.from(dueAt), id)
                .update();
    }

    /** Waits until no re-score runs or waits, so that a requested re-score does not overwrite the test's own. */
    private void settle() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jdbc.sql("""
                                select (select count(*) from health_rescore_request)
                                     + (select count(*) from scheduled_tasks
                                         where (task_name like 'health-%' and picked)
                                            or task_name = 'health-published-rescore')""").query(Long.class).single() == 0);
    }

    private static List<String> between(String html, String start, String end) {
        List<String> found = new ArrayList<>();
        int at = html.indexOf(start);
        while (at >= 0) {
            int from = at + start.length();
            found.add(html.substring(from, html.indexOf(end, from)));
            at = html.indexOf(start, from);
        }
        return found;
    }

    /** As Thymeleaf writes text into HTML. */
    private static String escaped(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
