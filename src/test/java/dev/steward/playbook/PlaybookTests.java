package dev.steward.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import dev.steward.customer.AccountId;
import dev.steward.health.HealthColorsChanged;
import dev.steward.health.engine.Color;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Playbooks through the API on a database of their own: a health color turning Red becomes one CTA within seconds,
 * owned by the account's CSM with a due time under the SLA and the playbook's tasks; the same fact seen again makes
 * no second CTA, a closed one cools down; a renewal playbook fires on publication; a dry run says what a draft would
 * do; the control group is recorded; one account's failure does not stop the rest; overdue CTAs escalate; CTAs are
 * worked, refused with reasons, and closed with an outcome.
 */
@StewardTest
@TestPropertySource(properties = {"steward.test.playbooks=own-database", "steward.playbook.escalation-interval=PT1S"})
@WithMockUser(username = "playbook-manager@example.com", roles = "MANAGER")
class PlaybookTests {

    static final String RED = """
            name: %s
            trigger:
              type: health_color
              color: red
            when: account.industry == "%s"
            cta:
              type: risk
              title: "{account} turned Red"
              priority: auto
              slaDays: 2
            tasks:
              - title: Call the main contact
                dueDays: 1
                assignee: csm
              - title: Executive escalation
                dueDays: 3
                assignee: manager
            cooldownDays: %d
            controlPercent: %d
            """;

    @Autowired
    MockMvc mvc;

    @Autowired
    Clock clock;

    @Autowired
    UserManagement users;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CtaWork work;

    @Autowired
    dev.steward.customer.AccountManagement accounts;

    @Autowired
    dev.steward.customer.AccountSnapshots snapshots;

    @Autowired
    PlaybookTriggers triggers;

    User csm;
    User otherCsm;

    @BeforeEach
    void people() {
        users.createIfAbsent("playbook-manager@example.com", "Pia Manager", Role.MANAGER);
        csm = users.createIfAbsent("playbook-csm@example.com", "Cal Csm", Role.CSM);
        otherCsm = users.createIfAbsent("playbook-other@example.com", "Olu Other", Role.CSM);
    }

    @Test
    void aRedAccountGetsOneCtaWithinSecondsOwnedByItsCsmWithTasksDueUnderTheSla() throws Exception {
        publish("Red one", RED.formatted("Red one", "Pb-Red", 30, 0));
        UUID big = account("Big Red", "Pb-Red", csm.email(), 150_000);
        UUID small = account("Small Red", "Pb-Red", csm.email(), 20_000);
        UUID elsewhere = account("Elsewhere", "Pb-Other", csm.email(), 20_000);
        turn(Color.RED, big, small, elsewhere);

        String list = awaitCtas("account=" + big, 1);
        assertThat(JsonPath.<String>read(list, "$.items[0].title")).isEqualTo("Big Red turned Red");
        assertThat(JsonPath.<String>read(list, "$.items[0].priority")).isEqualTo("urgent"); // risk, ARR ≥ 100k
        assertThat(JsonPath.<String>read(list, "$.items[0].ownerName")).isEqualTo("Cal Csm");
        // Wednesday 18 March 2026, 10:15 UTC, an SLA of 2 business days: due at the end of Friday the 20th.
        assertThat(JsonPath.<String>read(list, "$.items[0].dueAt")).isEqualTo("2026-03-21T00:00:00Z");
        assertThat(JsonPath.<String>read(list, "$.items[0].cause.trigger")).isEqualTo("health_color");
        assertThat(JsonPath.<Double>read(list, "$.items[0].cause.score")).isEqualTo(30.0);
        assertThat(JsonPath.<String>read(awaitCtas("account=" + small, 1), "$.items[0].priority"))
                .isEqualTo("high");

        String id = JsonPath.read(list, "$.items[0].id");
        mvc.perform(get("/api/v1/ctas/{id}", id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tasks.length()", is(2)))
                .andExpect(jsonPath("$.tasks[0].assigneeName", is("Cal Csm")))
                .andExpect(jsonPath("$.tasks[0].dueAt", is("2026-03-20T00:00:00Z")))
                .andExpect(jsonPath("$.tasks[1].assigneeRole", is("manager")))
                .andExpect(jsonPath("$.history[0].kind", is("created")));

        // The same fact again (a replayed event, another instance), and a new one the next day: still one CTA.
        turn(Color.RED, big);
        turnOn(TestClock.NOW.atZone(clock.getZone()).toLocalDate().plusDays(1), big);
        await().pollInSameThread()
                .during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(count("select count(*) from cta where account_id = ?", big))
                        .isEqualTo(1));
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(count(
                                "select count(*) from playbook_firing where account_id = ? and result = 'open'", big))
                        .isEqualTo(1));
        // The firing is on the audit trail as the playbook's job entry.
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(jdbc.sql("""
                                        select action || ' ' || actor_kind || ' ' || status || ' ' || detail
                                        from audit_entry where target = '/playbooks/Red one' order by seq""").query(String.class).list())
                                .first()
                                .asString()
                                .startsWith("PLAYBOOK job 200 fired for ")
                                .contains(" CTAs opened, 0 held back as control, "));
        // Not in the playbook's accounts: no CTA, and the CSM's list has the two.
        assertThat(count("select count(*) from cta where account_id = ?", elsewhere))
                .isZero();
        mvc.perform(get("/api/v1/ctas")
                        .param("playbook", "Red one")
                        .with(user(csm.email()).roles("CSM")))
                .andExpect(jsonPath("$.items.length()", is(2)));
    }

    @Test
    void aScoreThatFellTenPointsInThirtyDaysFiresTheScoreDropPlaybook() throws Exception {
        User owner = csm;
        UUID fell = accounts.create(new dev.steward.customer.AccountInput(
                        null, "Falling Co", null, null, "SMB", "Pb-Drop", null, 10, owner.id(), null, null, null, null))
                .id()
                .value();
        UUID steady = accounts.create(new dev.steward.customer.AccountInput(
                        null, "Steady Co", null, null, "SMB", "Pb-Drop", null, 10, owner.id(), null, null, null, null))
                .id()
                .value();
        // Let every re-score asked for run first: it would write over the hand-built scores. New accounts set off a
        // chain of jobs a second apart (their segments and stage are decided, which may ask for a re-score; the shipped
        // scorecards' publication at start-up asks for one through an event handled after commit), so nothing may be
        // waiting or running for a second and a half on end.
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .during(Duration.ofMillis(1_500))
                .until(() -> jdbc.sql("""
                                        select (select count(*) from health_rescore_request)
                                             + (select count(*) from account_segment_evaluation_request)
                                             + (select count(*) from event_publication where completion_date is null)
                                             + (select count(*) from scheduled_tasks
                                                 where ((task_name like 'health-%' or task_name like 'segments-%') and picked)
                                                    or task_name = 'health-published-rescore')""").query(Long.class).single() == 0);
        LocalDate monthAgo = LocalDate.now(clock).minusDays(30);
        for (UUID id : List.of(fell, steady)) {
            jdbc.sql("""
                            insert into health_score (account_id, day, scorecard, scorecard_version, score, color,
                                                      coverage, raw, ranks, computed_at)
                            values (?, ?, 'Hand-built', 1, 80, 'green', 1, '{}', '{}', ?)""")
                    .params(id, monthAgo, java.sql.Timestamp.from(clock.instant()))
                    .update();
        }
        snapshots.recordHealth(List.of(
                new dev.steward.customer.AccountSnapshots.Health(fell, 62, "yellow", -18.0),
                new dev.steward.customer.AccountSnapshots.Health(steady, 75, "green", -5.0)));
        publish("Falling", """
                name: Falling
                trigger: {type: score_drop, points: 10, days: 30}
                when: account.industry == "Pb-Drop"
                cta: {type: risk, title: "{account} is falling"}
                """);
        String list = awaitCtas("account=" + fell, 1);
        assertThat(JsonPath.<String>read(list, "$.items[0].cause.fact"))
                .isEqualTo("Score fell 18 points in 30 days (from 80 on or before " + monthAgo + " to 62)");
        assertThat(count("select count(*) from cta where account_id = ?", steady))
                .isZero();
    }

    @Test
    void aClosedCtaCoolsDownAndAPlaybookWithoutCooldownFiresAgain() throws Exception {
        publish("Cooling", RED.formatted("Cooling", "Pb-Cool", 30, 0));
        publish("Eager", RED.formatted("Eager", "Pb-Cool", 0, 0));
        UUID account = account("Cool Co", "Pb-Cool", csm.email(), 10_000);
        turn(Color.RED, account);
        awaitCtas("account=" + account, 2);
        for (Cta cta : work.list(
                        new CtaQuery("all", null, "active", null, null, null, account, null, null, null, null),
                        manager())
                .items()) {
            work.close(cta.id(), "saved", "They came back", manager());
        }
        turnOn(LocalDate.now(clock).plusDays(3), account);
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(count(
                                "select count(*) from playbook_firing f join playbook p on p.id = f.playbook_id"
                                        + " where f.account_id = ? and p.name = 'Cooling' and f.result = 'cooldown'",
                                account))
                        .isEqualTo(1));
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(count(
                                "select count(*) from cta c join playbook p on p.id = c.playbook_id"
                                        + " where c.account_id = ? and p.name = 'Eager' and c.status = 'open'",
                                account))
                        .isEqualTo(1));
    }

    @Test
    void aPersonOverridingTheColorToRedFiresTheRedPlaybook() throws Exception {
        publish("Overridden", RED.formatted("Overridden", "Pb-Override", 30, 0));
        UUID account = account("Judged Co", "Pb-Override", csm.email(), 10_000);
        mvc.perform(post("/api/v1/accounts/{id}/health/override", account)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"color\": \"red\", \"reason\": \"Champion left\", \"expiresOn\": \"%s\"}"
                                .formatted(LocalDate.now(clock).plusDays(30)))
                        .with(csrf()))
                .andExpect(status().isCreated());
        String list = awaitCtas("account=" + account, 1);
        assertThat(JsonPath.<String>read(list, "$.items[0].cause.fact")).contains("Champion left");
    }

    @Test
    void aRenewalPlaybookFiresOnPublicationAndItsDryRunSaysSoFirst() throws Exception {
        UUID soon = account("Renews Soon", "Pb-Renewal", csm.email(), 60_000);
        contract(soon, LocalDate.now(clock).minusDays(265), LocalDate.now(clock).plusDays(100));
        UUID later = account("Renews Later", "Pb-Renewal", csm.email(), 60_000);
        contract(
                later, LocalDate.now(clock).minusDays(100), LocalDate.now(clock).plusDays(265));
        // Its previous contract ended 100 days ago: the replay sees that renewal 120 days ahead of it, 220 days ago.
        addContract(
                later, LocalDate.now(clock).minusDays(465), LocalDate.now(clock).minusDays(100), 60_000);
        String yaml = """
                name: Renewals
                trigger: {type: renewal, days: 120}
                when: account.industry == "Pb-Renewal"
                cta: {type: renewal, title: "Renewal of {account}", slaDays: 10}
                tasks:
                  - {title: Send the quote, dueDays: 20, assignee: csm}
                """;
        mvc.perform(post("/api/v1/playbooks/{name}/dry-run", "Renewals")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid", is(true)))
                .andExpect(jsonPath("$.trigger", is("Renewal in 120 days")))
                .andExpect(jsonPath("$.ctas", is(1)))
                .andExpect(jsonPath("$.sample[0].accountName", is("Renews Soon")))
                .andExpect(jsonPath("$.sample[0].owner", is("Cal Csm")))
                .andExpect(jsonPath("$.sample[0].fact", containsString("in 100 days")))
                // Replayed over the past year: the renewal 120 days before the end of each contract that ran, where
                // that day has passed: Renews Soon's 20 days ago, Renews Later's previous one 220 days ago; Renews
                // Later's current contract ends in 265 days, whose day to fire is still ahead.
                .andExpect(jsonPath("$.replay.available", is(true)))
                .andExpect(jsonPath("$.replay.ctas", is(2)))
                .andExpect(jsonPath("$.replay.busiestWeek", is(1)))
                .andExpect(jsonPath("$.replay.byOwner[0].owner", is("Cal Csm")))
                .andExpect(jsonPath("$.replay.byOwner[0].ctas", is(2)));
        assertThat(count("select count(*) from cta where account_id = ?", soon)).isZero();
        publish("Renewals", yaml);
        String list = awaitCtas("account=" + soon, 1);
        assertThat(JsonPath.<String>read(list, "$.items[0].cause.fact")).contains("Renews on");
        assertThat(count("select count(*) from cta where account_id = ?", later))
                .isZero();
    }

    @Test
    void theDailyEvaluationFiresAConditionOnceADayAndAScheduleOnceAPeriodWhereItsWhenHolds() throws Exception {
        UUID big = account("Daily Big", "Pb-Daily", csm.email(), 200_000);
        UUID small = account("Daily Small", "Pb-Daily", csm.email(), 5_000);
        UUID fragile = account("Daily Fragile", "Pb-Daily", csm.email(), 5_000, 0);
        UUID other = account("Daily Other", "Pb-Other", csm.email(), 200_000);
        publish("Daily big", """
                name: Daily big
                trigger:
                  type: condition
                  condition: account.industry == "Pb-Daily" && account.arr >= 100000.0
                cta: {type: expansion, title: "Grow {account}", slaDays: 5}
                cooldownDays: 0
                """);
        publish("Monthly", """
                name: Monthly
                trigger: {type: schedule, every: month}
                when: account.industry == "Pb-Daily" && 100000 / int(account.employees) > 1
                cta: {type: lifecycle, title: "Review {account}", slaDays: 10}
                """);
        // Each is evaluated on publication: the condition holds for the large account; the schedule's when keeps both
        // accounts with staff and fails on the one without.
        String list = awaitCtas("account=" + big, 2);
        assertThat(JsonPath.<List<String>>read(list, "$.items[*].cause.fact"))
                .anyMatch(fact -> fact.startsWith("The condition holds: account.industry"))
                .anyMatch(fact -> fact.startsWith("Scheduled every month ("));
        awaitCtas("account=" + small, 1);
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(count(
                                "select count(*) from playbook_firing where account_id = ? and result = 'failed'",
                                fragile))
                        .isEqualTo(1));
        String firings = "select count(*) from playbook_firing where account_id = ?";
        assertThat(count(firings, big)).isEqualTo(2);

        // The same day again: every fact has fired, nothing more is made or recorded.
        triggers.evaluateDaily();
        triggers.evaluate("Monthly");
        assertThat(count(firings, big)).isEqualTo(2);
        assertThat(count(firings, small)).isEqualTo(1);
        assertThat(count(firings, fragile)).isEqualTo(1);
        assertThat(count(firings, other)).isZero();
        assertThat(count("select count(*) from cta where account_id = ?", big)).isEqualTo(2);
        assertThat(count("select count(*) from cta where account_id = ?", fragile))
                .isZero();

        // The next day (today's condition firings moved back a day): the condition holds again for the large account,
        // a new fact, but its CTA is still open, so the fact is left out without a trace, as is the month's schedule.
        jdbc.sql("update playbook_firing set fact_key = ?, day = ? where fact_key = ?")
                .params(
                        "condition:" + LocalDate.now(clock).minusDays(1),
                        LocalDate.now(clock).minusDays(1),
                        "condition:" + LocalDate.now(clock))
                .update();
        PlaybookRunner.Fired nextDay = triggers.evaluateDaily();
        assertThat(nextDay.ctas()).isZero();
        assertThat(count(firings, big)).isEqualTo(2);
        assertThat(count("select count(*) from cta where account_id = ?", big)).isEqualTo(2);
        // Closed, the CTA no longer holds the fact back; the cooldown of 0 days lets the condition fire again.
        jdbc.sql(
                        "update cta set status = 'closed', closed_at = ?, outcome = 'not_needed' where account_id = ? and title like 'Grow%'")
                .params(java.sql.Timestamp.from(clock.instant()), big)
                .update();
        triggers.evaluateDaily();
        assertThat(count(firings, big)).isEqualTo(3);
        assertThat(count("select count(*) from cta where account_id = ?", big)).isEqualTo(3);
    }

    @Test
    void theControlGroupIsHeldBackAndRecordedAndTheReportSaysInconclusive() throws Exception {
        publish("Half", RED.formatted("Half", "Pb-Control", 30, 50));
        List<UUID> accounts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            accounts.add(account("Control " + i, "Pb-Control", csm.email(), 10_000));
        }
        turn(Color.RED, accounts.toArray(UUID[]::new));
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(count(
                                "select count(*) from playbook_firing f join playbook p on p.id = f.playbook_id"
                                        + " where p.name = 'Half' and f.result in ('cta', 'control')",
                                null))
                        .isEqualTo(30));
        long control = count(
                "select count(*) from playbook_firing f join playbook p on p.id = f.playbook_id"
                        + " where p.name = 'Half' and f.result = 'control'",
                null);
        assertThat(control).isBetween(5L, 25L);
        assertThat(count(
                        "select count(*) from cta c join playbook p on p.id = c.playbook_id where p.name = 'Half'",
                        null))
                .isEqualTo(30 - control);
        mvc.perform(get("/api/v1/playbooks/{name}/report", "Half"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.fired", is(30)))
                .andExpect(jsonPath("$.ctas", is((int) (30 - control))))
                .andExpect(jsonPath("$.churn90.verdict", is("inconclusive")))
                .andExpect(jsonPath("$.healthChange30.verdict", is("inconclusive")));
    }

    @Test
    void aPlaybookThatFailsOnOneAccountSaysSoAndGoesOnWithTheRest() throws Exception {
        publish("Fragile", """
                name: Fragile
                trigger: {type: health_color, color: red}
                when: account.industry == "Pb-Fragile" && 100000 / int(account.employees) > 1
                cta: {type: risk, title: "{account}"}
                """);
        UUID none = account("No Staff", "Pb-Fragile", csm.email(), 10_000, 0);
        UUID fine = account("Some Staff", "Pb-Fragile", csm.email(), 10_000, 50);
        turn(Color.RED, none, fine);
        awaitCtas("account=" + fine, 1);
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(count(
                                "select count(*) from playbook_firing where account_id = ? and result = 'failed'",
                                none))
                        .isEqualTo(1));
        assertThat(jdbc.sql("select detail->>'reason' from playbook_firing where account_id = ?")
                        .param(none)
                        .query(String.class)
                        .single())
                .contains("by zero");
    }

    @Test
    void anOverdueCtaEscalatesOnceAndASnoozedOneWakes() throws Exception {
        UUID account = account("Late Co", "Pb-Late", csm.email(), 10_000);
        String id = JsonPath.read(
                mvc.perform(post("/api/v1/ctas")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"account\": \"%s\", \"title\": \"Follow up\", \"type\": \"activity\","
                                                .formatted(account)
                                        + " \"slaDays\": 1}")
                                .with(csrf()))
                        .andExpect(status().isCreated())
                        .andExpect(jsonPath("$.cta.ownerName", is("Cal Csm")))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.cta.id");
        jdbc.sql("update cta set due_at = ? where id = ?")
                .params(java.sql.Timestamp.from(clock.instant().minusSeconds(60)), UUID.fromString(id))
                .update();
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> mvc.perform(get("/api/v1/ctas/{id}", id))
                        .andExpect(jsonPath("$.cta.overdue", is(true)))
                        .andExpect(
                                jsonPath("$.cta.escalatedAt", is(clock.instant().toString())))
                        .andExpect(jsonPath("$.history[*].kind", hasItem("escalated"))));
        assertThat(work.escalateOverdue()).isZero();

        UUID snoozed = work.create(new CtaWork.NewCta(account, "activity", "Later", null, 3, null, null), manager())
                .cta()
                .id();
        work.snooze(snoozed, LocalDate.now(clock).plusDays(1), "On holiday", manager());
        jdbc.sql("update cta set snoozed_until = ? where id = ?")
                .params(LocalDate.now(clock), snoozed)
                .update();
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(work.get(snoozed).cta().status()).isEqualTo("open"));
    }

    @Test
    void aCtaIsWorkedClosedWithAnOutcomeAndRefusedWithReasons() throws Exception {
        UUID account = account("Work Co", "Pb-Work", csm.email(), 10_000);
        CtaDetail made = work.create(
                new CtaWork.NewCta(account, "risk", "Fix onboarding", "high", 3, null, "from the QBR"), manager());
        String id = made.cta().id().toString();
        // Another CSM may not work it; its own CSM may.
        mvc.perform(post("/api/v1/ctas/{id}/comments", id)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\": \"mine now\"}")
                        .with(user(otherCsm.email()).roles("CSM"))
                        .with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/ctas/{id}/comments", id)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\": \"Called them\"}")
                        .with(user(csm.email()).roles("CSM"))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.history[1].detail.text", is("Called them")));
        send(id, "snooze", "{\"until\": \"%s\", \"reason\": \"x\"}".formatted(LocalDate.now(clock)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("until")));
        send(id, "close", "{\"outcome\": \"won\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("outcome")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("saved")));
        send(id, "reassign", "{\"owner\": \"nobody@example.com\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("owner")));
        send(id, "reassign", "{\"owner\": \"%s\", \"reason\": \"Holiday cover\"}".formatted(otherCsm.email()))
                .andExpect(jsonPath("$.cta.ownerName", is("Olu Other")));
        send(id, "priority", "{\"priority\": \"urgent\"}").andExpect(jsonPath("$.cta.priority", is("urgent")));
        send(id, "close", "{\"outcome\": \"saved\", \"reason\": \"Onboarding fixed\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.cta.status", is("closed")))
                .andExpect(jsonPath("$.cta.outcome", is("saved")))
                .andExpect(jsonPath("$.history[*].kind", hasItem("closed")));
        send(id, "close", "{\"outcome\": \"saved\"}").andExpect(status().isConflict());
        // The account's timeline shows the CTA's life.
        mvc.perform(get("/api/v1/accounts/{id}/timeline", account).param("kinds", "cta"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[*].title", hasItem("CTA closed (saved): Fix onboarding")));
        // A bad list request names its parameter.
        mvc.perform(get("/api/v1/ctas").param("sort", "sideways"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("sort")));
    }

    @Test
    void aDraftWithProblemsCannotBePublishedAndSaysWhere() throws Exception {
        mvc.perform(post("/api/v1/playbooks/{name}/versions", "Broken")
                        .contentType("application/yaml")
                        .content(
                                "name: Broken\ntrigger: {type: health_color, color: purple}\ncta: {type: risk, title: x}\n")
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath("$.problems[0].line", is(2)))
                .andExpect(jsonPath("$.problems[0].field", is("trigger.color")));
        mvc.perform(post("/api/v1/playbooks/{name}/versions/1/publish", "Broken")
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("trigger.color")));
        mvc.perform(post("/api/v1/playbooks/{name}/versions", "Broken")
                        .contentType("application/yaml")
                        .content("name: Broken\n")
                        .with(csrf())
                        .with(user("viewer@example.com").roles("VIEWER")))
                .andExpect(status().isForbidden());
    }

    // ---- helpers ----

    private User manager() {
        return users.createIfAbsent("playbook-manager@example.com", "Pia Manager", Role.MANAGER);
    }

    private void publish(String name, String yaml) throws Exception {
        String saved = mvc.perform(post("/api/v1/playbooks/{name}/versions", name)
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.valid", is(true)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        int version = JsonPath.read(saved, "$.version");
        mvc.perform(post("/api/v1/playbooks/{name}/versions/{version}/publish", name, version)
                        .with(csrf()))
                .andExpect(status().isOk());
    }

    private UUID account(String name, String industry, String owner, int arr) throws Exception {
        return account(name, industry, owner, arr, 100);
    }

    private UUID account(String name, String industry, String owner, int arr, int employees) throws Exception {
        String body = mvc.perform(post("/api/v1/accounts")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"%s\", \"tier\": \"SMB\", \"industry\": \"%s\", \"ownerEmail\": \"%s\","
                                        .formatted(name, industry, owner)
                                + " \"employees\": " + employees + "}")
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        UUID id = UUID.fromString(JsonPath.read(body, "$.id"));
        contract(id, LocalDate.now(clock).minusDays(30), LocalDate.now(clock).plusDays(335), arr);
        return id;
    }

    private void contract(UUID account, LocalDate start, LocalDate end) throws Exception {
        contract(account, start, end, 60_000);
    }

    private void contract(UUID account, LocalDate start, LocalDate end, int arr) throws Exception {
        jdbc.sql("delete from contract where account_id = ?").param(account).update();
        addContract(account, start, end, arr);
    }

    private void addContract(UUID account, LocalDate start, LocalDate end, int arr) throws Exception {
        mvc.perform(post("/api/v1/contracts")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"accountId\": \"%s\", \"startDate\": \"%s\", \"endDate\": \"%s\", \"arr\": %d}"
                                .formatted(account, start, end, arr))
                        .with(csrf()))
                .andExpect(status().isCreated());
    }

    private void turn(Color color, UUID... accounts) {
        turnOn(LocalDate.now(clock), accounts);
    }

    /** Publishes what a scoring run publishes when these accounts' computed health turned Red on the day. */
    private void turnOn(LocalDate day, UUID... accounts) {
        List<HealthColorsChanged.Change> changes = new ArrayList<>();
        for (UUID account : accounts) {
            changes.add(new HealthColorsChanged.Change(new AccountId(account), Color.YELLOW, Color.RED, 30, "Test"));
        }
        transactions.executeWithoutResult(status -> events.publishEvent(new HealthColorsChanged(day, changes)));
    }

    private String awaitCtas(String query, int expected) {
        String[] body = {null};
        await().pollInSameThread().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            body[0] = mvc.perform(get("/api/v1/ctas?scope=all&" + query))
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            assertThat(JsonPath.<List<?>>read(body[0], "$.items")).hasSize(expected);
        });
        return body[0];
    }

    private ResultActions send(String id, String action, String json) throws Exception {
        return mvc.perform(post("/api/v1/ctas/{id}/" + action, id)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .with(csrf()));
    }

    private long count(String sql, UUID account) {
        var statement = jdbc.sql(sql);
        return (account == null ? statement : statement.param(account))
                .query(Long.class)
                .single();
    }

    static Instant at(String text) {
        return Instant.parse(text);
    }
}
