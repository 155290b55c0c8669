package dev.steward.ingest.pendo;

import dev.steward.ingest.pendo.PendoStore.Feed;
import dev.steward.ingest.sync.RecordRefused;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pendo's aggregations as Steward asks for them and their rows as it reads them. A request reads one event source over
 * a slice of whole days ({@code timeSeries} of period {@code dayRange}: the first day's start in milliseconds, and how
 * many days); each row of an event source is one visitor's events of one day, with the account, the day's start in
 * milliseconds, {@code numEvents} and {@code numMinutes}, and for features, pages and track events the item's id.
 */
final class PendoRows {

    /** One visitor's events of a day, of one item (feature, page, track type) or of all ({@code item} null). */
    record Row(
            @Nullable String account,
            String visitor,
            LocalDate day,
            @Nullable String item,
            long events,
            long minutes) {}

    private PendoRows() {}

    /** The aggregation of the feed's event source over {@code count} days from {@code first}, in the zone. */
    static String request(Feed feed, LocalDate first, int count, ZoneId zone) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("response").put("mimeType", "application/json");
        ObjectNode request = body.putObject("request");
        request.put("requestId", "steward-" + feed.name() + "-" + first);
        ObjectNode source = request.putArray("pipeline").addObject().putObject("source");
        source.putNull(feed.source());
        ObjectNode series = source.putObject("timeSeries");
        series.put("period", "dayRange");
        series.put("first", first.atStartOfDay(zone).toInstant().toEpochMilli());
        series.put("count", count);
        return body.toString();
    }

    /** The aggregation of every account with its metadata ({@code {"source": {"accounts": null}}}). */
    static String accounts() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("response").put("mimeType", "application/json");
        ObjectNode request = body.putObject("request");
        request.put("requestId", "steward-accounts");
        request.putArray("pipeline").addObject().putObject("source").putNull("accounts");
        return body.toString();
    }

    /**
     * Reads a row; refused (naming the field) when its day, visitor, counts or item are not Pendo's shapes, or its day
     * lies outside the slice asked for. A row of no account (a visitor Pendo knows of no account) has none.
     */
    static Row read(JsonNode row, Feed feed, ZoneId zone, LocalDate from, LocalDate to) {
        JsonNode day = row.get("day");
        if (day == null || !day.isIntegralNumber()) {
            throw new RecordRefused("day", text(day), "is not a day (the start of a day, in milliseconds since 1970)");
        }
        LocalDate date = Instant.ofEpochMilli(day.asLong()).atZone(zone).toLocalDate();
        if (date.isBefore(from) || date.isAfter(to)) {
            throw new RecordRefused(
                    "day", day.asString(), "is " + date + ", outside the days asked for (" + from + " to " + to + ")");
        }
        JsonNode visitor = row.get("visitorId");
        if (visitor == null
                || !(visitor.isString() || visitor.isNumber())
                || visitor.asString().isBlank()) {
            throw new RecordRefused("visitorId", text(visitor), "is missing: every event row names its visitor");
        }
        String item = null;
        if (feed.itemField() != null) {
            JsonNode id = row.get(feed.itemField());
            if (id == null || !id.isString() || id.asString().isBlank()) {
                throw new RecordRefused(feed.itemField(), text(id), "is missing");
            }
            item = id.asString();
        }
        JsonNode account = row.get("accountId");
        String accountId = account != null
                        && (account.isString() || account.isNumber())
                        && !account.asString().isBlank()
                ? account.asString()
                : null;
        return new Row(accountId, visitor.asString(), date, item, count(row, "numEvents"), count(row, "numMinutes"));
    }

    private static long count(JsonNode row, String field) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw new RecordRefused(field, text(value), "is not a count (a whole number, 0 or more)");
        }
        return value.asLong();
    }

    private static @Nullable String text(@Nullable JsonNode value) {
        return value == null || value.isNull() ? null : value.isString() ? value.asString() : value.toString();
    }
}
