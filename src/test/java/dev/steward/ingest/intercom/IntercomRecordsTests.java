package dev.steward.ingest.intercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.activity.Ticket;
import dev.steward.activity.TicketInput;
import dev.steward.ingest.sync.RecordRefused;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How Intercom's records read as Steward's: conversations with their statistics and rating, companies, contacts. */
class IntercomRecordsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aClosedConversationTakesItsTimesFromItsStatisticsAndItsRatingAsCsat() {
        IntercomRecords.TicketRead read = IntercomRecords.conversation(json("""
                        {"type": "conversation", "id": "515", "created_at": 1767261600, "updated_at": 1767300000,
                         "state": "closed", "priority": "priority", "title": "Export fails",
                         "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": "c-1"},
                                                                           {"type": "contact", "id": "c-2"}]},
                         "statistics": {"type": "conversation_statistics", "time_to_admin_reply": 5400,
                                        "first_admin_reply_at": null, "last_close_at": 1767290000},
                         "conversation_rating": {"rating": 2, "remark": "Slow", "created_at": 1767295000}}"""));
        assertThat(read.disposition()).isEqualTo(IntercomRecords.Disposition.store);
        assertThat(read.contactIds()).containsExactly("c-1", "c-2");
        TicketInput ticket = read.input("company-9");
        assertThat(ticket.accountExternalId()).isEqualTo("company-9");
        assertThat(ticket.status()).isEqualTo(Ticket.Status.closed);
        assertThat(ticket.priority()).isEqualTo(Ticket.Priority.high);
        assertThat(ticket.firstResponseAt())
                .as("no first reply time: the creation plus time_to_admin_reply")
                .isEqualTo(Instant.parse("2026-01-01T11:30:00Z"));
        assertThat(ticket.resolvedAt()).isEqualTo(Instant.ofEpochSecond(1767290000));
        assertThat(ticket.csat()).isEqualTo(2);
        assertThat(read.rating().response("company-9").comment()).isEqualTo("Slow");
        assertThat(read.rating().response("company-9").respondedAt()).isEqualTo(Instant.ofEpochSecond(1767295000));
    }

    @Test
    void aMalformedConversationIsRefusedNamingTheField() {
        assertThatThrownBy(() -> IntercomRecords.conversation(json("""
                        {"id": "1", "created_at": 1767261600, "state": "open",
                         "conversation_rating": {"rating": 9}}""")))
                .isInstanceOfSatisfying(RecordRefused.class, e -> {
                    assertThat(e.field()).isEqualTo("conversation_rating.rating");
                    assertThat(e.value()).isEqualTo("9");
                });
        assertThatThrownBy(() -> IntercomRecords.conversation(json("""
                        {"id": "2", "created_at": "2026-01-01T10:00:00Z", "state": "open"}""")))
                .isInstanceOfSatisfying(RecordRefused.class, e -> {
                    assertThat(e.field()).isEqualTo("created_at");
                    assertThat(e.getMessage()).contains("seconds since 1970");
                });
        assertThatThrownBy(() -> IntercomRecords.conversation(json("""
                        {"created_at": 1767261600, "state": "open"}""")))
                .isInstanceOfSatisfying(
                        RecordRefused.class, e -> assertThat(e.field()).isEqualTo("id"));
        assertThatThrownBy(() -> IntercomRecords.conversation(json("""
                        {"id": "3", "created_at": 1767261600, "state": "open", "priority": "urgent"}""")))
                .isInstanceOfSatisfying(
                        RecordRefused.class, e -> assertThat(e.field()).isEqualTo("priority"));
    }

    @Test
    void aConversationThatBecameATicketIsReadAsThatTicket() {
        IntercomRecords.TicketRead read = IntercomRecords.conversation(json("""
                        {"id": "4", "created_at": 1767261600, "state": "open",
                         "ticket": {"type": "ticket", "id": "633"}}"""));
        assertThat(read.disposition()).isEqualTo(IntercomRecords.Disposition.skip);
    }

    @Test
    void aCompanyIsLinkedByItsWebsitesDomainAndAContactBelongsToItsFirstCompany() {
        IntercomRecords.Company company = IntercomRecords.company(json("""
                        {"type": "company", "id": "abc", "company_id": "CRM-1", "name": "Acme",
                         "website": "HTTPS://www.Acme.example:443/pricing", "updated_at": 1767261600}"""));
        assertThat(company.domains()).containsExactly("acme.example");
        assertThat(company.companyId()).isEqualTo("CRM-1");

        IntercomRecords.ContactRead contact = IntercomRecords.contact(json("""
                        {"type": "contact", "id": "c-1", "role": "lead", "email": "al@acme.example", "name": null,
                         "created_at": 1767261600, "signed_up_at": null,
                         "companies": {"type": "list", "data": [{"type": "company", "id": "abc"},
                                                               {"type": "company", "id": "def"}]}}"""));
        assertThat(contact.companyId()).isEqualTo("abc");
        assertThat(contact.contact().path("name").asString()).isEqualTo("al@acme.example");
        assertThat(contact.contact().path("joinedAt").asString()).isEqualTo("2026-01-01");
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
