package dev.steward.ingest.intercom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.activity.Ticket;
import dev.steward.activity.TicketInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays Intercom's own examples through the mapping: the response examples of Intercom's OpenAPI description of API
 * 2.15 ({@code ../shared/testdata/vendor/intercom/openapi-2.15-examples}). Every company, contact, conversation and
 * ticket in them reads; their states map to Steward's; a deleted object reads as a removal. Skipped, with the reason,
 * where that folder is absent.
 */
class IntercomVendorFixtureTests {

    static final Path EXAMPLES = Path.of("..", "shared", "testdata", "vendor", "intercom", "openapi-2.15-examples");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeEach
    void vendorFixturesArePresent() {
        Assumptions.assumeTrue(
                Files.isDirectory(EXAMPLES),
                "Intercom's OpenAPI examples are not at "
                        + EXAMPLES.toAbsolutePath().normalize() + " (../shared is only beside the main repository)");
    }

    @Test
    void everyExampleConversationReadsWithItsStateAsSteward() throws IOException {
        Map<String, Ticket.Status> states = new TreeMap<>();
        for (JsonNode conversation : records("conversation")) {
            IntercomRecords.TicketRead read = IntercomRecords.conversation(conversation);
            assertThat(read.disposition()).isEqualTo(IntercomRecords.Disposition.store);
            TicketInput input = read.input("6762f0971bb69f9f2193bb2b");
            states.put(conversation.path("state").asString(), input.status());
            assertThat(input.priority()).as("not_priority").isEqualTo(Ticket.Priority.normal);
            assertThat(input.subject()).isNotBlank();
            if (input.status() == Ticket.Status.closed) {
                assertThat(input.resolvedAt())
                        .as("a closed conversation without statistics was resolved at its last update")
                        .isEqualTo(Instant.ofEpochSecond(
                                conversation.path("updated_at").asLong()));
            }
        }
        assertThat(states)
                .containsEntry("open", Ticket.Status.open)
                .containsEntry("snoozed", Ticket.Status.pending)
                .containsEntry("closed", Ticket.Status.closed);

        IntercomRecords.TicketRead searched =
                IntercomRecords.conversation(read("post_conversations_search_200_successful.json")
                        .path("conversations")
                        .path(0));
        assertThat(searched.id()).isEqualTo("515");
        assertThat(searched.contactIds()).containsExactly("6762f14a1bb69f9f2193bbb3");
        TicketInput ticket = searched.input("company-1");
        assertThat(ticket.subject()).as("no title, no subject: the message").isEqualTo("this is the message body");
        assertThat(ticket.openedAt()).isEqualTo(Instant.ofEpochSecond(1734537546));
        assertThat(ticket.firstResponseAt()).isNull();
        assertThat(ticket.csat()).isNull();
    }

    @Test
    void everyExampleTicketReadsAndTicketStatesMapToSteward() throws IOException {
        List<TicketInput> tickets = new ArrayList<>();
        for (JsonNode ticket : records("ticket")) {
            IntercomRecords.TicketRead read = IntercomRecords.ticket(ticket);
            assertThat(read.disposition()).isEqualTo(IntercomRecords.Disposition.store);
            assertThat(read.id()).startsWith("ticket-");
            tickets.add(read.input("company-1"));
        }
        assertThat(tickets).hasSizeGreaterThanOrEqualTo(5);
        TicketInput searched = IntercomRecords.ticket(read("post_tickets_search_200_successful.json")
                        .path("tickets")
                        .path(0))
                .input("company-1");
        assertThat(searched.externalId()).isEqualTo("ticket-633");
        assertThat(searched.subject()).isEqualTo("attribute_value");
        assertThat(searched.status()).as("submitted").isEqualTo(Ticket.Status.open);
        assertThat(IntercomRecords.ticket(read("put_tickets_ticket_id_200_Successful_response.json"))
                        .input("c")
                        .status())
                .as("in_progress")
                .isEqualTo(Ticket.Status.open);
    }

    @Test
    void everyExampleCompanyAndContactReads() throws IOException {
        List<IntercomRecords.Company> companies = new ArrayList<>();
        for (JsonNode company : records("company")) {
            companies.add(IntercomRecords.company(company));
        }
        assertThat(companies).hasSizeGreaterThanOrEqualTo(8);
        IntercomRecords.Company scrolled = IntercomRecords.company(
                read("get_companies_scroll_200_Successful.json").path("data").path(0));
        assertThat(scrolled.id()).isEqualTo("6762f0971bb69f9f2193bb2b");
        assertThat(scrolled.companyId()).isEqualTo("remote_companies_scroll_2");
        assertThat(scrolled.name()).isEqualTo("IntercomQATest1");
        assertThat(scrolled.account().path("externalId").asString()).isEqualTo("6762f0971bb69f9f2193bb2b");

        List<JsonNode> contacts = records("contact");
        assertThat(contacts).hasSizeGreaterThanOrEqualTo(5);
        for (JsonNode contact : contacts) {
            IntercomRecords.ContactRead read = IntercomRecords.contact(contact);
            assertThat(read.companyId()).as("no example contact has a company").isNull();
            assertThat(read.contact()).isNull();
        }
        IntercomRecords.ContactRead joe = IntercomRecords.contact(read("get_contacts_contact_id_200_successful.json"));
        assertThat(joe.id()).isEqualTo("6762f0d01bb69f9f2193bb7d");
        assertThat(joe.updatedAt()).isEqualTo(Instant.ofEpochSecond(1734537424));
    }

    @Test
    void deletedObjectsReadAsRemovals() throws IOException {
        assertThat(IntercomRecords.conversation(read("delete_conversations_conversation_id_200_successful.json"))
                        .disposition())
                .isEqualTo(IntercomRecords.Disposition.delete);
        IntercomRecords.TicketRead ticket =
                IntercomRecords.ticket(read("delete_tickets_ticket_id_200_successful.json"));
        assertThat(ticket.disposition()).isEqualTo(IntercomRecords.Disposition.delete);
        assertThat(ticket.id()).isEqualTo("ticket-632");
        assertThat(IntercomRecords.deleted(read("delete_companies_company_id_200_Successful.json")))
                .isTrue();
    }

    /** Every record of this type in the examples: a whole answer of that type, or an item of a list answer. */
    private static List<JsonNode> records(String type) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode body = JSON.readTree(Files.readString(file));
                if (type.equals(body.path("type").asString(""))) {
                    found.add(body);
                }
                for (String list : List.of("data", "conversations", "tickets")) {
                    body.path(list).forEach(r -> {
                        if (type.equals(r.path("type").asString(""))) {
                            found.add(r);
                        }
                    });
                }
            }
        }
        return found;
    }

    private static JsonNode read(String file) throws IOException {
        return JSON.readTree(Files.readString(EXAMPLES.resolve(file)));
    }
}
