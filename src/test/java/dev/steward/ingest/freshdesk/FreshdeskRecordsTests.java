package dev.steward.ingest.freshdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.activity.SurveyResponse;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.Ticket;
import dev.steward.activity.TicketInput;
import dev.steward.ingest.sync.RecordRefused;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How Freshdesk's records read as Steward's (shapes of Freshdesk's API v2): tickets with their status, priority,
 * escalation and stats, satisfaction ratings on Freshdesk's scale as CSAT, companies with their domains and the custom
 * field that holds the customer's own id, contacts of a company.
 */
class FreshdeskRecordsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aResolvedTicketTakesItsTimesFromItsStats() {
        FreshdeskRecords.TicketRead read = FreshdeskRecords.ticket(json("""
                        {"id": 20, "subject": "Exports stall at 90%", "status": 4, "priority": 3, "source": 1,
                         "company_id": 42, "requester_id": 1001, "is_escalated": false, "fr_escalated": false,
                         "spam": false, "tags": ["billing"], "created_at": "2026-01-01T10:00:00Z",
                         "updated_at": "2026-01-02T09:00:00Z",
                         "stats": {"agent_responded_at": "2026-01-01T12:00:00Z",
                                   "first_responded_at": "2026-01-01T10:30:00Z",
                                   "resolved_at": "2026-01-01T16:00:00Z", "closed_at": null,
                                   "status_updated_at": "2026-01-01T16:00:00Z"}}"""));
        assertThat(read.disposition()).isEqualTo(FreshdeskRecords.Disposition.store);
        assertThat(read.companyId()).isEqualTo(42L);
        TicketInput ticket = read.input();
        assertThat(ticket.externalId()).isEqualTo("20");
        assertThat(ticket.accountExternalId()).isEqualTo("42");
        assertThat(ticket.subject()).isEqualTo("Exports stall at 90%");
        assertThat(ticket.status()).isEqualTo(Ticket.Status.solved);
        assertThat(ticket.priority()).isEqualTo(Ticket.Priority.high);
        assertThat(ticket.escalated()).isFalse();
        assertThat(ticket.openedAt()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(ticket.firstResponseAt()).isEqualTo(Instant.parse("2026-01-01T10:30:00Z"));
        assertThat(ticket.resolvedAt()).isEqualTo(Instant.parse("2026-01-01T16:00:00Z"));
    }

    @Test
    void statusesPrioritiesAndEscalationMapAsFreshdeskDocumentsThem() {
        assertThat(ticket(2, 1, "false", "[]").input()).satisfies(t -> {
            assertThat(t.status()).isEqualTo(Ticket.Status.open);
            assertThat(t.priority()).isEqualTo(Ticket.Priority.low);
            assertThat(t.escalated()).isFalse();
            assertThat(t.resolvedAt()).isNull();
        });
        assertThat(ticket(3, 2, "false", "[]").input().status()).isEqualTo(Ticket.Status.pending);
        assertThat(ticket(3, 2, "false", "[]").input().priority()).isEqualTo(Ticket.Priority.normal);
        TicketInput closed = ticket(5, 2, "false", "[]").input();
        assertThat(closed.status()).isEqualTo(Ticket.Status.closed);
        assertThat(closed.resolvedAt())
                .as("no stats: a closed ticket was resolved at its last update")
                .isEqualTo(Instant.parse("2026-01-03T10:00:00Z"));
        assertThat(ticket(7, 2, "false", "[]").input().status())
                .as("a custom status (Waiting on Customer…)")
                .isEqualTo(Ticket.Status.pending);
        assertThat(ticket(2, 4, "false", "[]").input()).satisfies(t -> {
            assertThat(t.priority()).isEqualTo(Ticket.Priority.urgent);
            assertThat(t.escalated()).as("urgent").isTrue();
        });
        assertThat(ticket(2, 2, "true", "[]").input().escalated())
                .as("Freshdesk escalated it")
                .isTrue();
        assertThat(ticket(2, 2, "false", "[\"Escalated\", \"vip\"]").input().escalated())
                .as("tagged escalated")
                .isTrue();
    }

    @Test
    void ticketsOfNoCompanyAreSkippedAndSpamIsRemoved() {
        FreshdeskRecords.TicketRead none = FreshdeskRecords.ticket(json("""
                        {"id": 21, "subject": "Hi", "status": 2, "priority": 1, "company_id": null,
                         "created_at": "2026-01-01T10:00:00Z", "updated_at": "2026-01-01T10:00:00Z"}"""));
        assertThat(none.disposition()).isEqualTo(FreshdeskRecords.Disposition.skip);
        assertThat(none.why()).isEqualTo("of no company");
        FreshdeskRecords.TicketRead spam = FreshdeskRecords.ticket(json("""
                        {"id": 22, "subject": "Win a prize", "status": 2, "priority": 1, "company_id": 42,
                         "spam": true, "created_at": "2026-01-01T10:00:00Z"}"""));
        assertThat(spam.disposition()).isEqualTo(FreshdeskRecords.Disposition.delete);
        assertThat(spam.why()).isEqualTo("marked spam in Freshdesk");
    }

    @Test
    void aMalformedTicketIsRefusedNamingTheField() {
        assertThatThrownBy(() -> FreshdeskRecords.ticket(json("""
                        {"id": 23, "status": 2, "priority": 9, "company_id": 42,
                         "created_at": "2026-01-01T10:00:00Z"}"""))).isInstanceOfSatisfying(RecordRefused.class, e -> {
            assertThat(e.field()).isEqualTo("priority");
            assertThat(e.value()).isEqualTo("9");
            assertThat(e.getMessage()).isEqualTo("is not a Freshdesk priority (1 Low, 2 Medium, 3 High, 4 Urgent)");
        });
        assertThatThrownBy(() -> FreshdeskRecords.ticket(json("""
                        {"id": 24, "status": 1, "priority": 1, "company_id": 42,
                         "created_at": "2026-01-01T10:00:00Z"}""")))
                .isInstanceOfSatisfying(
                        RecordRefused.class, e -> assertThat(e.field()).isEqualTo("status"));
        assertThatThrownBy(() -> FreshdeskRecords.ticket(json("""
                        {"id": 25, "status": 2, "priority": 1, "company_id": 42, "created_at": "yesterday"}"""))).isInstanceOfSatisfying(RecordRefused.class, e -> {
            assertThat(e.field()).isEqualTo("created_at");
            assertThat(e.value()).isEqualTo("yesterday");
        });
        assertThatThrownBy(() -> FreshdeskRecords.ticket(json("""
                        {"id": "T-26", "status": 2, "created_at": "2026-01-01T10:00:00Z"}"""))).isInstanceOfSatisfying(RecordRefused.class, e -> {
            assertThat(e.field()).isEqualTo("id");
            assertThat(e.getMessage()).isEqualTo("is not a Freshdesk id (a positive whole number)");
        });
    }

    @Test
    void ratingsOnFreshdesksScaleBecomeCsatFromOneToFive() {
        assertThat(rating(103)).isEqualTo(5);
        assertThat(rating(102)).isEqualTo(4);
        assertThat(rating(101)).isEqualTo(4);
        assertThat(rating(100)).isEqualTo(3);
        assertThat(rating(-101)).isEqualTo(2);
        assertThat(rating(-102)).isEqualTo(2);
        assertThat(rating(-103)).isEqualTo(1);
        FreshdeskRecords.RatingRead read = FreshdeskRecords.rating(json("""
                        {"id": 9001, "survey_id": 1, "user_id": 1001, "agent_id": 7, "group_id": 3,
                         "ticket_id": 20, "feedback": "Quick, thanks", "ratings": {"default_question": 103},
                         "created_at": "2026-01-02T08:00:00Z", "updated_at": "2026-01-02T08:00:00Z"}"""));
        SurveyResponseInput response = read.response(42);
        assertThat(response.externalId()).isEqualTo("9001");
        assertThat(response.accountExternalId()).isEqualTo("42");
        assertThat(response.kind()).isEqualTo(SurveyResponse.Kind.csat);
        assertThat(response.score()).isEqualTo(5);
        assertThat(response.comment()).isEqualTo("Quick, thanks");
        assertThat(response.respondedAt()).isEqualTo(Instant.parse("2026-01-02T08:00:00Z"));
        assertThatThrownBy(() -> rating(3)).isInstanceOfSatisfying(RecordRefused.class, e -> {
            assertThat(e.field()).isEqualTo("ratings.default_question");
            assertThat(e.value()).isEqualTo("3");
        });
    }

    @Test
    void aCompanyNamesItsDomainsAndTheCustomerOwnIdInACustomField() {
        FreshdeskRecords.Company company = FreshdeskRecords.company(json("""
                        {"id": 42, "name": "Beacon Labs", "description": null, "note": null,
                         "domains": ["Beacon.example", "beacon.io"], "health_score": null, "account_tier": null,
                         "custom_fields": {"crm_id": "CRM-7", "region": "emea"},
                         "created_at": "2025-06-01T10:00:00Z", "updated_at": "2026-01-01T10:00:00Z"}"""), "crm_id");
        assertThat(company.id()).isEqualTo(42L);
        assertThat(company.externalId()).isEqualTo("CRM-7");
        assertThat(company.domains()).containsExactly("beacon.example", "beacon.io");
        assertThat(company.account().get("externalId").asString()).isEqualTo("42");
        assertThat(company.account().get("name").asString()).isEqualTo("Beacon Labs");
        assertThat(FreshdeskRecords.company(json("""
                        {"id": 43, "name": "Rocket", "custom_fields": {"crm_id": 9}}"""), "crm_id").externalId()).isEqualTo("9");
        assertThat(FreshdeskRecords.company(json("""
                        {"id": 44, "name": "Cobalt", "custom_fields": {"crm_id": "C-1"}}"""), null).externalId())
                .as("no field named")
                .isNull();
    }

    @Test
    void aContactOfACompanyIsItsAccountsAndOneOfNoneIsNobodys() {
        FreshdeskRecords.ContactRead read = FreshdeskRecords.contact(json("""
                        {"id": 1001, "name": "Ada Buyer", "email": "ada@beacon.example", "phone": null,
                         "mobile": "+44 20 7946 0000", "company_id": 42, "active": true,
                         "created_at": "2025-12-01T10:00:00Z", "updated_at": "2026-01-01T10:00:00Z"}"""));
        assertThat(read.contact()).isNotNull();
        assertThat(read.contact().get("externalId").asString()).isEqualTo("1001");
        assertThat(read.contact().get("accountExternalId").asString()).isEqualTo("42");
        assertThat(read.contact().get("name").asString()).isEqualTo("Ada Buyer");
        assertThat(read.contact().get("phone").asString()).isEqualTo("+44 20 7946 0000");
        assertThat(read.contact().get("joinedAt").asString()).isEqualTo("2025-12-01");
        FreshdeskRecords.ContactRead none = FreshdeskRecords.contact(json("""
                        {"id": 1002, "name": "Walk In", "company_id": null,
                         "created_at": "2025-12-01T10:00:00Z", "updated_at": "2026-01-01T10:00:00Z"}"""));
        assertThat(none.contact()).isNull();
        assertThat(none.why()).isEqualTo("of no company");
    }

    private static FreshdeskRecords.TicketRead ticket(int status, int priority, String escalated, String tags) {
        return FreshdeskRecords.ticket(json("""
                        {"id": 30, "subject": "Sync", "status": %d, "priority": %d, "company_id": 42,
                         "is_escalated": %s, "fr_escalated": false, "tags": %s,
                         "created_at": "2026-01-01T10:00:00Z", "updated_at": "2026-01-03T10:00:00Z"}""".formatted(status, priority, escalated, tags)));
    }

    private static int rating(int answer) {
        return FreshdeskRecords.rating(json("""
                        {"id": 1, "ticket_id": 20, "ratings": {"default_question": %d},
                         "created_at": "2026-01-02T08:00:00Z"}""".formatted(answer))).score();
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
