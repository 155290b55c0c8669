package dev.steward.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/** Event times in the processor's queue: written compactly when exact, read back exactly, older text still read. */
class SegmentQueueTimesTests {

    private final JsonMapper json = JsonMapper.builder().build();

    private JsonNode written(Instant time) {
        ArrayNode entry = json.createArrayNode();
        SegmentEvents.occurredAt(entry, time);
        // Through text and back, as the queue stores it.
        return json.readTree(json.writeValueAsString(entry)).get(0);
    }

    @Test
    void timesOfMicrosecondsOrCoarserAreWrittenAsNumbersAndReadBackExactly() {
        for (Instant time : new Instant[] {
            Instant.parse("2026-03-18T10:15:30Z"),
            Instant.parse("2026-03-18T10:15:30.123Z"),
            Instant.parse("2026-03-18T10:15:30.123456Z"),
            Instant.parse("1969-12-31T23:59:59.999999Z"),
            Instant.parse("0001-01-01T00:00:00Z")
        }) {
            JsonNode value = written(time);
            assertThat(value.isNumber()).as("%s", time).isTrue();
            assertThat(SegmentEvents.occurredAt(value)).isEqualTo(time);
        }
    }

    @Test
    void finerTimesAndTimesOutOfRangeAreWrittenAsTextAndReadBackExactly() {
        for (Instant time : new Instant[] {Instant.parse("2026-03-18T10:15:30.123456789Z"), Instant.MAX, Instant.MIN}) {
            JsonNode value = written(time);
            assertThat(value.isString()).as("%s", time).isTrue();
            assertThat(SegmentEvents.occurredAt(value)).isEqualTo(time);
        }
    }

    @Test
    void textAsOlderVersionsQueuedItIsRead() {
        assertThat(SegmentEvents.occurredAt(json.readTree("\"2026-03-18T00:00:00Z\"")))
                .isEqualTo(Instant.parse("2026-03-18T00:00:00Z"));
    }
}
