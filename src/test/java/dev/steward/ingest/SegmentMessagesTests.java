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

    final SegmentMessages messages = new SegmentMessages(JsonMapper.builder().build());
    final Instant now = Instant.parse("2026-01-10T12:00:00Z");

    SegmentMessages.Checked batch(String json) {
        return messages.check(messages.read(json.getBytes(StandardCharsets.UTF_8)), null, now);
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
}
