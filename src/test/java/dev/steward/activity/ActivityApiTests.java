package dev.steward.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.BulkResult;
import dev.steward.core.StewardTest;
import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@StewardTest
@WithMockUser(roles = "ADMIN")
class ActivityApiTests {

    /**
     * The activity kinds: the accounts here also enter lifecycle stages by rule within seconds, which the timeline
     * shows too (see {@code LifecycleTimelineTests}).
     */
    private static final String ACTIVITY_KINDS = String.join(",", ActivityKinds.BY_KIND.keySet());

    @Autowired
    MockMvc mvc;

    @Autowired
    ActivityRecorder recorder;

    @Autowired
    RecordedEvents events;

    /** Collects published activity events so tests can see what a listener (the health module) would receive. */
    @org.springframework.boot.test.context.TestComponent
    static class RecordedEvents {
        final List<ActivityRecorded> received = new java.util.concurrent.CopyOnWriteArrayList<>();

        @EventListener
        void on(ActivityRecorded event) {
            received.add(event);
        }
    }

    @org.springframework.boot.test.context.TestConfiguration
    @org.springframework.context.annotation.Import(RecordedEvents.class)
    static class Events {}

    @Test
    void recordsAndListsEachKindNewestFirst() throws Exception {
        String account = account("Kinds Co", "KINDS");
        send(post("/api/v1/accounts/" + account + "/tickets"), """
                        {"openedAt": "2025-03-01T10:00:00Z", "resolvedAt": "2025-03-02T10:00:00Z",
                         "subject": "Cannot export", "priority": "high", "status": "solved", "csat": 4}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.subject", is("Cannot export")))
                .andExpect(jsonPath("$.escalated", is(false)));
        send(post("/api/v1/accounts/" + account + "/tickets"), """
                        {"openedAt": "2025-04-01T10:00:00Z", "subject": "Login loop"}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.priority", is("normal")))
                .andExpect(jsonPath("$.status", is("open")));
        mvc.perform(get("/api/v1/accounts/" + account + "/tickets"))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andExpect(jsonPath("$.items[0].subject", is("Login loop")));

        send(post("/api/v1/accounts/" + account + "/invoices"), """
                        {"issuedOn": "2025-01-01", "dueOn": "2025-01-31", "paidOn": "2025-02-10",
                         "amount": 1200.50, "status": "paid"}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.currency", is("USD")))
                .andExpect(jsonPath("$.daysLate", is(10)));
        send(post("/api/v1/accounts/" + account + "/invoices"), """
                        {"issuedOn": "2024-01-01", "dueOn": "2024-01-31", "amount": 10, "status": "void"}""")
                .andExpect(jsonPath("$.status", is("void")))
                .andExpect(jsonPath("$.daysLate", is(0)));
        send(post("/api/v1/accounts/" + account + "/meetings"), """
                        {"occurredAt": "2025-02-01T15:00:00Z", "type": "qbr", "title": "Q1 business review",
                         "attendees": ["ann@acme.test", "Bob"], "executiveSponsorAttended": true}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.attendees[1]", is("Bob")));
        send(post("/api/v1/accounts/" + account + "/survey-responses"), """
                        {"respondedAt": "2025-02-03T09:00:00Z", "kind": "nps", "score": 9,
                         "respondentEmail": "ann@acme.test"}""").andExpect(status().isCreated());
        send(post("/api/v1/accounts/" + account + "/notes"), """
                        {"writtenAt": "2025-02-04T09:00:00Z", "body": "Champion is moving to another team."}""").andExpect(status().isCreated());
        send(post("/api/v1/accounts/" + account + "/churn-events"), """
                        {"churnedOn": "2025-06-30", "reasonCategory": "competitor", "reason": "Moved to a rival",
                         "arrLost": 48000}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.reasonCategory", is("competitor")));
        for (String kind : List.of("invoices", "meetings", "survey-responses", "notes", "churn-events")) {
            mvc.perform(get("/api/v1/accounts/" + account + "/" + kind))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.items[0].accountId", is(account)));
        }
        mvc.perform(get("/api/v1/accounts/" + UUID.randomUUID() + "/notes")).andExpect(status().isNotFound());
    }

    @Test
    void invalidFactsAreRefusedNamingTheField() throws Exception {
        String account = account("Invalid Co", "INVALID");
        send(post("/api/v1/accounts/" + account + "/tickets"), """
                        {"openedAt": "2025-03-02T10:00:00Z", "resolvedAt": "2025-03-01T10:00:00Z", "subject": "x"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("resolvedAt")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("must not be before openedAt")));
        send(post("/api/v1/accounts/" + account + "/survey-responses"), """
                        {"respondedAt": "2025-02-03T09:00:00Z", "kind": "nps", "score": 11}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("score")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("0 to 10")));
        send(post("/api/v1/accounts/" + account + "/invoices"), """
                        {"issuedOn": "2025-01-01", "dueOn": "2024-12-31", "amount": -5}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors", hasSize(2)))
                .andExpect(jsonPath("$.detail", containsString("amount")))
                .andExpect(jsonPath("$.detail", containsString("dueOn")));
        send(post("/api/v1/accounts/" + account + "/meetings"), """
                        {"occurredAt": "2025-02-01T15:00:00Z", "type": "party", "title": "x"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("type")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("qbr")));
        mvc.perform(get("/api/v1/accounts/" + account + "/timeline?kinds=" + ACTIVITY_KINDS))
                .andExpect(jsonPath("$.items", hasSize(0)));
    }

    @Test
    void bulkUpsertStoresValidRecordsRejectsOthersAndIsIdempotent() throws Exception {
        String account = account("Bulk Co", "BULK-1");
        events.received.clear();
        String batch = """
                {"records": [
                  {"externalId": "T-1", "accountExternalId": "BULK-1", "openedAt": "2025-01-01T00:00:00Z",
                   "subject": "One", "escalated": true},
                  {"externalId": "T-2", "accountId": "%s", "openedAt": "2025-01-02T00:00:00Z", "subject": "Two"},
                  {"externalId": "T-3", "accountExternalId": "NOPE", "openedAt": "2025-01-03T00:00:00Z",
                   "subject": "Three"},
                  {"externalId": "T-4", "accountExternalId": "BULK-1", "openedAt": "2025-01-04T00:00:00Z",
                   "resolvedAt": "2024-12-31T00:00:00Z", "subject": "Four"}
                ]}""".formatted(account);
        send(post("/api/v1/tickets/bulk?source=zendesk"), batch)
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.created", is(2)))
                .andExpect(jsonPath("$.rejected", is(2)))
                .andExpect(jsonPath("$.results[2].errors[0].field", is("accountExternalId")))
                .andExpect(jsonPath("$.results[2].errors[0].reason", containsString("'NOPE' in source 'zendesk'")))
                .andExpect(jsonPath("$.results[3].errors[0].field", is("resolvedAt")))
                .andExpect(jsonPath("$.results[3].errors[0].externalId", is("T-4")));
        assertThat(events.received)
                .containsExactly(new ActivityRecorded(
                        new AccountId(UUID.fromString(account)), "ticket", Instant.parse("2025-01-02T00:00:00Z")));

        events.received.clear();
        send(post("/api/v1/tickets/bulk?source=zendesk"), batch)
                .andExpect(jsonPath("$.created", is(0)))
                .andExpect(jsonPath("$.updated", is(0)))
                .andExpect(jsonPath("$.unchanged", is(2)));
        assertThat(events.received).isEmpty();

        send(post("/api/v1/tickets/bulk?source=zendesk"), """
                        {"records": [{"externalId": "T-1", "accountExternalId": "BULK-1",
                          "openedAt": "2025-01-01T00:00:00Z", "subject": "One, renamed"}]}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.updated", is(1)));
        mvc.perform(get("/api/v1/accounts/" + account + "/tickets"))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andExpect(jsonPath("$.items[1].subject", is("One, renamed")))
                .andExpect(jsonPath("$.items[1].escalated", is(false)))
                .andExpect(jsonPath("$.items[1].externalId", is("T-1")));
    }

    @Test
    void sentimentIsRecordedListedOnTheTimelineAndUpsertedIdempotently() throws Exception {
        String account = account("Sentiment Co", "SENT-1");
        events.received.clear();
        send(post("/api/v1/accounts/" + account + "/sentiments"), """
                        {"recordedAt": "2025-05-01T09:00:00Z", "score": 2, "reason": "Champion left"}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.score", is(2)))
                .andExpect(jsonPath("$.reason", is("Champion left")))
                .andExpect(jsonPath("$.source", is("api")));
        assertThat(events.received)
                .containsExactly(new ActivityRecorded(
                        new AccountId(UUID.fromString(account)), "sentiment", Instant.parse("2025-05-01T09:00:00Z")));
        send(post("/api/v1/accounts/" + account + "/sentiments"), """
                        {"recordedAt": "2025-06-01T09:00:00Z", "score": 4, "reason": "New sponsor engaged"}""").andExpect(status().isCreated());
        mvc.perform(get("/api/v1/accounts/" + account + "/sentiments"))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andExpect(jsonPath("$.items[0].score", is(4)));
        mvc.perform(get("/api/v1/accounts/" + account + "/timeline?kinds=sentiment"))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andExpect(jsonPath("$.items[1].kind", is("sentiment")))
                .andExpect(jsonPath("$.items[1].title", is("CSM sentiment 2/5")))
                .andExpect(jsonPath("$.items[1].summary", is("Champion left")));

        send(post("/api/v1/accounts/" + account + "/sentiments"), """
                        {"recordedAt": "2025-05-01T09:00:00Z", "score": 6, "reason": "Great"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("score")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("1 to 5")));
        send(post("/api/v1/accounts/" + account + "/sentiments"), """
                        {"recordedAt": "2025-05-01T09:00:00Z", "score": 3, "reason": "  "}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("reason")));

        String batch = """
                {"records": [
                  {"externalId": "S-1", "accountExternalId": "SENT-1", "recordedAt": "2025-07-01T00:00:00Z",
                   "score": 5, "reason": "Expanding"},
                  {"externalId": "S-2", "accountExternalId": "SENT-1", "recordedAt": "2025-07-02T00:00:00Z",
                   "score": 0, "reason": "Out of range"}
                ]}""";
        send(post("/api/v1/sentiments/bulk?source=zendesk"), batch)
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.created", is(1)))
                .andExpect(jsonPath("$.results[1].errors[0].field", is("score")));
        send(post("/api/v1/sentiments/bulk?source=zendesk"), batch)
                .andExpect(jsonPath("$.created", is(0)))
                .andExpect(jsonPath("$.unchanged", is(1)));
        assertThat(recorder.upsertSentiments(
                                "zendesk",
                                List.of(new SentimentInput(
                                        "S-1",
                                        UUID.fromString(account),
                                        null,
                                        null,
                                        Instant.parse("2025-07-01T00:00:00Z"),
                                        5,
                                        "Expanding")),
                                false)
                        .unchanged())
                .isEqualTo(1);
        mvc.perform(get("/api/v1/accounts/" + account + "/sentiments"))
                .andExpect(jsonPath("$.items", hasSize(3)))
                .andExpect(jsonPath("$.items[0].externalId", is("S-1")));
    }

    @Test
    void atomicBulkWritesNothingWhenAnyRecordIsRejected() throws Exception {
        String account = account("Atomic Co", "ATOMIC-1");
        send(post("/api/v1/survey-responses/bulk?source=zendesk&atomic=true"), """
                        {"records": [
                          {"externalId": "S-1", "accountExternalId": "ATOMIC-1", "respondedAt": "2025-01-01T00:00:00Z",
                           "kind": "csat", "score": 5},
                          {"externalId": "S-2", "accountExternalId": "ATOMIC-1", "respondedAt": "2025-01-02T00:00:00Z",
                           "kind": "csat", "score": 6}
                        ]}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].index", is(1)))
                .andExpect(jsonPath("$.errors[0].field", is("score")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("1 to 5")));
        send(post("/api/v1/churn-events/bulk?source=zendesk&atomic=true"), """
                        {"records": [
                          {"externalId": "C-1", "accountExternalId": "ATOMIC-1", "churnedOn": "2025-01-01",
                           "reasonCategory": "budget"},
                          {"externalId": "C-2", "accountExternalId": "GHOST", "churnedOn": "2025-01-02",
                           "reasonCategory": "budget"}
                        ]}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("accountExternalId")));
        mvc.perform(get("/api/v1/accounts/" + account + "/timeline?kinds=" + ACTIVITY_KINDS))
                .andExpect(jsonPath("$.items", hasSize(0)));
    }

    @Test
    void typedBulkMethodsWriteTenThousandRecordsInOneGoAndRepeatAsUnchanged() {
        String account = account("Loader Co", "LOADER-1");
        List<NoteInput> notes = new ArrayList<>();
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < 10_000; i++) {
            notes.add(new NoteInput("N-" + i, null, "LOADER-1", null, start.plusSeconds(60L * i), "note " + i));
        }
        BulkResult first = recorder.upsertNotes("demo", notes, true);
        assertThat(first.created()).isEqualTo(10_000);
        BulkResult again = recorder.upsertNotes("demo", notes, true);
        assertThat(again.unchanged()).isEqualTo(10_000);
        assertThat(recorder.notes(new AccountId(UUID.fromString(account)), 1, null)
                        .items()
                        .get(0)
                        .body())
                .isEqualTo("note 9999");
    }

    @Test
    void timelineMergesKindsNewestFirstFiltersAndPages() throws Exception {
        String account = account("Timeline Co", "TL-1");
        send(post("/api/v1/accounts/" + account + "/tickets"), """
                        {"openedAt": "2025-01-10T12:00:00Z", "subject": "Slow reports", "escalated": true}""");
        send(post("/api/v1/accounts/" + account + "/invoices"), """
                        {"issuedOn": "2025-01-20", "dueOn": "2025-02-19", "amount": 5000, "currency": "EUR"}""");
        send(post("/api/v1/accounts/" + account + "/notes"), """
                        {"writtenAt": "2025-01-15T08:00:00Z", "body": "Renewal looks safe."}""");
        send(post("/api/v1/accounts/" + account + "/churn-events"), """
                        {"churnedOn": "2025-03-01", "reasonCategory": "budget"}""");
        send(post("/api/v1/accounts/" + account + "/meetings"), """
                        {"occurredAt": "2025-01-05T09:00:00Z", "type": "kickoff", "title": "Kickoff"}""");

        mvc.perform(get("/api/v1/accounts/" + account + "/timeline?kinds=" + ACTIVITY_KINDS))
                .andExpect(jsonPath("$.items", hasSize(5)))
                .andExpect(jsonPath("$.items[0].kind", is("churn_event")))
                .andExpect(jsonPath("$.items[0].title", is("Churned: budget")))
                .andExpect(jsonPath("$.items[1].kind", is("invoice")))
                .andExpect(jsonPath("$.items[1].title", is("Invoice 5,000.00 EUR")))
                .andExpect(jsonPath("$.items[1].at", is("2025-01-20T00:00:00Z")))
                .andExpect(jsonPath("$.items[2].kind", is("note")))
                .andExpect(jsonPath("$.items[3].kind", is("ticket")))
                .andExpect(jsonPath("$.items[3].summary", containsString("escalated")))
                .andExpect(jsonPath("$.items[4].kind", is("meeting")));

        mvc.perform(get("/api/v1/accounts/" + account + "/timeline?kinds=ticket,meeting"))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andExpect(jsonPath("$.items[0].title", is("Slow reports")))
                .andExpect(jsonPath("$.items[1].title", is("Kickoff")));

        String first = mvc.perform(get("/api/v1/accounts/" + account + "/timeline?limit=2&kinds=" + ACTIVITY_KINDS))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String second = mvc.perform(get("/api/v1/accounts/" + account + "/timeline?limit=2&kinds=" + ACTIVITY_KINDS
                        + "&cursor=" + JsonPath.read(first, "$.next")))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andExpect(jsonPath("$.items[0].kind", is("note")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        mvc.perform(get("/api/v1/accounts/" + account + "/timeline?limit=2&kinds=" + ACTIVITY_KINDS + "&cursor="
                        + JsonPath.read(second, "$.next")))
                .andExpect(jsonPath("$.items", hasSize(1)))
                .andExpect(jsonPath("$.items[0].kind", is("meeting")))
                .andExpect(jsonPath("$.next").doesNotExist());

        mvc.perform(get("/api/v1/accounts/" + account + "/timeline?kinds=fax"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("kinds")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("ticket")));
    }

    private String account(String name, String externalId) {
        try {
            String body = send(
                            post("/api/v1/accounts"),
                            "{\"name\": \"%s\", \"externalIds\": {\"zendesk\": \"%s\", \"demo\": \"%s\"}}"
                                    .formatted(name, externalId, externalId))
                    .andExpect(status().isCreated())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            return JsonPath.read(body, "$.id");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(json));
    }
}
