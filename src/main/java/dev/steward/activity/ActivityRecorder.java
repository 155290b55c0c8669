package dev.steward.activity;

import dev.steward.core.BulkResult;
import dev.steward.core.BulkResult.RecordResult;
import dev.steward.core.BulkUpserts;
import dev.steward.core.BulkUpserts.Candidate;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.Page;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.BulkAccountNames;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Records activity facts about accounts, one at a time or in bulk, and lists them; the activity module's API for
 * writing. Bulk writes are idempotent upserts by external id within a source, one statement per batch, and publish
 * one {@link ActivityRecorded} per account and kind that changed.
 */
@Service
public class ActivityRecorder {

    /** The source that external ids belong to when a client names none. */
    public static final String DEFAULT_SOURCE = "api";

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final dev.steward.core.PageLimit LIMIT = new dev.steward.core.PageLimit(DEFAULT_LIMIT, MAX_LIMIT);

    private final Facts facts;
    private final AccountManagement accounts;
    private final BulkUpserts bulk;
    private final Validator validator;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ActivityRecorder(
            Facts facts,
            AccountManagement accounts,
            BulkUpserts bulk,
            Validator validator,
            ApplicationEventPublisher events,
            Clock clock) {
        this.facts = facts;
        this.accounts = accounts;
        this.bulk = bulk;
        this.validator = validator;
        this.events = events;
        this.clock = clock;
    }

    public BulkResult upsertTickets(String source, List<TicketInput> records, boolean atomic) {
        return upsert(ActivityKinds.TICKETS, source, records, atomic);
    }

    public BulkResult upsertInvoices(String source, List<InvoiceInput> records, boolean atomic) {
        return upsert(ActivityKinds.INVOICES, source, records, atomic);
    }

    public BulkResult upsertMeetings(String source, List<MeetingInput> records, boolean atomic) {
        return upsert(ActivityKinds.MEETINGS, source, records, atomic);
    }

    public BulkResult upsertSurveyResponses(String source, List<SurveyResponseInput> records, boolean atomic) {
        return upsert(ActivityKinds.SURVEY_RESPONSES, source, records, atomic);
    }

    public BulkResult upsertNotes(String source, List<NoteInput> records, boolean atomic) {
        return upsert(ActivityKinds.NOTES, source, records, atomic);
    }

    public BulkResult upsertChurnEvents(String source, List<ChurnEventInput> records, boolean atomic) {
        return upsert(ActivityKinds.CHURN_EVENTS, source, records, atomic);
    }

    public BulkResult upsertSentiments(String source, List<SentimentInput> records, boolean atomic) {
        return upsert(ActivityKinds.SENTIMENTS, source, records, atomic);
    }

    /** Records what happened to accounts' health for their timelines; idempotent by external id. */
    public BulkResult upsertHealthEvents(String source, List<HealthEventInput> records, boolean atomic) {
        return upsert(ActivityKinds.HEALTH_EVENTS, source, records, atomic);
    }

    /**
     * Removes tickets that their source deleted (or merged into others), by external id; ids of no stored ticket are
     * passed over. Announces one {@link ActivityRecorded} per account that lost a ticket, so that its health is
     * computed again. Answers how many tickets were removed.
     */
    @Transactional
    public int removeTickets(String source, java.util.Collection<String> externalIds) {
        List<Facts.Removed> removed = facts.remove(ActivityKinds.TICKETS, source, externalIds);
        Map<AccountId, Instant> touched = new HashMap<>();
        removed.forEach(r -> touched.merge(new AccountId(r.accountId()), r.at(), (a, b) -> a.isAfter(b) ? a : b));
        touched.forEach(
                (account, at) -> events.publishEvent(new ActivityRecorded(account, ActivityRecorded.TICKET, at)));
        return removed.size();
    }

    // Through the proxy, so that the fact and its ActivityRecorded event commit together.
    @Transactional
    public Ticket recordTicket(AccountId account, TicketInput input) {
        return record(ActivityKinds.TICKETS, account, input);
    }

    // Through the proxy, so that the fact and its ActivityRecorded event commit together.
    @Transactional
    public Invoice recordInvoice(AccountId account, InvoiceInput input) {
        return record(ActivityKinds.INVOICES, account, input);
    }

    // Through the proxy, so that the fact and its ActivityRecorded event commit together.
    @Transactional
    public Meeting recordMeeting(AccountId account, MeetingInput input) {
        return record(ActivityKinds.MEETINGS, account, input);
    }

    // Through the proxy, so that the fact and its ActivityRecorded event commit together.
    @Transactional
    public SurveyResponse recordSurveyResponse(AccountId account, SurveyResponseInput input) {
        return record(ActivityKinds.SURVEY_RESPONSES, account, input);
    }

    // Through the proxy, so that the fact and its ActivityRecorded event commit together.
    @Transactional
    public Note recordNote(AccountId account, NoteInput input) {
        return record(ActivityKinds.NOTES, account, input);
    }

    // Through the proxy, so that the fact and its ActivityRecorded event commit together.
    @Transactional
    public ChurnEvent recordChurnEvent(AccountId account, ChurnEventInput input) {
        return record(ActivityKinds.CHURN_EVENTS, account, input);
    }

    // Through the proxy, so that the fact and its ActivityRecorded event commit together.
    @Transactional
    public Sentiment recordSentiment(AccountId account, SentimentInput input) {
        return record(ActivityKinds.SENTIMENTS, account, input);
    }

    public Page<Ticket> tickets(AccountId account, Integer limit, String cursor) {
        return list(ActivityKinds.TICKETS, account, limit, cursor);
    }

    public Page<Invoice> invoices(AccountId account, Integer limit, String cursor) {
        return list(ActivityKinds.INVOICES, account, limit, cursor);
    }

    public Page<Meeting> meetings(AccountId account, Integer limit, String cursor) {
        return list(ActivityKinds.MEETINGS, account, limit, cursor);
    }

    public Page<SurveyResponse> surveyResponses(AccountId account, Integer limit, String cursor) {
        return list(ActivityKinds.SURVEY_RESPONSES, account, limit, cursor);
    }

    public Page<Note> notes(AccountId account, Integer limit, String cursor) {
        return list(ActivityKinds.NOTES, account, limit, cursor);
    }

    public Page<ChurnEvent> churnEvents(AccountId account, Integer limit, String cursor) {
        return list(ActivityKinds.CHURN_EVENTS, account, limit, cursor);
    }

    public Page<Sentiment> sentiments(AccountId account, Integer limit, String cursor) {
        return list(ActivityKinds.SENTIMENTS, account, limit, cursor);
    }

    static int effectiveLimit(Integer limit) {
        return LIMIT.of(limit);
    }

    <I extends ActivityInput, R> BulkResult upsert(
            FactTable<I, R> table, String source, List<I> records, boolean atomic) {
        return bulk.upsert(
                records,
                Set.of(),
                atomic,
                ActivityInput::externalId,
                input -> bulkRules(table, input),
                candidates -> write(table, source, candidates));
    }

    <I extends ActivityInput, R> BulkResult upsert(
            FactTable<I, R> table, String source, JsonNode body, boolean atomic) {
        return bulk.upsert(
                body,
                atomic,
                table.inputType(),
                ActivityInput::externalId,
                input -> bulkRules(table, input),
                candidates -> write(table, source, candidates));
    }

    /** Records one fact for an account; an external id, if given, makes it an upsert in the default source. */
    @Transactional
    <I extends ActivityInput, R> R record(FactTable<I, R> table, AccountId account, I input) {
        accounts.get(account);
        List<FieldError> errors = new ArrayList<>();
        validator
                .validate(input)
                .forEach(v -> errors.add(FieldError.of(v.getPropertyPath().toString(), v.getMessage())));
        errors.addAll(table.rules().apply(input));
        if (input.accountId() != null && !input.accountId().equals(account.value())) {
            errors.add(FieldError.of("accountId", "differs from the account in the path (" + account + ")"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        UUID id = Ids.newId();
        Facts.Row<I> row = new Facts.Row<>(id, account.value(), input.externalId(), input);
        Facts.Written written =
                facts.upsert(table, DEFAULT_SOURCE, List.of(row)).get(input.externalId());
        UUID stored = written == null ? id : written.id();
        if (written == null || written.status() != BulkResult.Status.unchanged) {
            events.publishEvent(
                    new ActivityRecorded(account, table.kind(), table.at().apply(input)));
        }
        return facts.find(table, stored, today()).orElseThrow();
    }

    <R> Page<R> list(FactTable<?, R> table, AccountId account, Integer limit, String cursor) {
        int size = effectiveLimit(limit);
        accounts.get(account);
        return facts.list(table, account.value(), size, cursor, today());
    }

    private LocalDate today() {
        return LocalDate.now(clock);
    }

    private static <I extends ActivityInput> List<FieldError> bulkRules(FactTable<I, ?> table, I input) {
        List<FieldError> errors = new ArrayList<>(table.rules().apply(input));
        if (input.externalId() == null || input.externalId().isBlank()) {
            errors.add(FieldError.of("externalId", "is required in a bulk upsert"));
        }
        BulkAccountNames.checkNamedOnce(input.accountId(), input.accountExternalId(), errors);
        return errors;
    }

    private <I extends ActivityInput> List<RecordResult> write(
            FactTable<I, ?> table, String source, List<Candidate<I>> candidates) {
        Set<AccountId> known = accounts.existing(candidates.stream()
                .map(c -> c.record().accountId())
                .filter(Objects::nonNull)
                .map(AccountId::new)
                .distinct()
                .toList());
        Map<String, AccountId> resolved = accounts.resolve(
                source,
                candidates.stream()
                        .map(c -> c.record().accountExternalId())
                        .filter(Objects::nonNull)
                        .distinct()
                        .toList());
        List<RecordResult> results = new ArrayList<>(candidates.size());
        List<Facts.Row<I>> rows = new ArrayList<>(candidates.size());
        List<Candidate<I>> accepted = new ArrayList<>(candidates.size());
        for (Candidate<I> candidate : candidates) {
            I input = candidate.record();
            AccountId account;
            if (input.accountId() != null) {
                account = known.contains(new AccountId(input.accountId())) ? new AccountId(input.accountId()) : null;
                if (account == null) {
                    results.add(RecordResult.rejected(
                            candidate.index(),
                            candidate.externalId(),
                            List.of(FieldError.of("accountId", "no account with id " + input.accountId()))));
                    continue;
                }
            } else {
                account = resolved.get(input.accountExternalId());
                if (account == null) {
                    results.add(RecordResult.rejected(
                            candidate.index(),
                            candidate.externalId(),
                            List.of(FieldError.of(
                                    "accountExternalId",
                                    "no account has external id '" + input.accountExternalId() + "' in source '"
                                            + source + "'"))));
                    continue;
                }
            }
            rows.add(new Facts.Row<>(Ids.newId(), account.value(), candidate.externalId(), input));
            accepted.add(candidate);
        }
        Map<String, Facts.Written> written = facts.upsert(table, source, rows);
        Map<AccountId, Instant> touched = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Candidate<I> candidate = accepted.get(i);
            Facts.Written outcome = written.get(candidate.externalId());
            results.add(RecordResult.stored(candidate.index(), candidate.externalId(), outcome.status(), outcome.id()));
            if (outcome.status() != BulkResult.Status.unchanged) {
                Instant at = table.at().apply(candidate.record());
                touched.merge(new AccountId(rows.get(i).accountId()), at, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        touched.forEach((account, at) -> events.publishEvent(new ActivityRecorded(account, table.kind(), at)));
        return results;
    }
}
