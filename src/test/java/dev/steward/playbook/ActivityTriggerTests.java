package dev.steward.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Playbooks fired by accounts' activity, on a database of their own: an NPS detractor recorded through the API becomes
 * a CTA within seconds and a promoter does not; an escalated ticket, a run of tickets and a champion who leaves each
 * make one; the daily evaluation finds invoices unpaid past their due day and accounts nobody met for a while. The
 * same fact seen again makes no second CTA. The clock stands at {@link TestClock#NOW}, Wednesday 18 March 2026.
 */
@StewardTest
@TestPropertySource(properties = "steward.test.activity-triggers=own-database")
@WithMockUser(username = "activity-manager@example.com", roles = "MANAGER")
class ActivityTriggerTests {

    static final String PLAYBOOK = """
            name: %s
            trigger: %s
            when: account.industry == "%s"
            cta:
              type: risk
              title: "%s at {account}"
              slaDays: 2
            tasks:
              - {title: Call them, dueDays: 1, assignee: csm}
            cooldownDays: 30
            """;

    static final Instant NOW = TestClock.NOW;

    @Autowired
    MockMvc mvc;

    @Autowired
    Clock clock;

    @Autowired
    UserManagement users;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlaybookTriggers triggers;

    User csm;

    @BeforeEach
    void people() {
        users.createIfAbsent("activity-manager@example.com", "Ama Manager", Role.MANAGER);
        csm = users.createIfAbsent("activity-csm@example.com", "Cas Csm", Role.CSM);
    }

    @Test
    void anNpsDetractorGetsACtaWithinSecondsOnceAndAPromoterOrAnOldAnswerDoesNot() throws Exception {
        publish("Detractors", PLAYBOOK.formatted("Detractors", "{type: nps, score: detractor}", "At-Nps", "Detractor"));
        UUID detractor = account("Grumpy Co", "At-Nps");
        UUID promoter = account("Happy Co", "At-Nps");
        UUID old = account("Old News Co", "At-Nps");
        String answered = NOW.minus(2, ChronoUnit.HOURS).toString();
        nps(detractor, answered, 3);
        nps(promoter, answered, 10);
        nps(old, NOW.minus(20, ChronoUnit.DAYS).toString(), 2);

        String list = awaitCtas(detractor, 1);
        assertThat(JsonPath.<String>read(list, "$.items[0].title")).isEqualTo("Detractor at Grumpy Co");
        assertThat(JsonPath.<String>read(list, "$.items[0].cause.trigger")).isEqualTo("nps");
        assertThat(JsonPath.<String>read(list, "$.items[0].cause.fact")).isEqualTo("NPS 3 (detractor) on 2026-03-18");
        assertThat(JsonPath.<String>read(list, "$.items[0].ownerName")).isEqualTo("Cas Csm");

        // The same answer recorded again (another copy, the same time) is the same fact: still one CTA, one firing.
        nps(detractor, answered, 3);
        await().pollInSameThread()
                .during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> {
                    assertThat(count("select count(*) from cta where account_id = ?", detractor))
                            .isEqualTo(1);
                    assertThat(count("select count(*) from playbook_firing where account_id = ?", detractor))
                            .isEqualTo(1);
                    assertThat(count("select count(*) from cta where account_id = ?", promoter))
                            .isZero();
                    assertThat(count("select count(*) from cta where account_id = ?", old))
                            .isZero();
                });

        // A draft with the same trigger would fire for the one recent detractor, the copy counted once.
        mvc.perform(post("/api/v1/playbooks/{name}/dry-run", "Detractors draft")
                        .contentType("application/yaml")
                        .content(PLAYBOOK.formatted(
                                "Detractors draft", "{type: nps, score: detractor}", "At-Nps", "Detractor"))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.trigger", is("NPS response from a detractor (0–6)")))
                .andExpect(jsonPath("$.triggered", is(1)))
                .andExpect(jsonPath("$.ctas", is(1)))
                .andExpect(jsonPath("$.sample[0].accountName", is("Grumpy Co")))
                .andExpect(jsonPath("$.replay.reason", containsString("last 14 days")));
    }

    @Test
    void anEscalatedTicketOrARunOfTicketsGetsACta() throws Exception {
        publish(
                "Escalations",
                PLAYBOOK.formatted("Escalations", "{type: ticket_escalated}", "At-Ticket", "Escalation"));
        publish(
                "Busy support",
                PLAYBOOK.formatted("Busy support", "{type: tickets, count: 3, days: 7}", "At-Ticket", "Many tickets"));
        UUID escalated = account("Escalated Co", "At-Ticket");
        UUID calm = account("Calm Co", "At-Ticket");
        ticket(escalated, NOW.minus(3, ChronoUnit.HOURS), true);
        ticket(calm, NOW.minus(3, ChronoUnit.HOURS), false);
        ticket(calm, NOW.minus(2, ChronoUnit.DAYS), false);

        String list = awaitCtas(escalated, 1);
        assertThat(JsonPath.<String>read(list, "$.items[0].title")).isEqualTo("Escalation at Escalated Co");
        assertThat(JsonPath.<String>read(list, "$.items[0].cause.fact"))
                .isEqualTo("Ticket opened on 2026-03-18 escalated, unresolved");

        // Two tickets in a week are not yet three; the third (opened 6 days ago, imported now) makes them so.
        assertThat(count("select count(*) from cta where account_id = ?", calm)).isZero();
        ticket(calm, NOW.minus(6, ChronoUnit.DAYS), false);
        list = awaitCtas(calm, 1);
        assertThat(JsonPath.<String>read(list, "$.items[0].title")).isEqualTo("Many tickets at Calm Co");
        assertThat(JsonPath.<String>read(list, "$.items[0].cause.fact"))
                .isEqualTo("3 tickets opened in the last 7 days (3 or more fire it)");
    }

    @Test
    void aChampionWhoLeavesGetsACtaAndAnotherRoleLeavingDoesNot() throws Exception {
        publish(
                "Champions",
                PLAYBOOK.formatted("Champions", "{type: contact_left, role: champion}", "At-Contact", "New champion"));
        UUID account = account("Changing Co", "At-Contact");
        String champion = contact(account, "Chris Champion", "champion");
        String user = contact(account, "Uma User", "end_user");
        leave(user, "2026-03-17");
        await().pollInSameThread()
                .during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(count("select count(*) from cta where account_id = ?", account))
                        .isZero());

        leave(champion, "2026-03-17");
        String list = awaitCtas(account, 1);
        assertThat(JsonPath.<String>read(list, "$.items[0].title")).isEqualTo("New champion at Changing Co");
        assertThat(JsonPath.<String>read(list, "$.items[0].cause.fact"))
                .isEqualTo("Champion Chris Champion (chris.champion@example.com) left on 2026-03-17");
    }

    @Test
    void theDailyEvaluationFindsInvoicesUnpaidPastTheirDueDayAndAccountsNobodyMet() throws Exception {
        LocalDate today = LocalDate.now(clock);
        UUID late = account("Late Payer", "At-Daily");
        UUID recent = account("Recently Due", "At-Daily");
        UUID paid = account("Paid Late", "At-Daily");
        invoice(late, today.minusDays(45), today.minusDays(15), null);
        invoice(recent, today.minusDays(35), today.minusDays(5), null);
        invoice(paid, today.minusDays(60), today.minusDays(30), today.minusDays(20));
        meeting(late, NOW.minus(10, ChronoUnit.DAYS));
        meeting(recent, NOW.minus(45, ChronoUnit.DAYS));

        String overdue =
                PLAYBOOK.formatted("Overdue", "{type: invoice_overdue, days: 10}", "At-Daily", "Unpaid invoice");
        mvc.perform(post("/api/v1/playbooks/{name}/dry-run", "Overdue")
                        .contentType("application/yaml")
                        .content(overdue)
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.trigger", is("An invoice unpaid 10 days after it is due")))
                .andExpect(jsonPath("$.ctas", is(1)))
                .andExpect(jsonPath("$.sample[0].accountName", is("Late Payer")))
                .andExpect(jsonPath("$.sample[0].fact", containsString("is unpaid 15 days later")));
        publish("Overdue", overdue);
        publish("Quiet", PLAYBOOK.formatted("Quiet", "{type: no_meeting, days: 30}", "At-Daily", "No meeting"));

        triggers.evaluateDaily();
        triggers.evaluateDaily();

        assertThat(ctas(late)).containsExactly("Unpaid invoice at Late Payer");
        assertThat(ctas(recent)).containsExactly("No meeting at Recently Due");
        assertThat(ctas(paid)).containsExactly("No meeting at Paid Late");
        assertThat(jdbc.sql("select cause ->> 'fact' from cta where account_id = ?")
                        .param(recent)
                        .query(String.class)
                        .single())
                .isEqualTo("No meeting since 2026-02-01 (45 days)");
        assertThat(jdbc.sql("select cause ->> 'fact' from cta where account_id = ?")
                        .param(paid)
                        .query(String.class)
                        .single())
                .isEqualTo("No meeting on record");
        assertThat(count(
                        "select count(*) from playbook_firing f join playbook p on p.id = f.playbook_id"
                                + " where p.name in ('Overdue', 'Quiet') and f.account_id = ?",
                        late))
                .isEqualTo(1);
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

    private UUID account(String name, String industry) throws Exception {
        String body = send(post("/api/v1/accounts"), """
                        {"name": "%s", "tier": "SMB", "industry": "%s", "ownerEmail": "%s"}""".formatted(name, industry, csm.email()))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        UUID id = UUID.fromString(JsonPath.read(body, "$.id"));
        LocalDate today = LocalDate.now(clock);
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 20000}""".formatted(id, today.minusDays(200), today.plusDays(165)))
                .andExpect(status().isCreated());
        return id;
    }

    private void nps(UUID account, String respondedAt, int score) throws Exception {
        send(post("/api/v1/accounts/{id}/survey-responses", account), """
                        {"respondedAt": "%s", "kind": "nps", "score": %d, "respondentEmail": "r@example.com"}""".formatted(respondedAt, score))
                .andExpect(status().isCreated());
    }

    private void ticket(UUID account, Instant openedAt, boolean escalated) throws Exception {
        send(post("/api/v1/accounts/{id}/tickets", account), """
                        {"openedAt": "%s", "subject": "It broke", "escalated": %s}""".formatted(openedAt, escalated))
                .andExpect(status().isCreated());
    }

    private String contact(UUID account, String name, String role) throws Exception {
        String body = send(post("/api/v1/contacts"), """
                        {"accountId": "%s", "name": "%s", "email": "%s@example.com", "role": "%s",
                         "joinedAt": "2024-03-01"}""".formatted(
                                account, name, name.toLowerCase().replace(' ', '.'), role))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        return JsonPath.read(body, "$.id");
    }

    private void leave(String contact, String day) throws Exception {
        send(patch("/api/v1/contacts/{id}", contact).header("If-Match", "\"0\""), """
                        {"leftAt": "%s"}""".formatted(day))
                .andExpect(status().isOk());
    }

    private void invoice(UUID account, LocalDate issued, LocalDate due, LocalDate paidOn) throws Exception {
        send(post("/api/v1/accounts/{id}/invoices", account), """
                        {"issuedOn": "%s", "dueOn": "%s", %s "amount": 1200, "status": "%s"}""".formatted(
                                issued,
                                due,
                                paidOn == null ? "" : "\"paidOn\": \"" + paidOn + "\",",
                                paidOn == null ? "open" : "paid"))
                .andExpect(status().isCreated());
    }

    private void meeting(UUID account, Instant at) throws Exception {
        send(post("/api/v1/accounts/{id}/meetings", account), """
                        {"occurredAt": "%s", "type": "check_in", "title": "Check-in"}""".formatted(at)).andExpect(status().isCreated());
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.contentType(MediaType.APPLICATION_JSON).content(json).with(csrf()));
    }

    private String awaitCtas(UUID account, int expected) {
        String[] body = {null};
        await().pollInSameThread().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            body[0] = mvc.perform(get("/api/v1/ctas?scope=all&account=" + account))
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            assertThat(JsonPath.<List<?>>read(body[0], "$.items")).hasSize(expected);
        });
        return body[0];
    }

    private List<String> ctas(UUID account) {
        return jdbc.sql("select title from cta where account_id = ? order by title")
                .param(account)
                .query(String.class)
                .list();
    }

    private long count(String sql, UUID account) {
        return jdbc.sql(sql).param(account).query(Long.class).single();
    }
}
