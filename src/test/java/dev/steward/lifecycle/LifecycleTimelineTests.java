package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.identity.Role;
import dev.steward.identity.UserManagement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Stage moves and owner changes on the account timeline: in time order with the activity facts, filtered by kind and
 * paged with the one cursor, through the API and the account page.
 */
@StewardTest
@WithMockUser(username = "morgan.timeline@example.com", roles = "MANAGER")
class LifecycleTimelineTests {

    /** Kinds nothing else writes while a test pages: health events follow scores, which follow facts. */
    private static final String STEADY_KINDS = "stage,owner,note,ticket,meeting";

    @Autowired
    MockMvc mvc;

    @Autowired
    Clock clock;

    @Autowired
    UserManagement users;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void people() {
        users.createIfAbsent("morgan.timeline@example.com", "Morgan Manager", Role.MANAGER);
        users.createIfAbsent("casey.timeline@example.com", "Casey Csm", Role.CSM);
        users.createIfAbsent("dana.timeline@example.com", "Dana Csm", Role.CSM);
    }

    @Test
    void movesAndOwnerChangesByHandJoinTheTimelineInOrderFilterAndPage() throws Exception {
        LocalDate today = LocalDate.now(clock);
        String account = account("Timeline Moves Co");
        awaitStage(account, "adoption");
        send(post("/api/v1/accounts/{id}/meetings", account), """
                        {"occurredAt": "2026-01-05T09:00:00Z", "type": "kickoff", "title": "Kickoff"}""").andExpect(status().isCreated());
        send(post("/api/v1/accounts/{id}/tickets", account), """
                        {"openedAt": "2026-03-10T12:00:00Z", "subject": "Slow reports"}""").andExpect(status().isCreated());
        send(post("/api/v1/accounts/{id}/notes", account), """
                        {"writtenAt": "2026-03-17T08:00:00Z", "body": "Champion is leaving."}""").andExpect(status().isCreated());

        send(post("/api/v1/accounts/{id}/stage", account), """
                        {"stage": "at_risk", "reason": "Champion left", "holdUntil": "%s"}""".formatted(today.plusDays(14)))
                .andExpect(status().isOk());
        send(put("/api/v1/accounts/{id}/owner", account), """
                        {"owner": "casey.timeline@example.com", "reason": "Casey knows their CTO"}""").andExpect(status().isOk());
        send(put("/api/v1/accounts/{id}/owner", account), """
                        {"owner": "dana.timeline@example.com", "reason": "Dana covers EMEA now"}""").andExpect(status().isOk());

        // All four changes happened at the test clock's instant: they keep the order they were recorded in, owners
        // (one table) before stages (the other), and all above the older facts.
        List<Map<String, Object>> all = items(timeline(account, STEADY_KINDS, 500, null));
        assertThat(all)
                .extracting(e -> e.get("title"))
                .containsExactly(
                        "Came to owner Dana Csm",
                        "Came to owner Casey Csm",
                        "Entered stage At risk",
                        "Entered stage Adoption",
                        "Note",
                        "Slow reports",
                        "Kickoff");
        assertThat(all)
                .extracting(e -> e.get("kind"))
                .containsExactly("owner", "owner", "stage", "stage", "note", "ticket", "meeting");
        assertThat(all.get(0).get("summary"))
                .isEqualTo("from Casey Csm, assigned by hand by Morgan Manager: Dana covers EMEA now");
        // Published assignment rules (another test's) may have given the account an owner first.
        assertThat((String) all.get(1).get("summary"))
                .endsWith("assigned by hand by Morgan Manager: Casey knows their CTO");
        assertThat(all.get(2).get("summary"))
                .isEqualTo("moved by hand by Morgan Manager: Champion left (held until " + today.plusDays(14) + ")");
        assertThat(all.get(3).get("summary")).isEqualTo("by its entry rule");
        assertThat(all.subList(0, 4))
                .extracting(e -> e.get("at"))
                .containsOnly(clock.instant().toString());

        // Every kind, unfiltered: the moves are there too, newest first among whatever else the account has.
        List<Map<String, Object>> everything = items(timeline(account, null, 500, null));
        assertThat(everything)
                .extracting(e -> e.get("title"))
                .containsSubsequence(
                        "Came to owner Dana Csm",
                        "Came to owner Casey Csm",
                        "Entered stage At risk",
                        "Entered stage Adoption",
                        "Note",
                        "Slow reports",
                        "Kickoff");
        assertThat(everything)
                .extracting(e -> Instant.parse((String) e.get("at")))
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());

        // The kind filter takes the new kinds alone or with others.
        assertThat(items(timeline(account, "stage", 500, null)))
                .extracting(e -> e.get("title"))
                .containsExactly("Entered stage At risk", "Entered stage Adoption");
        assertThat(items(timeline(account, "owner,ticket", 500, null)))
                .extracting(e -> e.get("title"))
                .containsExactly("Came to owner Dana Csm", "Came to owner Casey Csm", "Slow reports");

        // Pages of two, and of one, cut through entries of the same instant in both tables and the activity facts:
        // together they are the whole list, nothing lost, nothing twice.
        for (int limit : new int[] {1, 2, 3}) {
            assertThat(allPages(account, STEADY_KINDS, limit))
                    .as("pages of " + limit)
                    .isEqualTo(all);
        }
        assertThat(allPages(account, "stage,owner", 1))
                .extracting(e -> e.get("kind"))
                .containsExactly("owner", "owner", "stage", "stage");

        mvc.perform(get("/api/v1/accounts/{id}/timeline", account).param("kinds", "stages"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("kinds")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("stage")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("owner")));
        mvc.perform(get("/api/v1/accounts/{id}/timeline", account).param("cursor", notesCursor(account)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("cursor")));

        // The account page's timeline offers the kinds and shows the moves.
        mvc.perform(get("/accounts/{id}/timeline", account))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"kind-stage\"")))
                .andExpect(content().string(containsString("id=\"kind-owner\"")))
                .andExpect(content().string(containsString("Entered stage At risk")))
                .andExpect(content().string(containsString("Came to owner Dana Csm")));
        mvc.perform(get("/accounts/{id}/timeline", account).param("kinds", "stage"))
                .andExpect(content().string(containsString("Entered stage Adoption")))
                .andExpect(content().string(not(containsString("Came to owner"))));
    }

    @Test
    void holdsEndedByTheExitRuleStagesLeftForNoneAndAccountsLeftWithoutOwnerAreEntriesToo() throws Exception {
        String account = account("Timeline Exits Co");
        awaitStage(account, "adoption");
        // Stays and ownerships of the past, as the journey's rules and people left them.
        stay(account, "growth", "Growth", "2025-12-01", "2025-12-20", "rule", null, null, null, false);
        stay(account, "onboarding", "Onboarding", "2026-01-01", "2026-02-01", "rule", null, null, null, false);
        stay(
                account,
                "renewal",
                "Renewal",
                "2026-02-01",
                "2026-03-01",
                "manual",
                "Morgan Manager",
                "Negotiating",
                "2026-04-01",
                true);
        String casey = jdbc.sql("select id::text from app_user where email = 'casey.timeline@example.com'")
                .query(String.class)
                .single();
        jdbc.sql("""
                        insert into account_ownership (account_id, owner_id, entered_at, left_at, cause, assigned_by,
                                                       reason, pinned)
                        values (?::uuid, ?::uuid, '2026-01-10T00:00:00Z', '2026-02-15T00:00:00Z', 'manual',
                                'Morgan Manager', 'Casey knows their CTO', true)""").params(account, casey).update();

        List<Map<String, Object>> past = new ArrayList<>();
        for (Map<String, Object> entry : items(timeline(account, "stage,owner", 500, null))) {
            if (Instant.parse((String) entry.get("at")).isBefore(clock.instant())) {
                past.add(entry);
            }
        }
        assertThat(past)
                .extracting(e -> e.get("at") + " " + e.get("kind") + " " + e.get("title") + ": " + e.get("summary"))
                .containsExactly(
                        "2026-03-01T00:00:00Z stage Hold in Renewal ended by its exit rule: moved there by hand by"
                                + " Morgan Manager and held until 2026-04-01; the stage's exit rule held before that"
                                + " day; no entry rule held for it, so it went to no stage",
                        "2026-02-15T00:00:00Z owner No owner: Casey Csm no longer owns it",
                        "2026-02-01T00:00:00Z stage Entered stage Renewal: moved by hand by Morgan Manager:"
                                + " Negotiating (held until 2026-04-01)",
                        "2026-01-10T00:00:00Z owner Came to owner Casey Csm: assigned by hand by Morgan Manager:"
                                + " Casey knows their CTO",
                        "2026-01-01T00:00:00Z stage Entered stage Onboarding: by its entry rule",
                        "2025-12-20T00:00:00Z stage Left stage Growth: no entry rule held for it, so it went to no"
                                + " stage",
                        "2025-12-01T00:00:00Z stage Entered stage Growth: by its entry rule");
        assertThat(allPages(account, "stage,owner", 2)).isEqualTo(items(timeline(account, "stage,owner", 500, null)));
    }

    @Test
    void aMoveByHandOnTheAccountPageHasItsTimelineReload() throws Exception {
        String account = account("Timeline Page Co");
        awaitStage(account, "adoption");
        mvc.perform(post("/accounts/{id}/stage-panel", account)
                        .with(csrf())
                        .param("stage", "at_risk")
                        .param("reason", "Champion left")
                        .param("holdUntil", LocalDate.now(clock).plusDays(7).toString()))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Trigger", LifecyclePages.TIMELINE_CHANGED));
        mvc.perform(post("/accounts/{id}/stage-panel", account)
                        .with(csrf())
                        .param("stage", "at_risk")
                        .param("reason", ""))
                .andExpect(status().isUnprocessableContent())
                .andExpect(header().doesNotExist("HX-Trigger"));
        mvc.perform(post("/accounts/{id}/owner-panel", account)
                        .with(csrf())
                        .param("owner", "casey.timeline@example.com")
                        .param("reason", "Casey knows their CTO"))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Trigger", LifecyclePages.TIMELINE_CHANGED));
        mvc.perform(get("/accounts/{id}", account))
                .andExpect(content().string(containsString("timeline-changed from:body")));
    }

    private List<Map<String, Object>> allPages(String account, String kinds, int limit) throws Exception {
        List<Map<String, Object>> entries = new ArrayList<>();
        String cursor = null;
        do {
            String page = timeline(account, kinds, limit, cursor);
            List<Map<String, Object>> items = items(page);
            assertThat(items.size()).isBetween(1, limit);
            assertThat(entries).as("entries of earlier pages").doesNotContainAnyElementsOf(items);
            entries.addAll(items);
            Map<String, Object> body = JsonPath.read(page, "$");
            cursor = (String) body.get("next");
        } while (cursor != null);
        return entries;
    }

    /** A cursor of the account's list of notes (a per-kind list, not the timeline): the account has one note. */
    private String notesCursor(String account) throws Exception {
        send(post("/api/v1/accounts/{id}/notes", account), """
                        {"writtenAt": "2026-03-16T08:00:00Z", "body": "Another."}""").andExpect(status().isCreated());
        return JsonPath.read(
                mvc.perform(get("/api/v1/accounts/{id}/notes", account).param("limit", "1"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.next");
    }

    private String timeline(String account, String kinds, int limit, String cursor) throws Exception {
        MockHttpServletRequestBuilder request =
                get("/api/v1/accounts/{id}/timeline", account).param("limit", String.valueOf(limit));
        if (kinds != null) {
            request.param("kinds", kinds);
        }
        if (cursor != null) {
            request.param("cursor", cursor);
        }
        return mvc.perform(request)
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    private static List<Map<String, Object>> items(String page) {
        return JsonPath.read(page, "$.items");
    }

    private void stay(
            String account,
            String stage,
            String name,
            String from,
            String until,
            String cause,
            String movedBy,
            String reason,
            String holdUntil,
            boolean endedByExitRule) {
        jdbc.sql("""
                        insert into account_stage (account_id, stage, stage_name, entered_at, left_at, cause, moved_by,
                                                   reason, hold_until, ended_by_exit_rule)
                        values (?::uuid, ?, ?, ?::date::timestamp at time zone 'UTC', ?::date::timestamp at time zone 'UTC',
                                ?, ?, ?, ?::date, ?)""")
                .params(account, stage, name, from, until, cause, movedBy, reason, holdUntil, endedByExitRule)
                .update();
    }

    private void awaitStage(String account, String stage) {
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                        .andExpect(jsonPath("$.current.stage", is(stage))));
    }

    private String account(String name) throws Exception {
        LocalDate today = LocalDate.now(clock);
        String id = JsonPath.read(
                send(post("/api/v1/accounts"), "{\"name\": \"%s\", \"tier\": \"SMB\"}".formatted(name))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 24000, "seats": 10}""".formatted(id, today.minusDays(200), today.plusDays(165)))
                .andExpect(status().isCreated());
        return id;
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.contentType(MediaType.APPLICATION_JSON).content(json).with(csrf()));
    }
}
