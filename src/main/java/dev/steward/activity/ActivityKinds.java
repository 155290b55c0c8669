package dev.steward.activity;

import dev.steward.core.FieldError;
import dev.steward.customer.AccountId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;

/** The kinds of activity Steward records, each described once for storage, validation and the timeline. */
final class ActivityKinds {

    private ActivityKinds() {}

    static final FactTable<TicketInput, Ticket> TICKETS = new FactTable<>(
            ActivityRecorded.TICKET,
            "ticket",
            TicketInput.class,
            "opened_at",
            false,
            "subject",
            "priority || ' priority, ' || status || case when escalated then ', escalated' else '' end",
            List.of(
                    new FactTable.Column<>("opened_at", "timestamptz", TicketInput::openedAt),
                    new FactTable.Column<>("first_response_at", "timestamptz", TicketInput::firstResponseAt),
                    new FactTable.Column<>("resolved_at", "timestamptz", TicketInput::resolvedAt),
                    new FactTable.Column<>("subject", "text", TicketInput::subject),
                    new FactTable.Column<>("priority", "text", TicketInput::priority),
                    new FactTable.Column<>("status", "text", TicketInput::status),
                    new FactTable.Column<>("escalated", "boolean", TicketInput::escalated),
                    new FactTable.Column<>("csat", "smallint", TicketInput::csat)),
            TicketInput::openedAt,
            ActivityKinds::ticketRules,
            (rs, today, json) -> new Ticket(
                    id(rs),
                    account(rs),
                    rs.getString("source"),
                    rs.getString("external_id"),
                    instant(rs, "opened_at"),
                    instant(rs, "first_response_at"),
                    instant(rs, "resolved_at"),
                    rs.getString("subject"),
                    Ticket.Priority.valueOf(rs.getString("priority")),
                    Ticket.Status.valueOf(rs.getString("status")),
                    rs.getBoolean("escalated"),
                    rs.getObject("csat", Integer.class)));

    static final FactTable<InvoiceInput, Invoice> INVOICES = new FactTable<>(
            "invoice",
            "invoice",
            InvoiceInput.class,
            "issued_on",
            true,
            "'Invoice ' || to_char(amount, 'FM999,999,999,990.00') || ' ' || currency",
            "status || case when paid_on is not null then ', paid ' || paid_on else ', due ' || due_on end",
            List.of(
                    new FactTable.Column<>("issued_on", "date", InvoiceInput::issuedOn),
                    new FactTable.Column<>("due_on", "date", InvoiceInput::dueOn),
                    new FactTable.Column<>("paid_on", "date", InvoiceInput::paidOn),
                    new FactTable.Column<>("amount", "numeric", InvoiceInput::amount),
                    new FactTable.Column<>("currency", "text", InvoiceInput::currency),
                    new FactTable.Column<>("status", "text", InvoiceInput::status)),
            i -> midnight(i.issuedOn()),
            ActivityKinds::invoiceRules,
            (rs, today, json) -> {
                LocalDate dueOn = date(rs, "due_on");
                LocalDate paidOn = date(rs, "paid_on");
                Invoice.Status status = enumOf(Invoice.Status.class, rs.getString("status"));
                return new Invoice(
                        id(rs),
                        account(rs),
                        rs.getString("source"),
                        rs.getString("external_id"),
                        date(rs, "issued_on"),
                        dueOn,
                        paidOn,
                        rs.getBigDecimal("amount"),
                        rs.getString("currency"),
                        status,
                        Invoice.daysLate(dueOn, paidOn, status, today));
            });

    static final FactTable<MeetingInput, Meeting> MEETINGS = new FactTable<>(
            "meeting",
            "meeting",
            MeetingInput.class,
            "occurred_at",
            false,
            "title",
            "replace(type, '_', ' ') || ', ' || jsonb_array_length(attendees) || ' attendees'"
                    + " || case when executive_sponsor_attended then ', executive sponsor attended' else '' end",
            List.of(
                    new FactTable.Column<>("occurred_at", "timestamptz", MeetingInput::occurredAt),
                    new FactTable.Column<>("type", "text", MeetingInput::type),
                    new FactTable.Column<>("title", "text", MeetingInput::title),
                    new FactTable.Column<>("attendees", "jsonb", MeetingInput::attendees),
                    new FactTable.Column<>(
                            "executive_sponsor_attended", "boolean", MeetingInput::executiveSponsorAttended),
                    new FactTable.Column<>("notes", "text", MeetingInput::notes)),
            MeetingInput::occurredAt,
            input -> List.of(),
            (rs, today, json) -> new Meeting(
                    id(rs),
                    account(rs),
                    rs.getString("source"),
                    rs.getString("external_id"),
                    instant(rs, "occurred_at"),
                    Meeting.Type.valueOf(rs.getString("type")),
                    rs.getString("title"),
                    json.readValue(rs.getString("attendees"), new TypeReference<List<String>>() {}),
                    rs.getBoolean("executive_sponsor_attended"),
                    rs.getString("notes")));

    static final FactTable<SurveyResponseInput, SurveyResponse> SURVEY_RESPONSES = new FactTable<>(
            ActivityRecorded.SURVEY_RESPONSE,
            "survey_response",
            SurveyResponseInput.class,
            "responded_at",
            false,
            "upper(kind) || ' ' || score",
            "coalesce(comment, respondent_email, '')",
            List.of(
                    new FactTable.Column<>("responded_at", "timestamptz", SurveyResponseInput::respondedAt),
                    new FactTable.Column<>("kind", "text", SurveyResponseInput::kind),
                    new FactTable.Column<>("score", "smallint", SurveyResponseInput::score),
                    new FactTable.Column<>("comment", "text", SurveyResponseInput::comment),
                    new FactTable.Column<>("respondent_email", "text", SurveyResponseInput::respondentEmail)),
            SurveyResponseInput::respondedAt,
            ActivityKinds::surveyRules,
            (rs, today, json) -> new SurveyResponse(
                    id(rs),
                    account(rs),
                    rs.getString("source"),
                    rs.getString("external_id"),
                    instant(rs, "responded_at"),
                    SurveyResponse.Kind.valueOf(rs.getString("kind")),
                    rs.getInt("score"),
                    rs.getString("comment"),
                    rs.getString("respondent_email")));

    static final FactTable<NoteInput, Note> NOTES = new FactTable<>(
            "note",
            "note",
            NoteInput.class,
            "written_at",
            false,
            "'Note'",
            "left(body, 200)",
            List.of(
                    new FactTable.Column<>("author_id", "uuid", NoteInput::authorId),
                    new FactTable.Column<>("written_at", "timestamptz", NoteInput::writtenAt),
                    new FactTable.Column<>("body", "text", NoteInput::body)),
            NoteInput::writtenAt,
            input -> List.of(),
            (rs, today, json) -> new Note(
                    id(rs),
                    account(rs),
                    rs.getString("source"),
                    rs.getString("external_id"),
                    rs.getObject("author_id", UUID.class),
                    instant(rs, "written_at"),
                    rs.getString("body")));

    static final FactTable<ChurnEventInput, ChurnEvent> CHURN_EVENTS = new FactTable<>(
            "churn_event",
            "churn_event",
            ChurnEventInput.class,
            "churned_on",
            true,
            "'Churned: ' || replace(reason_category, '_', ' ')",
            "coalesce(reason, '') || case when arr_lost is not null"
                    + " then ' (ARR lost ' || to_char(arr_lost, 'FM999,999,999,990.00') || ')' else '' end",
            List.of(
                    new FactTable.Column<>("churned_on", "date", ChurnEventInput::churnedOn),
                    new FactTable.Column<>("reason_category", "text", ChurnEventInput::reasonCategory),
                    new FactTable.Column<>("reason", "text", ChurnEventInput::reason),
                    new FactTable.Column<>("arr_lost", "numeric", ChurnEventInput::arrLost)),
            i -> midnight(i.churnedOn()),
            input -> List.of(),
            (rs, today, json) -> new ChurnEvent(
                    id(rs),
                    account(rs),
                    rs.getString("source"),
                    rs.getString("external_id"),
                    date(rs, "churned_on"),
                    ChurnEvent.ReasonCategory.valueOf(rs.getString("reason_category")),
                    rs.getString("reason"),
                    rs.getBigDecimal("arr_lost")));

    static final FactTable<SentimentInput, Sentiment> SENTIMENTS = new FactTable<>(
            "sentiment",
            "sentiment",
            SentimentInput.class,
            "recorded_at",
            false,
            "'CSM sentiment ' || score || '/5'",
            "reason",
            List.of(
                    new FactTable.Column<>("author_id", "uuid", SentimentInput::authorId),
                    new FactTable.Column<>("recorded_at", "timestamptz", SentimentInput::recordedAt),
                    new FactTable.Column<>("score", "smallint", SentimentInput::score),
                    new FactTable.Column<>("reason", "text", SentimentInput::reason)),
            SentimentInput::recordedAt,
            ActivityKinds::sentimentRules,
            (rs, today, json) -> new Sentiment(
                    id(rs),
                    account(rs),
                    rs.getString("source"),
                    rs.getString("external_id"),
                    rs.getObject("author_id", UUID.class),
                    instant(rs, "recorded_at"),
                    rs.getInt("score"),
                    rs.getString("reason")));

    static final FactTable<HealthEventInput, HealthEvent> HEALTH_EVENTS = new FactTable<>(
            "health_event",
            "health_event",
            HealthEventInput.class,
            "occurred_at",
            false,
            "case change when 'color_changed' then 'Health ' || from_color || ' → ' || to_color"
                    + " when 'override_set' then 'Health overridden to ' || to_color"
                    + " else 'Health override of ' || coalesce(from_color, '') || ' ended' end",
            "coalesce(reason, '') || case when author_name is not null then ' (' || author_name || ')' else '' end",
            List.of(
                    new FactTable.Column<>("occurred_at", "timestamptz", HealthEventInput::occurredAt),
                    new FactTable.Column<>("change", "text", HealthEventInput::change),
                    new FactTable.Column<>("from_color", "text", HealthEventInput::fromColor),
                    new FactTable.Column<>("to_color", "text", HealthEventInput::toColor),
                    new FactTable.Column<>("score", "real", HealthEventInput::score),
                    new FactTable.Column<>("reason", "text", HealthEventInput::reason),
                    new FactTable.Column<>("author_name", "text", HealthEventInput::authorName)),
            HealthEventInput::occurredAt,
            input -> List.of(),
            (rs, today, json) -> new HealthEvent(
                    id(rs),
                    account(rs),
                    rs.getString("source"),
                    rs.getString("external_id"),
                    instant(rs, "occurred_at"),
                    HealthEvent.Change.valueOf(rs.getString("change")),
                    rs.getString("from_color"),
                    rs.getString("to_color"),
                    rs.getObject("score") == null ? null : rs.getDouble("score"),
                    rs.getString("reason"),
                    rs.getString("author_name")));

    /** Every kind by its name, in the order the timeline documents them. */
    static final Map<String, FactTable<?, ?>> BY_KIND = byKind();

    private static Map<String, FactTable<?, ?>> byKind() {
        Map<String, FactTable<?, ?>> kinds = new LinkedHashMap<>();
        for (FactTable<?, ?> table : List.of(
                TICKETS, INVOICES, MEETINGS, SURVEY_RESPONSES, NOTES, CHURN_EVENTS, SENTIMENTS, HEALTH_EVENTS)) {
            kinds.put(table.kind(), table);
        }
        return java.util.Collections.unmodifiableMap(kinds);
    }

    private static List<FieldError> ticketRules(TicketInput t) {
        List<FieldError> errors = new ArrayList<>();
        notBefore(errors, "firstResponseAt", t.firstResponseAt(), "openedAt", t.openedAt());
        notBefore(errors, "resolvedAt", t.resolvedAt(), "openedAt", t.openedAt());
        return errors;
    }

    private static List<FieldError> invoiceRules(InvoiceInput i) {
        List<FieldError> errors = new ArrayList<>();
        if (i.issuedOn() != null && i.dueOn() != null && i.dueOn().isBefore(i.issuedOn())) {
            errors.add(FieldError.of("dueOn", "must not be before issuedOn (" + i.issuedOn() + ")"));
        }
        if (i.issuedOn() != null && i.paidOn() != null && i.paidOn().isBefore(i.issuedOn())) {
            errors.add(FieldError.of("paidOn", "must not be before issuedOn (" + i.issuedOn() + ")"));
        }
        return errors;
    }

    private static List<FieldError> surveyRules(SurveyResponseInput s) {
        if (s.kind() == null || s.score() == null || s.kind().allows(s.score())) {
            return List.of();
        }
        return List.of(FieldError.of(
                "score",
                "a " + s.kind().name().toUpperCase() + " score must be from "
                        + s.kind().range() + ", got " + s.score()));
    }

    private static List<FieldError> sentimentRules(SentimentInput s) {
        if (s.score() == null || (s.score() >= Sentiment.LOWEST && s.score() <= Sentiment.HIGHEST)) {
            return List.of();
        }
        return List.of(FieldError.of(
                "score", "must be from " + Sentiment.LOWEST + " to " + Sentiment.HIGHEST + ", got " + s.score()));
    }

    private static void notBefore(
            List<FieldError> errors, String field, Instant value, String earlierField, Instant earlier) {
        if (value != null && earlier != null && value.isBefore(earlier)) {
            errors.add(FieldError.of(field, "must not be before " + earlierField + " (" + earlier + ")"));
        }
    }

    static Instant midnight(LocalDate day) {
        return day == null ? null : day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equals(value)) {
                return constant;
            }
        }
        throw new IllegalStateException("unknown " + type.getSimpleName() + " '" + value + "' in the database");
    }

    private static UUID id(ResultSet rs) throws SQLException {
        return rs.getObject("id", UUID.class);
    }

    private static AccountId account(ResultSet rs) throws SQLException {
        return new AccountId(rs.getObject("account_id", UUID.class));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static LocalDate date(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDate.class);
    }
}
