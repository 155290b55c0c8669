package dev.steward.ingest;

import dev.steward.core.FieldError;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How an Amplitude event (of the HTTP V2 or Batch API, or of an export) becomes the Segment {@code track} Steward
 * stores: the one translation both the endpoints and the export pulls use.
 */
final class AmplitudeEvents {

    private AmplitudeEvents() {}

    /** Amplitude's name of a Segment field a check refused. */
    static String vendorField(String segmentField) {
        return FIELDS.getOrDefault(segmentField, segmentField);
    }

    /** Amplitude's name of each Segment field a check may refuse. */
    private static final Map<String, String> FIELDS = Map.of(
            "timestamp", "time",
            "userId", "user_id",
            "anonymousId", "device_id",
            "messageId", "insert_id",
            "event", "event_type",
            "context.groupId", "groups",
            "properties", "event_properties");

    /** One Amplitude event as the Segment track Steward stores, or the reason it cannot be one. */
    static TranslatedEvents.Translated translate(int index, JsonNode event, String groupType, int minIdLength) {
        if (!event.isObject()) {
            return TranslatedEvents.Translated.refused(
                    index, null, FieldError.of("event", "each event must be a JSON object"), event);
        }
        JsonNode insertNode = event.get("insert_id");
        String insertId = insertNode != null && insertNode.isString() ? insertNode.asString() : null;
        String eventType = text(event.get("event_type"));
        if (eventType == null || eventType.isBlank()) {
            return TranslatedEvents.Translated.refused(
                    index, insertId, FieldError.of("event_type", "is required: the name of the event"), event);
        }
        String userId = text(event.get("user_id"));
        String deviceId = text(event.get("device_id"));
        if (userId == null && deviceId == null) {
            return TranslatedEvents.Translated.refused(
                    index, insertId, FieldError.of("user_id", "every event needs a user_id or a device_id"), event);
        }
        for (String[] id : new String[][] {{"user_id", userId}, {"device_id", deviceId}}) {
            if (id[1] != null && id[1].length() < minIdLength) {
                return TranslatedEvents.Translated.refused(
                        index,
                        insertId,
                        FieldError.of(
                                id[0],
                                "'" + id[1] + "' is shorter than " + minIdLength
                                        + " characters (options.min_id_length)"),
                        event);
            }
        }
        JsonNode time = event.get("time");
        if (time != null && !time.isNull() && !time.isIntegralNumber()) {
            return TranslatedEvents.Translated.refused(
                    index,
                    insertId,
                    FieldError.of("time", "must be a whole number of milliseconds since the epoch, got " + time),
                    event);
        }
        if (insertNode != null && !insertNode.isNull() && !insertNode.isString()) {
            return TranslatedEvents.Translated.refused(
                    index, insertId, FieldError.of("insert_id", "must be a string, got " + insertNode), event);
        }
        ObjectNode message = ((ObjectNode) event).objectNode();
        message.put("type", "track");
        message.put("event", eventType);
        if (userId != null) {
            message.put("userId", userId);
        }
        if (deviceId != null) {
            message.put("anonymousId", deviceId);
        }
        if (insertId != null) {
            message.put("messageId", insertId);
        }
        if (time != null && !time.isNull()) {
            message.put("timestamp", Instant.ofEpochMilli(time.asLong()).toString());
        }
        JsonNode properties = event.get("event_properties");
        if (properties != null && !properties.isNull()) {
            message.set("properties", properties);
        }
        ObjectNode context = message.putObject("context");
        context.putObject("library").put("name", "amplitude");
        JsonNode group = event.path("groups").get(groupType);
        if (group != null && group.isArray() && group.size() == 1) {
            group = group.get(0);
        }
        if (group != null && !group.isNull()) {
            if (!group.isString() && !group.isIntegralNumber()) {
                return TranslatedEvents.Translated.refused(
                        index,
                        insertId,
                        FieldError.of(
                                "groups." + groupType,
                                "must be one account id (a string or a whole number), got " + group),
                        event);
            }
            context.put("groupId", group.asString());
        }
        return TranslatedEvents.Translated.of(index, insertId, message, event);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String text = node.isString() || node.isIntegralNumber() ? node.asString() : null;
        return text == null || text.isEmpty() ? null : text;
    }
}
