package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Books of business through the API, on a database of their own (published assignment rules give every account an
 * owner): rules with problems at their lines, owners decided by territory and round robin within seconds, assignment
 * by hand and handing back, workload figures, balancing moves that last, and a book moved when a CSM leaves.
 */
@StewardTest
@TestPropertySource(properties = "steward.test.books=own-database")
@WithMockUser(username = "books-manager@example.com", roles = "MANAGER")
class BooksOfBusinessTests {

    static final String RULES = """
            name: Books of business
            teams:
              - key: enterprise
                name: Enterprise
                manager: books-manager@example.com
                members: [ada@example.com, ben@example.com]
              - key: commercial
                name: Commercial
                manager: books-manager@example.com
                members: [cy@example.com]
            territories:
              - key: enterprise
                name: Enterprise accounts
                rule: account.tier == "Enterprise"
                team: enterprise
              - key: rest
                name: Everyone else
                team: commercial
            workload:
              account: 1
              red: 3
              yellow: 1
              renewal: 2
              renewalDays: 90
              per100kArr: 1
            """;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Autowired
    UserManagement users;

    @Test
    void rulesWithProblemsAreRefusedAtTheirLines() throws Exception {
        people();
        String bad = """
                name: Books of business
                teams:
                  - key: enterprise
                    name: Enterprise
                    manager: books-manager@example.com
                    members: [ada@example.com, bne@example.com]
                territories:
                  - key: enterprise
                    name: Enterprise accounts
                    rule: account.tire == "Enterprise"
                    team: enterprize
                  - key: rest
                    name: Everyone else
                    rule: account.arr > 0
                    owners: [viewer@example.com]
                """;
        mvc.perform(post("/api/v1/books/rules/validate")
                        .contentType("application/yaml")
                        .content(bad)
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath("$.problems[0].line", is(6)))
                .andExpect(jsonPath("$.problems[0].field", is("teams[0].members[1]")))
                .andExpect(jsonPath("$.problems[0].reason", containsString("did you mean 'ben@example.com'?")))
                .andExpect(jsonPath("$.problems[1].line", is(10)))
                .andExpect(jsonPath("$.problems[1].field", is("territories[0].rule")))
                .andExpect(jsonPath("$.problems[1].reason", containsString("tier")))
                .andExpect(jsonPath("$.problems[2].line", is(11)))
                .andExpect(jsonPath("$.problems[2].field", is("territories[0].team")))
                .andExpect(jsonPath("$.problems[3].line", is(14)))
                .andExpect(jsonPath("$.problems[3].field", is("territories[1].rule")))
                .andExpect(jsonPath("$.problems[3].reason", containsString("left without an owner")))
                .andExpect(jsonPath("$.problems[4].field", is("territories[1].owners[0]")))
                .andExpect(jsonPath("$.problems[4].reason", containsString("VIEWER")));
        String draft = mvc.perform(post("/api/v1/books/rules/versions")
                        .contentType("application/yaml")
                        .content(bad)
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.valid", is(false)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        int version = JsonPath.read(draft, "$.version");
        mvc.perform(post("/api/v1/books/rules/versions/{v}/publish", version).with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("teams[0].members[1]")));
    }

    @Test
    void ownersFollowTerritoriesAndPeopleMoveThemByHandByBalancingAndWhenTheyLeave() throws Exception {
        Map<String, User> people = people();
        LocalDate today = LocalDate.now(clock);
        // Four enterprise accounts that Ada already owns (kept: she is in the pool), two without owner, and two
        // commercial accounts of which one is recorded as Ada's (not in that pool: it goes to Cy).
        List<String> adas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            adas.add(account(
                    "Books Ent Ada " + i,
                    "Enterprise",
                    people.get("ada").id().toString(),
                    100_000,
                    today.plusDays(200)));
        }
        String entFree1 = account("Books Ent Free 1", "Enterprise", null, 100_000, today.plusDays(200));
        String entFree2 = account("Books Ent Free 2", "Enterprise", null, 100_000, today.plusDays(200));
        String smallAda =
                account("Books SMB Ada", "SMB", people.get("ada").id().toString(), 50_000, today.plusDays(30));
        String small = account("Books SMB", "SMB", null, 50_000, today.plusDays(300));

        // Before any rules, owners are kept as the records have them, with their history.
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> ownedBy(smallAda, people.get("ada"), null, "record"));
        mvc.perform(get("/api/v1/accounts/{id}/owner", smallAda)).andExpect(jsonPath("$.pinned", is(false)));
        // Every account's own evaluation done before the rules come: one left waiting would be decided alone, against
        // territory counts that do not yet hold Ada's accounts (the full evaluation decides them together).
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select count(*) from account_segment_evaluation_request")
                                .query(Long.class)
                                .single()
                        == 0);
        publish(RULES);
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ownedBy(adas.get(0), people.get("ada"), "enterprise", "rule");
            ownedBy(smallAda, people.get("cy"), "rest", "rule");
            ownedBy(small, people.get("cy"), "rest", "rule");
            // Round robin: Ben had none in the territory, so both free accounts go to him.
            ownedBy(entFree1, people.get("ben"), "enterprise", "rule");
            ownedBy(entFree2, people.get("ben"), "enterprise", "rule");
        });
        mvc.perform(get("/api/v1/accounts/{id}", smallAda))
                .andExpect(jsonPath("$.ownerId", is(people.get("cy").id().toString())));
        // Owners moved by the rules are on the audit trail as the evaluation's job entry.
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(jdbc.sql("""
                                        select action || ' ' || actor || ' ' || detail from audit_entry
                                        where target = '/lifecycle' and detail not like '%0 owner changes%'""").query(String.class).list())
                                .anySatisfy(entry -> assertThat(entry)
                                        .startsWith("EVALUATE steward ")
                                        .containsPattern(" [1-9][0-9]* owner changes")));
        // Its history: Ada as the record had it before the rules, then Cy by the rules.
        mvc.perform(get("/api/v1/accounts/{id}/owner", smallAda))
                .andExpect(jsonPath("$.history.length()", is(2)))
                .andExpect(jsonPath("$.history[1].owner.email", is("ada@example.com")))
                .andExpect(jsonPath("$.history[1].cause", is("record")))
                .andExpect(jsonPath("$.history[1].until").exists());
        mvc.perform(get("/api/v1/books/rules"))
                .andExpect(jsonPath("$.territories[0].accounts", is(6)))
                .andExpect(jsonPath("$.territories[1].accounts", is(2)))
                .andExpect(jsonPath("$.teams[0].members[1].email", is("ben@example.com")));

        // Workload: Cy holds two accounts of 50,000 ARR, one renewing within 90 days, none scored:
        // 2 × 1 (account) + 1 × 2 (renewal) + 2 × 0.5 (ARR per 100,000) = 5.
        mvc.perform(get("/api/v1/books/workload"))
                .andExpect(jsonPath("$.owners[?(@.owner.email == 'cy@example.com')].accounts", hasItem(2)))
                .andExpect(jsonPath("$.owners[?(@.owner.email == 'cy@example.com')].renewals", hasItem(1)))
                .andExpect(jsonPath("$.owners[?(@.owner.email == 'cy@example.com')].load", hasItem(5.0)))
                .andExpect(jsonPath("$.owners[?(@.owner.email == 'ada@example.com')].load", hasItem(8.0)))
                .andExpect(jsonPath("$.owners[?(@.owner.email == 'ben@example.com')].load", hasItem(4.0)))
                .andExpect(jsonPath("$.owners[0].owner.email", is("ada@example.com")))
                .andExpect(jsonPath("$.unowned", is(0)));

        // By hand: a reason is required; then Cy holds it against the rules until it is handed back.
        send(put("/api/v1/accounts/{id}/owner", entFree1), "{\"owner\": \"cy@example.com\", \"reason\": \" \"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("reason")));
        send(put("/api/v1/accounts/{id}/owner", entFree1), "{\"owner\": \"cy@exmple.com\", \"reason\": \"x\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason", containsString("did you mean 'cy@example.com'?")));
        send(
                        put("/api/v1/accounts/{id}/owner", entFree1),
                        "{\"owner\": \"cy@example.com\", \"reason\": \"Speaks their language\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.current.owner.email", is("cy@example.com")))
                .andExpect(jsonPath("$.current.cause", is("manual")))
                .andExpect(jsonPath("$.current.reason", is("Speaks their language")))
                .andExpect(jsonPath("$.pinned", is(true)))
                .andExpect(jsonPath("$.history[1].owner.email", is("ben@example.com")));
        rename(entFree1, "Books Ent Free 1 (renamed)");
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .pollInSameThread()
                .untilAsserted(() -> ownedBy(entFree1, people.get("cy"), null, "manual"));
        mvc.perform(delete("/api/v1/accounts/{id}/owner/pin", entFree1).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.current.cause", is("rule")))
                .andExpect(jsonPath("$.current.territory", is("enterprise")))
                .andExpect(jsonPath("$.pinned", is(false)));
        mvc.perform(delete("/api/v1/accounts/{id}/owner/pin", entFree1).with(csrf()))
                .andExpect(status().isUnprocessableContent());

        // Balancing: Ada carries 4 enterprise accounts against Ben's 2 (the hand-back went to Ben, who had fewer): the
        // suggestion narrows the gap, and once applied the rules keep the new owners.
        String suggestion = mvc.perform(get("/api/v1/books/balance").param("territory", "enterprise"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<Map<String, Object>> moves = JsonPath.read(suggestion, "$.moves");
        double before = ((Number) JsonPath.read(suggestion, "$.gapBefore")).doubleValue();
        double after = ((Number) JsonPath.read(suggestion, "$.gapAfter")).doubleValue();
        assertThat(moves).isNotEmpty();
        assertThat(after).isLessThan(before);
        mvc.perform(get("/api/v1/books/balance").param("territory", "enterprse"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason", containsString("did you mean 'enterprise'?")));
        List<Map<String, Object>> apply = new ArrayList<>();
        for (Map<String, Object> move : moves) {
            Map<String, Object> request = new HashMap<>();
            request.put("account", move.get("account"));
            request.put("from", ((Map<?, ?>) move.get("from")).get("id"));
            request.put("to", ((Map<?, ?>) move.get("to")).get("id"));
            apply.add(request);
        }
        String body = new tools.jackson.databind.ObjectMapper()
                .writeValueAsString(Map.of("moves", apply, "reason", "Even out Q1 books"));
        send(post("/api/v1/books/balance"), body)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.moved", is(moves.size())))
                .andExpect(jsonPath("$.skipped.length()", is(0)));
        String moved = (String) moves.get(0).get("account");
        String to = (String) ((Map<?, ?>) moves.get(0).get("to")).get("email");
        mvc.perform(get("/api/v1/accounts/{id}/owner", moved))
                .andExpect(jsonPath("$.current.owner.email", is(to)))
                .andExpect(jsonPath("$.current.cause", is("balance")))
                .andExpect(jsonPath("$.current.reason", is("Even out Q1 books")));
        // Applying the same moves again changes nothing: each is said to be stale.
        send(post("/api/v1/books/balance"), body)
                .andExpect(jsonPath("$.moved", is(0)))
                .andExpect(jsonPath("$.skipped.length()", is(moves.size())));
        rename(moved, "Books balanced (renamed)");
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .pollInSameThread()
                .untilAsserted(() -> mvc.perform(get("/api/v1/accounts/{id}/owner", moved))
                        .andExpect(jsonPath("$.current.owner.email", is(to))));

        // Ada leaves: her book goes by the rules to the rest of each pool (Ben), with the reason.
        send(post("/api/v1/books/reassign"), "{\"from\": \"ada@example.com\", \"reason\": \"\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("reason")));
        send(post("/api/v1/books/reassign"), "{\"from\": \"ada@example.com\", \"reason\": \"Ada leaves in May\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.byOwner['ben@example.com']").exists());
        mvc.perform(get("/api/v1/books/workload"))
                .andExpect(jsonPath("$.owners[?(@.owner.email == 'ada@example.com')].accounts", hasItem(0)));
        // Cy is the only one in the commercial pool: moving Cy's book by rule would leave it with Cy, so nothing moves.
        send(post("/api/v1/books/reassign"), "{\"from\": \"cy@example.com\", \"reason\": \"Cy leaves\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason", containsString("rest")));
        ownedBy(small, people.get("cy"), "rest", "rule");
        send(
                        post("/api/v1/books/reassign"),
                        "{\"from\": \"cy@example.com\", \"to\": \"ben@example.com\", \"reason\": \"Cy leaves\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.byOwner['ben@example.com']", is(2)));
        ownedBy(small, people.get("ben"), null, "manual");

        // An owner changed on the account record itself (by the API, an import, a CRM) is kept as it is.
        String version = JsonPath.read(
                        mvc.perform(get("/api/v1/accounts/" + adas.get(1)))
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        "$.version")
                .toString();
        mvc.perform(put("/api/v1/accounts/" + adas.get(1))
                        .header("If-Match", "\"" + version + "\"")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Books Ent Ada 1\", \"tier\": \"Enterprise\", \"ownerId\": \"%s\"}"
                                .formatted(people.get("cy").id()))
                        .with(csrf()))
                .andExpect(status().isOk());
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> ownedBy(adas.get(1), people.get("cy"), null, "record"));
        mvc.perform(get("/api/v1/accounts/{id}/owner", "00000000-0000-0000-0000-000000000001"))
                .andExpect(status().isNotFound());
    }

    private Map<String, User> people() {
        Map<String, User> people = new HashMap<>();
        users.createIfAbsent("books-manager@example.com", "Books Manager", Role.MANAGER);
        people.put("ada", users.createIfAbsent("ada@example.com", "Ada Lovelace", Role.CSM));
        people.put("ben", users.createIfAbsent("ben@example.com", "Ben Okafor", Role.CSM));
        people.put("cy", users.createIfAbsent("cy@example.com", "Cy Young", Role.CSM));
        users.createIfAbsent("viewer@example.com", "Vi Ewer", Role.VIEWER);
        return people;
    }

    private void publish(String yaml) throws Exception {
        String saved = mvc.perform(post("/api/v1/books/rules/versions")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.valid", is(true)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        int version = JsonPath.read(saved, "$.version");
        mvc.perform(post("/api/v1/books/rules/versions/{v}/publish", version).with(csrf()))
                .andExpect(status().isOk());
    }

    private void ownedBy(String account, User owner, String territory, String cause) throws Exception {
        mvc.perform(get("/api/v1/accounts/{id}/owner", account))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.current.owner.email", is(owner.email())))
                .andExpect(
                        territory == null
                                ? jsonPath("$.current.territory").doesNotExist()
                                : jsonPath("$.current.territory", is(territory)))
                .andExpect(jsonPath("$.current.cause", is(cause)));
    }

    private String account(String name, String tier, String owner, int arr, LocalDate renewal) throws Exception {
        String id = JsonPath.read(
                send(
                                post("/api/v1/accounts"),
                                "{\"name\": \"%s\", \"tier\": \"%s\"%s}"
                                        .formatted(name, tier, owner == null ? "" : ", \"ownerId\": \"" + owner + "\""))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        LocalDate today = LocalDate.now(clock);
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": %d, "seats": 10}""".formatted(id, today.minusDays(200), renewal, arr))
                .andExpect(status().isCreated());
        return id;
    }

    private void rename(String id, String name) throws Exception {
        String body = mvc.perform(get("/api/v1/accounts/" + id))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String version = JsonPath.read(body, "$.version").toString();
        String tier = JsonPath.read(body, "$.tier");
        Object owner = JsonPath.read(body, "$.ownerId");
        mvc.perform(put("/api/v1/accounts/" + id)
                        .header("If-Match", "\"" + version + "\"")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"%s\", \"tier\": \"%s\", \"ownerId\": \"%s\"}"
                                .formatted(name, tier, owner))
                        .with(csrf()))
                .andExpect(status().isOk());
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.contentType(MediaType.APPLICATION_JSON).content(json).with(csrf()));
    }
}
