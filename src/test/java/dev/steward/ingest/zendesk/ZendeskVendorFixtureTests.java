package dev.steward.ingest.zendesk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.activity.Ticket;
import dev.steward.activity.TicketInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays Zendesk's own answers through the mapping: the responses the official Ruby client recorded in 2012 against
 * a Zendesk account ({@code ../shared/testdata/vendor/zendesk/recorded-2012-zendesk_api_client_rb}: organizations,
 * tickets, satisfaction ratings). Every record reads; tickets of no organization are skipped and the others become
 * tickets of their organization's account; ratings offered but not given are no answer. Skipped, with the reason,
 * where that folder is absent.
 */
class ZendeskVendorFixtureTests {

    static final Path RECORDED =
            Path.of("..", "shared", "testdata", "vendor", "zendesk", "recorded-2012-zendesk_api_client_rb");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeEach
    void vendorFixturesArePresent() {
        Assumptions.assumeTrue(
                Files.isDirectory(RECORDED),
                "Zendesk's recorded answers are not at "
                        + RECORDED.toAbsolutePath().normalize() + " (../shared is only beside the main repository)");
    }

    @Test
    void everyRecordedOrganizationReadsAsAnAccount() throws IOException {
        List<ZendeskRecords.Organization> organizations = new ArrayList<>();
        read("GET_api_v2_organizations.json")
                .path("organizations")
                .forEach(o -> organizations.add(ZendeskRecords.organization(o)));
        organizations.add(ZendeskRecords.organization(
                read("GET_api_v2_organizations_20526.json").path("organization")));
        assertThat(organizations)
                .extracting(ZendeskRecords.Organization::name)
                .containsExactly("Awesome-O", "Smersh", "Awesome-O");
        assertThat(organizations.get(1).account().path("externalId").asString()).isEqualTo("20012227");
        assertThat(organizations).allSatisfy(o -> {
            assertThat(o.externalId()).isNull();
            assertThat(o.domains()).isEmpty();
            assertThat(o.deleted()).isFalse();
        });
    }

    @Test
    void everyRecordedTicketReadsAndThoseOfAnOrganizationAreStored() throws IOException {
        JsonNode listed = read("GET_api_v2_tickets.json").path("tickets");
        List<TicketInput> stored = new ArrayList<>();
        int skipped = 0;
        for (JsonNode ticket : listed) {
            ZendeskRecords.TicketRead read = ZendeskRecords.ticket(ticket, null, ZendeskRecords.ESCALATION_TAG);
            switch (read.disposition()) {
                case store -> stored.add(read.input());
                case skip -> skipped++;
                case delete -> throw new AssertionError("no recorded ticket is deleted or merged: " + read.id());
            }
        }
        assertThat(listed.size()).isEqualTo(100);
        assertThat(stored).hasSize(27);
        assertThat(skipped).isEqualTo(73);
        assertThat(stored).allSatisfy(t -> {
            assertThat(t.accountExternalId()).isEqualTo("20012227");
            assertThat(t.csat())
                    .as("every recorded ticket's rating is unoffered")
                    .isNull();
            assertThat(t.resolvedAt()).as("no recorded ticket is solved").isNull();
        });
        TicketInput first = stored.get(0);
        assertThat(first.externalId()).isEqualTo("1");
        assertThat(first.subject()).isEqualTo("This is a sample ticket requested and submitted by you");
        assertThat(first.status()).isEqualTo(Ticket.Status.pending);
        assertThat(first.priority()).isEqualTo(Ticket.Priority.high);
        assertThat(first.escalated()).isFalse();
        assertThat(stored.get(1).status()).as("Zendesk's new is open").isEqualTo(Ticket.Status.open);
        assertThat(stored.get(1).priority()).as("no priority is normal").isEqualTo(Ticket.Priority.normal);

        ZendeskRecords.TicketRead single = ZendeskRecords.ticket(
                read("GET_api_v2_tickets_1.json").path("ticket"), null, ZendeskRecords.ESCALATION_TAG);
        assertThat(single.input()).isEqualTo(first);
        assertThat(ZendeskRecords.ticket(
                                read("PUT_api_v2_tickets_8868_response.json").path("ticket"),
                                null,
                                ZendeskRecords.ESCALATION_TAG)
                        .disposition())
                .isEqualTo(ZendeskRecords.Disposition.skip);
    }

    @Test
    void recordedRatingsGivenAreCsatAndThoseOnlyOfferedAreNoAnswer() throws IOException {
        List<ZendeskRecords.RatingRead> ratings = new ArrayList<>();
        read("GET_api_v2_satisfaction_ratings.json")
                .path("satisfaction_ratings")
                .forEach(r -> ratings.add(ZendeskRecords.rating(r)));
        assertThat(ratings).hasSize(65);
        List<ZendeskRecords.RatingRead> given =
                ratings.stream().filter(r -> r.score() != null).toList();
        assertThat(given).hasSize(1);
        assertThat(given.get(0).ticketId()).isEqualTo(35);
        assertThat(given.get(0).score()).isEqualTo(ZendeskRecords.GOOD);
        assertThat(given.get(0).response(20012227).comment()).isEqualTo("Satisfaction!");
        assertThat(ZendeskRecords.rating(read("GET_api_v2_satisfaction_ratings_20001907.json")
                                .path("satisfaction_rating"))
                        .score())
                .isEqualTo(ZendeskRecords.GOOD);
    }

    private static JsonNode read(String file) throws IOException {
        return JSON.readTree(Files.readString(RECORDED.resolve(file)));
    }
}
