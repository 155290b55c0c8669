package dev.steward.activity;

import dev.steward.core.BulkResult;
import dev.steward.core.Page;
import dev.steward.customer.AccountId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1")
@Tag(
        name = "Activity",
        description = "Tickets, invoices, meetings, surveys, notes, churn events, CSM sentiment and the timeline")
class ActivityController {

    private static final String BULK_DESCRIPTION =
            "Body: {\"records\": [...]}, each with externalId and the account as accountId or accountExternalId"
                    + " (in the same source). 200 when all were stored, 207 when some were rejected (see results),"
                    + " 422 with atomic=true when any was rejected (then nothing is stored).";

    private final ActivityRecorder recorder;
    private final Timeline timeline;

    ActivityController(ActivityRecorder recorder, Timeline timeline) {
        this.recorder = recorder;
        this.timeline = timeline;
    }

    @GetMapping("/accounts/{id}/timeline")
    @Operation(
            summary = "An account's facts of every kind, newest first",
            description =
                    "kinds: comma-separated (ticket, invoice, meeting, survey_response, note, churn_event, sentiment,"
                            + " health_event, stage, owner; all when absent); page with the cursor from 'next'."
                            + " stage: entered a lifecycle stage, by its entry rule or moved by hand (by whom, why, held"
                            + " until when), a hold ended by the stage's exit rule, left for no stage; owner: came to an"
                            + " owner (by the assignment rules, a balancing move, by hand, or as the account record has"
                            + " it), or left without one.")
    Page<TimelineEntry> timeline(
            @PathVariable UUID id,
            @RequestParam(required = false) String kinds,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        Set<String> wanted = kinds == null
                ? Set.of()
                : Arrays.stream(kinds.split(","))
                        .map(String::trim)
                        .filter(k -> !k.isEmpty())
                        .collect(Collectors.toSet());
        return timeline.forAccount(new AccountId(id), wanted, limit, cursor);
    }

    @PostMapping("/accounts/{id}/tickets")
    @Operation(summary = "Record a support ticket for an account")
    ResponseEntity<Ticket> createTickets(@PathVariable UUID id, @RequestBody TicketInput input) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(recorder.record(ActivityKinds.TICKETS, new AccountId(id), input));
    }

    @GetMapping("/accounts/{id}/tickets")
    @Operation(summary = "List an account's support tickets, newest first")
    Page<Ticket> listTickets(
            @PathVariable UUID id,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return recorder.list(ActivityKinds.TICKETS, new AccountId(id), limit, cursor);
    }

    @PostMapping("/tickets/bulk")
    @Operation(summary = "Create or update up to 10,000 support tickets by external id", description = BULK_DESCRIPTION)
    ResponseEntity<BulkResult> bulkTickets(
            @RequestParam(defaultValue = ActivityRecorder.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return recorder.upsert(ActivityKinds.TICKETS, source, body, atomic).toResponse();
    }

    @PostMapping("/accounts/{id}/invoices")
    @Operation(summary = "Record an invoice for an account")
    ResponseEntity<Invoice> createInvoices(@PathVariable UUID id, @RequestBody InvoiceInput input) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(recorder.record(ActivityKinds.INVOICES, new AccountId(id), input));
    }

    @GetMapping("/accounts/{id}/invoices")
    @Operation(summary = "List an account's invoices, newest first")
    Page<Invoice> listInvoices(
            @PathVariable UUID id,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return recorder.list(ActivityKinds.INVOICES, new AccountId(id), limit, cursor);
    }

    @PostMapping("/invoices/bulk")
    @Operation(summary = "Create or update up to 10,000 invoices by external id", description = BULK_DESCRIPTION)
    ResponseEntity<BulkResult> bulkInvoices(
            @RequestParam(defaultValue = ActivityRecorder.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return recorder.upsert(ActivityKinds.INVOICES, source, body, atomic).toResponse();
    }

    @PostMapping("/accounts/{id}/meetings")
    @Operation(summary = "Record a meeting for an account")
    ResponseEntity<Meeting> createMeetings(@PathVariable UUID id, @RequestBody MeetingInput input) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(recorder.record(ActivityKinds.MEETINGS, new AccountId(id), input));
    }

    @GetMapping("/accounts/{id}/meetings")
    @Operation(summary = "List an account's meetings, newest first")
    Page<Meeting> listMeetings(
            @PathVariable UUID id,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return recorder.list(ActivityKinds.MEETINGS, new AccountId(id), limit, cursor);
    }

    @PostMapping("/meetings/bulk")
    @Operation(summary = "Create or update up to 10,000 meetings by external id", description = BULK_DESCRIPTION)
    ResponseEntity<BulkResult> bulkMeetings(
            @RequestParam(defaultValue = ActivityRecorder.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return recorder.upsert(ActivityKinds.MEETINGS, source, body, atomic).toResponse();
    }

    @PostMapping("/accounts/{id}/survey-responses")
    @Operation(summary = "Record a survey response for an account")
    ResponseEntity<SurveyResponse> createSurveyResponses(
            @PathVariable UUID id, @RequestBody SurveyResponseInput input) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(recorder.record(ActivityKinds.SURVEY_RESPONSES, new AccountId(id), input));
    }

    @GetMapping("/accounts/{id}/survey-responses")
    @Operation(summary = "List an account's survey responses, newest first")
    Page<SurveyResponse> listSurveyResponses(
            @PathVariable UUID id,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return recorder.list(ActivityKinds.SURVEY_RESPONSES, new AccountId(id), limit, cursor);
    }

    @PostMapping("/survey-responses/bulk")
    @Operation(
            summary = "Create or update up to 10,000 survey responses by external id",
            description = BULK_DESCRIPTION)
    ResponseEntity<BulkResult> bulkSurveyResponses(
            @RequestParam(defaultValue = ActivityRecorder.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return recorder.upsert(ActivityKinds.SURVEY_RESPONSES, source, body, atomic)
                .toResponse();
    }

    @PostMapping("/accounts/{id}/notes")
    @Operation(summary = "Record a note for an account")
    ResponseEntity<Note> createNotes(@PathVariable UUID id, @RequestBody NoteInput input) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(recorder.record(ActivityKinds.NOTES, new AccountId(id), input));
    }

    @GetMapping("/accounts/{id}/notes")
    @Operation(summary = "List an account's notes, newest first")
    Page<Note> listNotes(
            @PathVariable UUID id,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return recorder.list(ActivityKinds.NOTES, new AccountId(id), limit, cursor);
    }

    @PostMapping("/notes/bulk")
    @Operation(summary = "Create or update up to 10,000 notes by external id", description = BULK_DESCRIPTION)
    ResponseEntity<BulkResult> bulkNotes(
            @RequestParam(defaultValue = ActivityRecorder.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return recorder.upsert(ActivityKinds.NOTES, source, body, atomic).toResponse();
    }

    @PostMapping("/accounts/{id}/churn-events")
    @Operation(summary = "Record a churn event for an account")
    ResponseEntity<ChurnEvent> createChurnEvents(@PathVariable UUID id, @RequestBody ChurnEventInput input) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(recorder.record(ActivityKinds.CHURN_EVENTS, new AccountId(id), input));
    }

    @GetMapping("/accounts/{id}/churn-events")
    @Operation(summary = "List an account's churn events, newest first")
    Page<ChurnEvent> listChurnEvents(
            @PathVariable UUID id,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return recorder.list(ActivityKinds.CHURN_EVENTS, new AccountId(id), limit, cursor);
    }

    @PostMapping("/churn-events/bulk")
    @Operation(summary = "Create or update up to 10,000 churn events by external id", description = BULK_DESCRIPTION)
    ResponseEntity<BulkResult> bulkChurnEvents(
            @RequestParam(defaultValue = ActivityRecorder.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return recorder.upsert(ActivityKinds.CHURN_EVENTS, source, body, atomic).toResponse();
    }

    @PostMapping("/accounts/{id}/sentiments")
    @Operation(
            summary = "Record a CSM's sentiment about an account",
            description = "score from 1 (very negative) to 5 (very positive); reason is required.")
    ResponseEntity<Sentiment> createSentiments(@PathVariable UUID id, @RequestBody SentimentInput input) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(recorder.record(ActivityKinds.SENTIMENTS, new AccountId(id), input));
    }

    @GetMapping("/accounts/{id}/sentiments")
    @Operation(summary = "List an account's CSM sentiments, newest first")
    Page<Sentiment> listSentiments(
            @PathVariable UUID id,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return recorder.list(ActivityKinds.SENTIMENTS, new AccountId(id), limit, cursor);
    }

    @PostMapping("/sentiments/bulk")
    @Operation(summary = "Create or update up to 10,000 CSM sentiments by external id", description = BULK_DESCRIPTION)
    ResponseEntity<BulkResult> bulkSentiments(
            @RequestParam(defaultValue = ActivityRecorder.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return recorder.upsert(ActivityKinds.SENTIMENTS, source, body, atomic).toResponse();
    }
}
