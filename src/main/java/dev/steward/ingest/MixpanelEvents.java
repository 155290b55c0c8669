package dev.steward.ingest;

import dev.steward.core.FieldError;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a Mixpanel event (of {@code /import}, {@code /track} or the raw export) becomes the Segment {@code track} Steward
 * stores: the one translation both the endpoints and the export pulls use.
 */
final class MixpanelEvents {

    private MixpanelEvents() {}

    /** Mixpanel's name of a Segment field a check refused; the account is the group key's property. */
    static String vendorField(String segmentField, String groupKey) {
        String known = FIELDS.get(segmentField);
        return known != null ? known : segmentField.equals("context.groupId") ? "properties." + groupKey : segmentField;
    }

    /** Mixpanel's rule for {@code $insert_id}: up to 36 letters, digits and dashes. */
    private static final Pattern INSERT_ID = Pattern.compile("[A-Za-z0-9-]{1,36}");

    /** Times from this on are milliseconds, before it seconds: in seconds it is the year 5138. */
    private static final long MILLIS_FROM = 100_000_000_000L;

    private static final Map<String, String> FIELDS = Map.of(
            "timestamp", "properties.time",
            "userId", "properties.distinct_id",
            "anonymousId", "properties.$device_id",
            "messageId", "properties.$insert_id",
            "event", "event");

    /** One Mixpanel event as the Segment track Steward stores, or the reason it cannot be one. */
    static TranslatedEvents.Translated translate(int index, JsonNode event, String groupKey, String token) {
        if (!event.isObject()) {
            return TranslatedEvents.Translated.refused(
                    index, null, FieldError.of(null, "each event must be a JSON object"), event);
        }
        JsonNode properties = event.get("properties");
        String insertId = properties != null && properties.isObject() ? text(properties.get("$insert_id")) : null;
        if (properties != null && properties.isObject()) {
            // The token is a write key: it is neither stored nor shown with a refusal.
            JsonNode sentToken = ((ObjectNode) properties).remove("token");
            if (token != null && (sentToken == null || !token.equals(sentToken.asString()))) {
                return TranslatedEvents.Translated.refused(
                        index,
                        insertId,
                        FieldError.of("properties.token", "is not the token of this request's first event"),
                        event);
            }
        }
        String name = text(event.get("event"));
        if (name == null || name.isBlank()) {
            return TranslatedEvents.Translated.refused(
                    index, insertId, FieldError.of("event", "'event' must be a non-empty string"), event);
        }
        if (properties == null || !properties.isObject()) {
            return TranslatedEvents.Translated.refused(
                    index, insertId, FieldError.of("properties", "'properties' must be an object"), event);
        }
        JsonNode time = properties.get("time");
        // /track sets the time of an event sent without one to when it arrives; /import needs it.
        boolean timeMayLack = token != null && (time == null || time.isNull());
        if (!timeMayLack && (time == null || !time.isNumber() || time.asDouble() < 0)) {
            return TranslatedEvents.Translated.refused(
                    index,
                    insertId,
                    FieldError.of(
                            "properties.time",
                            "'properties.time' is invalid: must be specified as seconds since" + " epoch"),
                    event);
        }
        JsonNode insertNode = properties.get("$insert_id");
        if (insertNode != null
                && (insertId == null || !INSERT_ID.matcher(insertId).matches())) {
            return TranslatedEvents.Translated.refused(
                    index,
                    insertId,
                    FieldError.of(
                            "properties.$insert_id",
                            "'properties.$insert_id' is invalid: must be up to 36 letters, digits and dashes"),
                    event);
        }
        String distinctId = text(properties.get("distinct_id"));
        String userId = text(properties.get("$user_id"));
        String deviceId = text(properties.get("$device_id"));
        if (userId == null && distinctId != null && !distinctId.startsWith("$device:")) {
            userId = distinctId;
        }
        if (deviceId == null && distinctId != null && distinctId.startsWith("$device:")) {
            deviceId = distinctId.substring("$device:".length());
        }
        if (userId == null && deviceId == null) {
            return TranslatedEvents.Translated.refused(
                    index,
                    insertId,
                    FieldError.of("properties.distinct_id", "'properties.distinct_id' must be a non-empty string"),
                    event);
        }
        ObjectNode message = ((ObjectNode) event).objectNode();
        message.put("type", "track");
        message.put("event", name);
        if (userId != null) {
            message.put("userId", userId);
        }
        if (deviceId != null) {
            message.put("anonymousId", deviceId);
        }
        if (insertId != null) {
            message.put("messageId", insertId);
        }
        if (!timeMayLack) {
            message.put("timestamp", instant(time).toString());
        }
        message.set("properties", properties);
        ObjectNode context = message.putObject("context");
        context.putObject("library").put("name", "mixpanel");
        JsonNode group = properties.get(groupKey);
        if (group != null && group.isArray() && group.size() == 1) {
            group = group.get(0);
        }
        if (group != null && !group.isNull()) {
            if (!group.isString() && !group.isIntegralNumber()) {
                return TranslatedEvents.Translated.refused(
                        index,
                        insertId,
                        FieldError.of(
                                "properties." + groupKey,
                                "must be one account id (a string or a whole number), got " + group),
                        event);
            }
            context.put("groupId", group.asString());
        }
        return TranslatedEvents.Translated.of(index, insertId, message, event);
    }

    /** Seconds since the epoch, possibly with a fraction, or milliseconds, which Mixpanel accepts too. */
    private static Instant instant(JsonNode time) {
        BigDecimal value = time.decimalValue();
        if (value.compareTo(BigDecimal.valueOf(MILLIS_FROM)) >= 0) {
            return Instant.ofEpochMilli(Math.min(value.longValue(), Instant.MAX.toEpochMilli()));
        }
        long seconds = value.longValue();
        long nanos =
                value.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String text = node.isString() || node.isIntegralNumber() ? node.asString() : null;
        return text == null || text.isEmpty() ? null : text;
    }
}
