package dev.steward.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SegmentMessagesTests {

    final SegmentMessages messages =
            new SegmentMessages(JsonMapper.builder().build(), new IngestProperties(null, null, null, null, null));
    final Instant now = Instant.parse("2026-01-10T12:00:00Z");

    SegmentMessages.Checked batch(String json) {
        return messages.check(
                messages.read(json.getBytes(StandardCharsets.UTF_8)), null, now, SegmentSettings.of(null));
    }

    @Test
    void theCommonTimestampFormReadsAsTheGeneralParserDoes() {
        for (String text : List.of(
                "2015-02-02T00:30:08.276Z",
                "2015-02-02T00:30:08Z",
                "2015-02-02T00:30:08.123456789Z",
                "2015-02-02T00:30:08.276+01:00",
                "2015-02-02T00:30:08-05:30",
                "2024-02-29T23:59:59.9z")) {
            assertThat(SegmentMessages.commonForm(text))
                    .as(text)
                    .isEqualTo(OffsetDateTime.parse(text.replace('z', 'Z')).toInstant());
        }
        assertThat(SegmentMessages.commonForm("2015-02-02T00:30:08.276+0100"))
                .isEqualTo(Instant.parse("2015-02-01T23:30:08.276Z"));
        for (String text : List.of(
                "2015-2-02T00:30:08.276Z", "2015-02-30T00:30:08Z", "2015-02-02T00:30:08", "2015-02-02 00:30:08Z")) {
            assertThat(SegmentMessages.commonForm(text)).as(text).isNull();
        }
    }

    @Test
    void malformedTimestampsAreReportedNotGuessed() {
        SegmentMessages.Checked checked = batch("""
                {"batch": [
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "2015-2-02T00:30:08.276Z"},
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "2015-02-02T00:30:08"},
                  {"type": "track", "userId": "u", "event": "E", "timestamp": 1422837008}
                ]}""");
        assertThat(checked.events()).isEmpty();
        assertThat(checked.errors())
                .extracting(e -> e.index() + " " + e.field() + ": " + e.reason())
                .containsExactly(
                        "0 timestamp: '2015-2-02T00:30:08.276Z' is not an ISO 8601 date-time such as"
                                + " 2015-02-02T00:30:08.276Z",
                        "1 timestamp: '2015-02-02T00:30:08' has no time zone; add one, e.g. 2015-02-02T00:30:08Z",
                        "2 timestamp: must be an ISO 8601 date-time string, got 1422837008");
    }

    @Test
    void theSendersClockIsCorrectedWithSentAtAndTheBatchContextApplies() {
        SegmentMessages.Checked checked = batch("""
                {"sentAt": "2026-01-10T13:00:05Z", "context": {"groupId": "acme"},
                 "batch": [
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "2026-01-10T13:00:00Z"},
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "2026-01-10T13:00:00Z",
                   "sentAt": "2026-01-10T13:00:00Z", "context": {"groupId": "globex"}},
                  {"type": "page", "anonymousId": "a"}
                ]}""");
        assertThat(checked.events())
                .extracting(SegmentMessages.Event::occurredAt)
                .containsExactly(now.minusSeconds(5), now, now);
        assertThat(checked.events())
                .extracting(SegmentMessages.Event::groupId)
                .containsExactly("acme", "globex", "acme");
    }

    @Test
    void eachMessageIsMeasuredAsSent() {
        String big = "x".repeat(SegmentMessages.MAX_EVENT_BYTES);
        SegmentMessages.Checked checked =
                batch("{\"batch\": [{\"type\": \"track\", \"userId\": \"u\", \"event\": \"E\"},"
                        + " {\"type\": \"track\", \"userId\": \"u\", \"event\": \"E\", \"properties\": {\"p\": \"" + big
                        + "\"}}]}");
        assertThat(checked.events()).hasSize(1);
        assertThat(checked.errors().get(0).index()).isEqualTo(1);
        assertThat(new String(checked.events().get(0).payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\": \"track\", \"userId\": \"u\", \"event\": \"E\"}");
        assertThatThrownBy(() -> batch("{\"batch\": [] } trailing")).isInstanceOf(SegmentMessages.RefusedRequest.class);
    }

    @Test
    void textTheDatabaseCannotStoreIsRefusedPerMessageNamingTheField() {
        SegmentMessages.Checked checked = batch("""
                {"batch": [
                  {"type": "group", "userId": "u", "groupId": "acme", "traits": {"name": "Acme\\u0000 Corp"}},
                  {"type": "track", "userId": "u", "event": "Signed \\ud800In"},
                  {"type": "identify", "userId": "u", "traits": {"bad\\u0000key": 1}},
                  {"type": "track", "userId": "u", "event": "Fine \\u00e9 \\ud83d\\ude00"},
                  {"type": "track", "userId": "u\\udc00", "event": "E"}
                ]}""");
        assertThat(checked.events()).extracting(SegmentMessages.Event::name).containsExactly("Fine é 😀");
        assertThat(checked.errors())
                .extracting(e -> e.index() + " " + e.field() + ": " + e.reason())
                .containsExactly(
                        "0 traits.name: holds the NUL character (U+0000) at position 5, which cannot be stored;"
                                + " remove it",
                        "1 event: holds an unpaired surrogate \\ud800 at position 8: half of a UTF-16 pair is not a"
                                + " character; send valid Unicode",
                        "2 traits.bad\\u0000key: the field's name holds the NUL character (U+0000) at position 4,"
                                + " which cannot be stored; remove it",
                        "4 userId: holds an unpaired surrogate \\udc00 at position 2: half of a UTF-16 pair is not a"
                                + " character; send valid Unicode");
        // What is recorded of a refused message can itself be stored: the NUL is written out.
        assertThat(checked.rejections()).allSatisfy(r -> assertThat(r.excerpt()).doesNotContain("\u0000"));
        assertThatThrownBy(() -> batch("""
                        {"context": {"groupId": "a\\u0000b"}, "batch": [{"type": "track", "userId": "u", "event": "E"}]}"""))
                .isInstanceOf(SegmentMessages.RefusedRequest.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void eventTimesOutsideTheWindowAroundTheReceiveTimeAreRefusedPerEvent() {
        SegmentMessages.Checked checked = batch("""
                {"batch": [
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "0000-01-01T00:00:00Z"},
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "9999-12-31T23:59:59Z"},
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "1100-06-01T00:00:00Z"},
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "2028-01-01T00:00:00Z"},
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "+99999-01-01T00:00:00Z"},
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "0001-01-01T00:00:00Z",
                   "sentAt": "9999-01-01T00:00:00Z"},
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "2024-01-12T00:00:00Z"},
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "2026-01-11T06:00:00Z"},
                  {"type": "track", "userId": "u", "event": "E", "timestamp": "2010-01-10T12:00:00Z",
                   "sentAt": "2010-01-10T12:00:05Z"}
                ]}""");
        assertThat(checked.events())
                .extracting(SegmentMessages.Event::occurredAt)
                .containsExactly(
                        Instant.parse("2024-01-12T00:00:00Z"),
                        Instant.parse("2026-01-11T06:00:00Z"),
                        now.minusSeconds(5));
        assertThat(checked.errors()).extracting(e -> e.index()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(checked.errors()).allSatisfy(e -> assertThat(e.field()).isEqualTo("timestamp"));
        assertThat(checked.errors().get(0).reason())
                .isEqualTo("'0000-01-01T00:00:00Z' is 739,991 days before the time it was received"
                        + " (2026-01-10T12:00:00Z); events are accepted from 730 days before to 1 day after it"
                        + " (steward.ingest.event-time.past and .future)");
        assertThat(checked.errors().get(3).reason()).startsWith("'2028-01-01T00:00:00Z' is 720 days after the time");
        assertThat(checked.errors().get(4).reason()).startsWith("'+99999-01-01T00:00:00Z' is 35,783,893 days after");
        assertThat(checked.errors().get(5).reason())
                .startsWith("'0001-01-01T00:00:00Z' (")
                .contains("once corrected for the sender's clock with sentAt '9999-01-01T00:00:00Z'");
    }

    @Test
    void aMessageThatPassedThroughSegmentKeepsTheTimestampSegmentCorrected() {
        // Segment's own receivedAt says the timestamp is already receivedAt - (sentAt - originalTimestamp).
        SegmentMessages.Checked checked = batch("""
                {"batch": [{"type": "track", "userId": "u", "event": "E", "originalTimestamp": "2026-01-10T13:00:00Z",
                  "sentAt": "2026-01-10T13:00:05Z", "receivedAt": "2026-01-09T08:00:05Z",
                  "timestamp": "2026-01-09T08:00:00Z"}]}""");
        assertThat(checked.events())
                .extracting(SegmentMessages.Event::occurredAt)
                .containsExactly(Instant.parse("2026-01-09T08:00:00Z"));
    }

    @Test
    void aGroupTraitThatDoesNotFitItsAccountFieldIsRefusedNotAltered() {
        SegmentMessages.Checked checked = batch("""
                {"batch": [
                  {"type": "group", "userId": "u", "groupId": "a", "traits": {"name": "A", "employees": 2.5}},
                  {"type": "group", "userId": "u", "groupId": "b", "traits": {"name": "B", "employees": "120"}},
                  {"type": "group", "userId": "u", "groupId": "c", "traits": {"employees": -3}},
                  {"type": "group", "userId": "u", "groupId": "d", "traits": {"name": "%s"}},
                  {"type": "identify", "userId": "u", "traits": {"employees": 2.5}}
                ]}""".formatted("x".repeat(201)));
        assertThat(checked.events()).extracting(SegmentMessages.Event::groupId).containsExactly("b", null);
        assertThat(checked.errors())
                .extracting(e -> e.index() + " " + e.field() + ": " + e.reason())
                .containsExactly(
                        "0 traits.employees: is 2.5; it fills the account's employees, a whole number from 0 to"
                                + " 2147483647",
                        "2 traits.employees: is -3; it fills the account's employees, a whole number from 0 to"
                                + " 2147483647",
                        "3 traits.name: is 201 characters long; it fills the account's name, at most 200");
    }
}
