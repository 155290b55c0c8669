package dev.steward.ingest.pendo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.ingest.pendo.PendoStore.Feed;
import dev.steward.ingest.sync.RecordRefused;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Pendo's aggregations as Steward asks for them, and its rows as Steward reads or refuses them. */
class PendoRowsTests {

    private final JsonMapper json = JsonMapper.builder().build();
    private static final LocalDate DAY = LocalDate.parse("2026-03-16");

    @Test
    void anAggregationReadsOneEventSourceOverWholeDaysOfTheSubscriptionsTimeZone() {
        JsonNode request = json.readTree(PendoRows.request(Feed.pages, DAY, 3, ZoneId.of("Europe/Paris")));
        JsonNode source = request.at("/request/pipeline/0/source");
        assertThat(request.at("/response/mimeType").asString()).isEqualTo("application/json");
        assertThat(source.has("pageEvents")).isTrue();
        assertThat(source.get("pageEvents").isNull()).isTrue();
        assertThat(source.at("/timeSeries/period").asString()).isEqualTo("dayRange");
        // Midnight in Paris (UTC+1 in March, before the change) is 23:00 UTC the day before.
        assertThat(source.at("/timeSeries/first").asLong()).isEqualTo(1773615600000L);
        assertThat(source.at("/timeSeries/count").asInt()).isEqualTo(3);
    }

    @Test
    void aRowGivesItsAccountVisitorDayItemAndCounts() {
        PendoRows.Row row = PendoRows.read(json.readTree("""
                        {"accountId": "acme", "visitorId": 42, "featureId": "f-1", "day": 1773619200000,
                         "numEvents": 7, "numMinutes": 3}"""), Feed.features, ZoneOffset.UTC, DAY, DAY);
        assertThat(row).isEqualTo(new PendoRows.Row("acme", "42", DAY, "f-1", 7, 3));
        PendoRows.Row anonymous = PendoRows.read(json.readTree("""
                        {"accountId": null, "visitorId": "v", "day": 1773619200000}"""), Feed.activity, ZoneOffset.UTC, DAY, DAY);
        assertThat(anonymous.account()).isNull();
        assertThat(anonymous.events()).isZero();
    }

    @Test
    void aMalformedRowIsRefusedNamingTheField() {
        assertThatThrownBy(() -> read("""
                        {"accountId": "a", "visitorId": "v", "featureId": "f", "day": 1773705600000}"""))
                .isInstanceOf(RecordRefused.class)
                .hasMessage("is 2026-03-17, outside the days asked for (2026-03-16 to 2026-03-16)")
                .extracting(e -> ((RecordRefused) e).field())
                .isEqualTo("day");
        assertThatThrownBy(() -> read("""
                        {"accountId": "a", "visitorId": "v", "day": 1773619200000, "numEvents": 2}"""))
                .isInstanceOf(RecordRefused.class)
                .extracting(e -> ((RecordRefused) e).field())
                .isEqualTo("featureId");
        assertThatThrownBy(() -> read("""
                        {"accountId": "a", "visitorId": "v", "featureId": "f", "day": 1773619200000,
                         "numEvents": -1}"""))
                .isInstanceOf(RecordRefused.class)
                .hasMessage("is not a count (a whole number, 0 or more)");
        assertThatThrownBy(() -> read("""
                        {"accountId": "a", "featureId": "f", "day": 1773619200000}"""))
                .isInstanceOf(RecordRefused.class)
                .extracting(e -> ((RecordRefused) e).field())
                .isEqualTo("visitorId");
    }

    private PendoRows.Row read(String row) {
        return PendoRows.read(json.readTree(row), Feed.features, ZoneOffset.UTC, DAY, DAY);
    }
}
