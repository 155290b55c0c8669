package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * An account's data leaves with it: after deleting an account that has data in every module, no table holds a row
 * of it. The tables are found from the database (every table with an {@code account_id} column), so a module that
 * adds one is held to the same rule; the account must have a row in each of them before it is deleted, so that this
 * test shows how such rows arise. Child accounts stay, as top-level accounts.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
class AccountDeletionTests {

    /** Tables of work that drains in the background: their rows come and go while the test runs. */
    private static final Set<String> QUEUES = Set.of(
            "health_rescore_request",
            "account_segment_evaluation_request",
            "playbook_activity_request",
            "insight_alert_request");

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Autowired
    dev.steward.identity.UserManagement users;

    @Test
    void deletingAnAccountLeavesNoRowOfItInAnyModuleAndItsChildrenStandAlone() throws Exception {
        LocalDate today = LocalDate.now(clock);
        String doomed = accountFromSegment("doomed", today);
        String child =
                create("/api/v1/accounts", "{\"name\": \"Doomed Subsidiary\", \"parentId\": \"%s\"}".formatted(doomed));
        String kept = create("/api/v1/accounts", "{\"name\": \"Kept Co\", \"tier\": \"SMB\"}");
        for (String account : List.of(doomed, kept)) {
            giveItDataInEveryModule(account, today);
        }
        // An NPS survey emailed to the champions: an invitation for each account's.
        String survey = create("/api/v1/surveys", "{\"name\": \"Deletion survey\", \"roles\": [\"champion\"]}");
        send(post("/api/v1/surveys/{id}/send", survey), "").andExpect(status().isOk());
        // An email journey for the champions of accounts renewing within two years: each account's champion enters it
        // at publication and gets its email at the journey's next round (outreach_enrolment, outreach_send and the
        // timeline's outreach_event).
        mvc.perform(post("/api/v1/outreach/journeys/{name}/versions", "Deletion journey")
                        .contentType("application/yaml")
                        .content(
                                "name: Deletion journey\naudience: {roles: [champion]}\n"
                                        + "trigger: {type: renewal, days: 730}\n"
                                        + "steps:\n  - email: {subject: \"Hello {{contact}}\", text: \"Hello from {{csm}}.\"}\n")
                        .with(csrf()))
                .andExpect(status().isCreated());
        send(post("/api/v1/outreach/journeys/{name}/versions/1/publish", "Deletion journey"), "")
                .andExpect(status().isOk());
        // A journey entered when logins cross below a line: its publication records which side each account with
        // usage is on (outreach_crossing).
        mvc.perform(post("/api/v1/outreach/journeys/{name}/versions", "Deletion crossing")
                        .contentType("application/yaml")
                        .content("name: Deletion crossing\ntrigger: {measure: logins, crosses: below, value: 1}\n"
                                + "steps:\n  - email: {subject: \"Hello\", text: \"Hello.\"}\n")
                        .with(csrf()))
                .andExpect(status().isCreated());
        send(post("/api/v1/outreach/journeys/{name}/versions/1/publish", "Deletion crossing"), "")
                .andExpect(status().isOk());
        send(post("/api/v1/health/rescore"), "").andExpect(status().isOk());
        // A playbook fired by Red: the override below makes a CTA for the account, with its firing.
        mvc.perform(post("/api/v1/playbooks/{name}/versions", "Deletion red")
                        .contentType("application/yaml")
                        .content("name: Deletion red\ntrigger: {type: health_color, color: red}\n"
                                + "cta: {type: risk, title: \"{account} is Red\"}\n")
                        .with(csrf()))
                .andExpect(status().isCreated());
        send(post("/api/v1/playbooks/{name}/versions/1/publish", "Deletion red"), "")
                .andExpect(status().isOk());
        // An alert rule on Red: the override below is a crossing, kept as the account's state and a firing.
        users.createIfAbsent("deletion-alerts@example.com", "Deletion Alerts", dev.steward.identity.Role.ADMIN);
        mvc.perform(
                        post("/api/v1/insight/alerts")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("""
                                {"name": "Deletion alert", "kind": "account", "condition": "health.color == \\"red\\"",
                                 "scope": "all", "channels": ["in_app"]}""")
                                .with(org.springframework.security.test.web.servlet.request
                                        .SecurityMockMvcRequestPostProcessors.user("deletion-alerts@example.com")
                                        .roles("ADMIN"))
                                .with(csrf()))
                .andExpect(status().isCreated());
        send(post("/api/v1/accounts/" + doomed + "/health/override"), """
                        {"color": "red", "reason": "Champion left last week", "expiresOn": "%s"}""".formatted(today.plusDays(14)))
                .andExpect(status().isCreated());
        // A CSM's disagreement with the score the model computed, kept with the account.
        String computed = JsonPath.read(
                mvc.perform(get("/api/v1/accounts/" + doomed + "/health"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.computedColor");
        send(post("/api/v1/accounts/" + doomed + "/health/disagreements"), """
                        {"color": "%s", "reason": "Renewal signed early"}""".formatted(
                                "green".equals(computed) ? "red" : "green"))
                .andExpect(status().isCreated());
        send(post("/api/v1/data-quality/refresh"), "").andExpect(status().isOk());
        mvc.perform(post("/api/v1/segments/{name}/versions", "Deletion test")
                        .contentType("application/yaml")
                        .content("name: Deletion test\ntype: static\n")
                        .with(csrf()))
                .andExpect(status().isCreated());
        send(post("/api/v1/segments/{name}/versions/1/publish", "Deletion test"), "")
                .andExpect(status().isOk());
        send(
                        post("/api/v1/segments/{name}/members", "Deletion test"),
                        "{\"accountIds\": [\"%s\", \"%s\"]}".formatted(doomed, kept))
                .andExpect(status().isOk());
        users.createIfAbsent("deletion-owner@example.com", "Deletion Owner", dev.steward.identity.Role.CSM);
        send(put("/api/v1/accounts/{id}/owner", doomed), """
                        {"owner": "deletion-owner@example.com", "reason": "Named account"}""").andExpect(status().isOk());
        // Its owner opened its page (kept for the adoption figures).
        mvc.perform(get("/accounts/{id}", doomed)
                        .with(SecurityMockMvcRequestPostProcessors.user("deletion-owner@example.com")
                                .roles("CSM")))
                .andExpect(status().isOk());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("select count(*) from cta where account_id = ?::uuid")
                                .param(doomed)
                                .query(Long.class)
                                .single()
                        == 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("""
                                        select (select count(*) from insight_alert_firing where account_id = ?::uuid)
                                             * (select count(*) from insight_alert_state where account_id = ?::uuid)""")
                                .param(doomed)
                                .param(doomed)
                                .query(Long.class)
                                .single()
                        > 0);
        // The journey's round runs every minute (steward.outreach.advance-interval).
        await().atMost(Duration.ofMinutes(3))
                .until(() -> jdbc.sql("""
                                        select (select count(*) from outreach_send where account_id = ?::uuid)
                                             * (select count(*) from outreach_event where account_id = ?::uuid)""")
                                .param(doomed)
                                .param(doomed)
                                .query(Long.class)
                                .single()
                        > 0);
        // Segment membership follows the writes above in the background: let it settle before counting rows.
        settleSegmentMembership();

        Map<String, Long> before = rowsOf(doomed);
        assertThat(before)
                .as("rows of the account in each table with an account_id, before it is deleted")
                .isNotEmpty()
                .allSatisfy((table, rows) -> {
                    if (!QUEUES.contains(table)) {
                        assertThat(rows).as(table).isPositive();
                    }
                });
        Map<String, Long> keptBefore = rowsOf(kept);

        String version = JsonPath.read(
                        mvc.perform(get("/api/v1/accounts/" + doomed))
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        "$.version")
                .toString();
        mvc.perform(delete("/api/v1/accounts/" + doomed)
                        .header("If-Match", "\"" + version + "\"")
                        .with(csrf()))
                .andExpect(status().isNoContent());

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(rowsOf(doomed))
                        .as("rows of the deleted account left in each table")
                        .allSatisfy((table, rows) -> assertThat(rows).as(table).isZero()));
        Map<String, Long> keptAfter = rowsOf(kept);
        keptAfter.keySet().removeAll(QUEUES);
        keptBefore.keySet().removeAll(QUEUES);
        assertThat(keptAfter)
                .as("rows of another account (work queues aside: they drain in the background)")
                .isEqualTo(keptBefore);
        String childAfter = mvc.perform(get("/api/v1/accounts/" + child))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(JsonPath.<Object>read(childAfter, "$.name")).isEqualTo("Doomed Subsidiary");
        assertThat(childAfter).doesNotContain("parentId");
        assertThat(JsonPath.<Integer>read(childAfter, "$.version"))
                .as("the child's version, so that an edit made on its old parent link is refused")
                .isEqualTo(1);
    }

    /**
     * Waits until no membership work is left (requests, jobs, after-commit listeners); if some is still there after
     * 30 s, fails naming it, with the last error of each job.
     */
    private void settleSegmentMembership() {
        String outstanding = """
                select 'request for ' || account_id from account_segment_evaluation_request
                union all
                select 'job ' || task_instance || ' failures=' || consecutive_failures || ' picked=' || picked
                  from scheduled_tasks where task_name = 'segments-evaluate-all'
                union all
                select 'publication ' || listener_id || ' ' || coalesce(status, '') || ' ' || event_type
                  from event_publication where completion_date is null and listener_id like '%SegmentListeners%'""";
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            jdbc.sql(outstanding).query(String.class).list().isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "Segment membership did not settle in 30 s: "
                            + jdbc.sql(outstanding).query(String.class).list(),
                    e);
        }
    }

    /** An account created by a Segment group call, with usage counted from a track call. */
    private String accountFromSegment(String groupId, LocalDate today) throws Exception {
        send(post("/api/v1/sources"), """
                        {"name": "deletion-test", "kind": "segment", "settings": {"events": {"Signed In": "logins"},
                         "traits": {"name": "name", "plan": "tier"}}}""").andExpect(status().isCreated());
        String key = JsonPath.read(
                send(post("/api/v1/sources/deletion-test/write-keys"), "{\"name\": \"test\"}")
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.writeKey");
        mvc.perform(post("/v1/batch")
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"batch": [
                                  {"type": "group", "userId": "u1", "groupId": "%1$s", "timestamp": "%2$sT09:00:00Z",
                                   "traits": {"name": "Doomed Co", "plan": "SMB"}},
                                  {"type": "track", "userId": "u1", "event": "Signed In", "timestamp": "%2$sT09:01:00Z",
                                   "context": {"groupId": "%1$s"}}
                                ]}""".formatted(groupId, today.minusDays(1))))
                .andExpect(status().isOk());
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> jdbc.sql("""
                                        select e.account_id::text from account_external_id e
                                         where e.source = 'deletion-test' and e.external_id = ?
                                           and exists (select 1 from segment_usage_daily u
                                                        where u.account_id = e.account_id)""")
                                .param(groupId)
                                .query(String.class)
                                .optional()
                                .orElse(null),
                        id -> id != null);
    }

    private void giveItDataInEveryModule(String account, LocalDate today) throws Exception {
        String at = today.minusDays(2) + "T10:00:00Z";
        send(post("/api/v1/accounts/{id}/milestones/{m}", account, "kickoff"), "{\"note\": \"Kick-off held\"}")
                .andExpect(status().isOk());
        create(
                "/api/v1/contacts",
                "{\"accountId\": \"%s\", \"name\": \"Pat\", \"role\": \"champion\", \"email\": \"pat-%s@example.com\"}"
                        .formatted(account, account));
        create("/api/v1/contracts", """
                {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 24000, "seats": 10}""".formatted(account, today.minusMonths(6), today.plusMonths(6)));
        create("/api/v1/opportunities", """
                {"accountId": "%s", "name": "Upsell", "type": "expansion", "stage": "negotiation"}""".formatted(account));
        String facts = "/api/v1/accounts/" + account;
        create(facts + "/tickets", "{\"openedAt\": \"%s\", \"subject\": \"Export fails\"}".formatted(at));
        create(facts + "/invoices", """
                {"issuedOn": "%s", "dueOn": "%s", "amount": 6000, "status": "open"}""".formatted(today.minusDays(10), today.plusDays(20)));
        create(facts + "/meetings", "{\"occurredAt\": \"%s\", \"type\": \"qbr\", \"title\": \"QBR\"}".formatted(at));
        create(facts + "/survey-responses", "{\"respondedAt\": \"%s\", \"kind\": \"nps\", \"score\": 8}".formatted(at));
        create(facts + "/notes", "{\"writtenAt\": \"%s\", \"body\": \"Renewal looks likely\"}".formatted(at));
        create(facts + "/churn-events", """
                {"churnedOn": "%s", "reasonCategory": "budget", "reason": "Lost a product line"}""".formatted(today.minusYears(2)));
        create(facts + "/sentiments", "{\"recordedAt\": \"%s\", \"score\": 4, \"reason\": \"Happy\"}".formatted(at));
        send(
                        post(facts + "/usage"),
                        "[{\"day\": \"%s\", \"metric\": \"logins\", \"value\": 3}]".formatted(today.minusDays(1)))
                .andExpect(status().isOk());
        send(post("/api/v1/account-attributes/bulk"), """
                        {"records": [{"accountId": "%s", "name": "tenure_months", "asOf": "%s", "value": 14}]}""".formatted(account, today.minusDays(1)))
                .andExpect(status().isOk());
        send(post("/api/v1/churn-labels/bulk"), """
                        {"records": [{"accountId": "%s", "snapshot": "deletion", "asOf": "%s", "horizonDays": 30,
                                      "churned": false}]}""".formatted(account, today.minusDays(40)))
                .andExpect(status().isOk());
    }

    /** Rows of the account in each table that has an account_id column. */
    private Map<String, Long> rowsOf(String account) {
        List<String> tables = jdbc.sql("""
                        select c.table_name from information_schema.columns c
                          join information_schema.tables t using (table_schema, table_name)
                         where c.table_schema = current_schema() and c.column_name = 'account_id'
                           and t.table_type = 'BASE TABLE'
                         order by 1""").query(String.class).list();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : tables) {
            rows.put(
                    table,
                    jdbc.sql("select count(*) from " + table + " where account_id = ?::uuid")
                            .param(account)
                            .query(Long.class)
                            .single());
        }
        return rows;
    }

    private String create(String path, String json) throws Exception {
        return JsonPath.read(
                send(post(path), json)
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.contentType(MediaType.APPLICATION_JSON).content(json).with(csrf()));
    }
}
