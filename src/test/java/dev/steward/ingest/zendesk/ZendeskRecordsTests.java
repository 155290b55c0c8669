package dev.steward.ingest.zendesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.activity.Ticket;
import dev.steward.activity.TicketInput;
import dev.steward.ingest.sync.RecordRefused;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How Zendesk's records read as Steward's: tickets with their metric sets, ratings, users and organizations. */
class ZendeskRecordsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aSolvedTicketTakesItsTimesFromItsMetricSetAndIsEscalatedByTagOrUrgency() {
        ZendeskRecords.TicketRead read = ZendeskRecords.ticket(json("""
                        {"id": 35, "subject": "Export fails", "status": "solved", "priority": "high",
                         "organization_id": 4001, "tags": ["Escalated", "billing"],
                         "created_at": "2026-03-01T10:00:00Z", "updated_at": "2026-03-03T09:00:00Z",
                         "satisfaction_rating": {"id": 9, "score": "bad", "comment": "Slow"}}"""), json("""
                        {"ticket_id": 35, "solved_at": "2026-03-02T14:00:00Z",
                         "reply_time_in_minutes": {"calendar": 90, "business": 30},
                         "full_resolution_time_in_minutes": {"calendar": 1680, "business": 600}}"""), "escalated");
        assertThat(read.disposition()).isEqualTo(ZendeskRecords.Disposition.store);
        TicketInput ticket = read.input();
        assertThat(ticket.externalId()).isEqualTo("35");
        assertThat(ticket.accountExternalId()).isEqualTo("4001");
        assertThat(ticket.openedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(ticket.firstResponseAt()).isEqualTo(Instant.parse("2026-03-01T11:30:00Z"));
        assertThat(ticket.resolvedAt()).isEqualTo(Instant.parse("2026-03-02T14:00:00Z"));
        assertThat(ticket.status()).isEqualTo(Ticket.Status.solved);
        assertThat(ticket.priority()).isEqualTo(Ticket.Priority.high);
        assertThat(ticket.escalated()).isTrue();
        assertThat(ticket.csat()).isEqualTo(ZendeskRecords.BAD);

        TicketInput urgent = ZendeskRecords.ticket(json("""
                                {"id": 36, "status": "hold", "priority": "urgent", "organization_id": 4001,
                                 "created_at": "2026-03-01T10:00:00Z", "tags": []}"""), null, "vip").input();
        assertThat(urgent.escalated()).isTrue();
        assertThat(urgent.status()).isEqualTo(Ticket.Status.pending);
        assertThat(urgent.resolvedAt()).isNull();
        assertThat(urgent.subject()).isEqualTo("Ticket #36");
    }

    @Test
    void deletedAndMergedTicketsAreRemovedAndTicketsOfNoOrganizationSkipped() {
        assertThat(ZendeskRecords.ticket(json("{\"id\": 1, \"status\": \"deleted\"}"), null, "escalated")
                        .disposition())
                .isEqualTo(ZendeskRecords.Disposition.delete);
        ZendeskRecords.TicketRead merged = ZendeskRecords.ticket(json("""
                        {"id": 2, "status": "closed", "tags": ["closed_by_merge"], "organization_id": 4001,
                         "created_at": "2026-03-01T10:00:00Z"}"""), null, "escalated");
        assertThat(merged.disposition()).isEqualTo(ZendeskRecords.Disposition.delete);
        assertThat(merged.why()).isEqualTo("merged into another ticket");
        assertThat(ZendeskRecords.ticket(json("""
                                        {"id": 3, "status": "new", "organization_id": null,
                                         "created_at": "2026-03-01T10:00:00Z"}"""), null, "escalated").disposition())
                .isEqualTo(ZendeskRecords.Disposition.skip);
    }

    @Test
    void aMalformedTicketIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ZendeskRecords.ticket(
                        json("{\"status\": \"open\", \"created_at\": \"2026-03-01T10:00:00Z\"}"), null, "escalated"))
                .isInstanceOfSatisfying(RecordRefused.class, e -> {
                    assertThat(e.field()).isEqualTo("id");
                    assertThat(e.getMessage()).isEqualTo("is missing");
                });
        assertThatThrownBy(() -> ZendeskRecords.ticket(
                        json(
                                "{\"id\": 5, \"status\": \"open\", \"organization_id\": 1, \"created_at\": \"yesterday\"}"),
                        null,
                        "escalated"))
                .isInstanceOfSatisfying(RecordRefused.class, e -> {
                    assertThat(e.field()).isEqualTo("created_at");
                    assertThat(e.value()).isEqualTo("yesterday");
                });
        assertThatThrownBy(() -> ZendeskRecords.ticket(json("""
                                {"id": 6, "status": "escalating", "organization_id": 1,
                                 "created_at": "2026-03-01T10:00:00Z"}"""), null, "escalated"))
                .isInstanceOfSatisfying(
                        RecordRefused.class, e -> assertThat(e.field()).isEqualTo("status"));
    }

    @Test
    void ratingsGivenAreCsatAndRatingsOfferedAreNoAnswer() {
        ZendeskRecords.RatingRead good = ZendeskRecords.rating(json("""
                {"id": 20001907, "ticket_id": 35, "score": "good", "comment": "Satisfaction!",
                 "created_at": "2012-09-07T19:04:19Z", "updated_at": "2012-09-08T08:00:00Z"}"""));
        assertThat(good.score()).isEqualTo(ZendeskRecords.GOOD);
        assertThat(good.at()).isEqualTo(Instant.parse("2012-09-08T08:00:00Z"));
        assertThat(good.createdAt()).isEqualTo(Instant.parse("2012-09-07T19:04:19Z"));
        assertThat(good.response(4001).score()).isEqualTo(5);
        assertThat(ZendeskRecords.rating(json("""
                                {"id": 2, "ticket_id": 93, "score": "offered",
                                 "created_at": "2012-09-09T00:01:04Z"}""")).score()).isNull();
    }

    @Test
    void endUsersOfAnOrganizationAreContactsAndADeactivatedOneHasLeft() {
        ZendeskRecords.UserRead user = ZendeskRecords.user(json("""
                {"id": 5001, "name": "Ada Buyer", "email": "ada@acme.example", "role": "end-user",
                 "organization_id": 4001, "active": false, "created_at": "2025-01-02T10:00:00Z",
                 "updated_at": "2026-02-03T10:00:00Z"}"""));
        assertThat(user.contact().path("accountExternalId").asString()).isEqualTo("4001");
        assertThat(user.contact().path("joinedAt").asString()).isEqualTo("2025-01-02");
        assertThat(user.contact().path("leftAt").asString()).isEqualTo("2026-02-03");
        assertThat(ZendeskRecords.user(json("""
                                {"id": 5002, "name": "Agent", "role": "agent", "organization_id": 4001,
                                 "created_at": "2025-01-02T10:00:00Z"}""")).contact()).isNull();
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
