package dev.steward.ingest;

import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and checks the messages of a tracking API request, following Segment's HTTP API: the fields each type needs,
 * the size limits, and the timestamps ({@code timestamp} corrected for the sender's clock with {@code sentAt}).
 */
@Component
final class SegmentMessages {

    /** Segment's limit for one message, alone or in a batch. */
    static final int MAX_EVENT_BYTES = 32 * 1024;
    /** Segment's limit for a batch request. */
    static final int MAX_BATCH_BYTES = 500 * 1024;
    /** Segment's limit of messages in a batch. */
    static final int MAX_BATCH_EVENTS = 2500;
    /** Segment's limit for a messageId. */
    static final int MAX_MESSAGE_ID = 100;

    static final Set<String> TYPES = Set.of("identify", "group", "track", "page", "screen", "alias");

    /** ISO 8601 with an offset as {@code Z}, {@code +01:00} or {@code +0100}; no guessing of anything else. */
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart()
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .toFormatter();

    /** One valid message, ready to store. */
    record Event(
            int index,
            String messageId,
            String type,
            String userId,
            String anonymousId,
            String groupId,
            String name,
            Instant occurredAt,
            String payload) {}

    /** The valid messages of a request and the refused ones, each with its index, messageId, field and reason. */
    record Checked(List<Event> events, List<FieldError> errors, List<Rejection> rejections, int received) {}

    /** Thrown when a whole request is refused (bad JSON, too large, no batch): answered 400. */
    static final class RefusedRequest extends RuntimeException {
        private final String field;

        RefusedRequest(String field, String reason) {
            super(reason);
            this.field = field;
        }

        FieldError error() {
            return FieldError.of(field, getMessage());
        }
    }

    private final ObjectMapper json;

    SegmentMessages(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Checks a request body. {@code type} is the path's message type, or null for a batch ({@code /v1/batch},
     * {@code /v1/import}).
     */
    /** Reads a request body as JSON; anything but a JSON object is refused. */
    ObjectNode read(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (tools.jackson.core.JacksonException e) {
            throw new RefusedRequest(null, "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RefusedRequest(null, "the body must be a JSON object");
        }
        return (ObjectNode) root;
    }

    /**
     * Checks a request. {@code type} is the path's message type, or null for a batch ({@code /v1/batch},
     * {@code /v1/import}); {@code bodyBytes} is the size of the body as sent.
     */
    Checked check(ObjectNode root, int bodyBytes, String type, Instant receivedAt) {
        if (type != null) {
            root.remove("writeKey");
            return checkAll(List.of(root), type, null, null, receivedAt, bodyBytes > MAX_EVENT_BYTES);
        }
        JsonNode batch = root.get("batch");
        if (batch == null || !batch.isArray()) {
            throw new RefusedRequest("batch", "a batch request needs a 'batch' array of messages");
        }
        if (batch.size() > MAX_BATCH_EVENTS) {
            throw new RefusedRequest(
                    "batch", "has " + batch.size() + " messages; send at most " + MAX_BATCH_EVENTS + " per batch");
        }
        List<JsonNode> events = new ArrayList<>(batch.size());
        batch.forEach(events::add);
        JsonNode context = root.get("context");
        JsonNode sentAt = root.get("sentAt");
        return checkAll(
                events,
                null,
                context != null && context.isObject() ? context : null,
                sentAt,
                receivedAt,
                bodyBytes > MAX_EVENT_BYTES);
    }

    private Checked checkAll(
            List<JsonNode> events,
            String pathType,
            JsonNode batchContext,
            JsonNode batchSentAt,
            Instant receivedAt,
            boolean mayBeTooLarge) {
        List<Event> valid = new ArrayList<>(events.size());
        List<FieldError> errors = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        String received = receivedAt.toString();
        for (int index = 0; index < events.size(); index++) {
            JsonNode node = events.get(index);
            List<FieldError> problems = new ArrayList<>(2);
            Event event = null;
            String messageId = node.isObject() ? text(node.get("messageId")) : null;
            if (!node.isObject()) {
                problems.add(FieldError.of(null, "each message must be a JSON object, got " + node.getNodeType()));
            } else {
                event = check(
                        (ObjectNode) node,
                        index,
                        pathType,
                        batchContext,
                        batchSentAt,
                        receivedAt,
                        received,
                        mayBeTooLarge,
                        problems);
            }
            if (problems.isEmpty()) {
                valid.add(event);
            } else {
                String record = pathType != null ? pathType : "batch[" + index + "]";
                String excerpt = node.toString();
                for (FieldError problem : problems) {
                    errors.add(problem.forRecord(index, messageId));
                    rejections.add(new Rejection(
                            messageId == null ? record : record + " (" + messageId + ")",
                            problem.field(),
                            problem.reason(),
                            excerpt));
                }
            }
        }
        return new Checked(valid, errors, rejections, events.size());
    }

    private Event check(
            ObjectNode node,
            int index,
            String pathType,
            JsonNode batchContext,
            JsonNode batchSentAt,
            Instant receivedAt,
            String received,
            boolean mayBeTooLarge,
            List<FieldError> problems) {
        if (mayBeTooLarge) {
            int size = json.writeValueAsBytes(node).length;
            if (size > MAX_EVENT_BYTES) {
                problems.add(FieldError.of(
                        null, "the message is " + size + " bytes; Segment's limit is " + MAX_EVENT_BYTES + " (32 KB)"));
                return null;
            }
        }
        String type = pathType;
        if (type == null) {
            type = text(node.get("type"));
            if (type == null) {
                problems.add(FieldError.of("type", "is required in a batch: one of " + TYPES));
            } else if (!TYPES.contains(type)) {
                problems.add(FieldError.of("type", "'" + type + "' is not a message type; one of " + TYPES));
            }
        } else {
            node.put("type", type);
        }
        String userId = identifier(node, "userId", problems);
        String anonymousId = identifier(node, "anonymousId", problems);
        String messageId = identifier(node, "messageId", problems);
        if (messageId != null && messageId.length() > MAX_MESSAGE_ID) {
            problems.add(FieldError.of(
                    "messageId", "is " + messageId.length() + " characters long; at most " + MAX_MESSAGE_ID));
        }
        if (userId == null && anonymousId == null) {
            problems.add(FieldError.of("userId", "every message needs a userId or an anonymousId"));
        }
        for (String field : List.of("traits", "properties", "context", "integrations")) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull() && !value.isObject()) {
                problems.add(FieldError.of(field, "must be a JSON object, got " + value.getNodeType()));
            }
        }
        String groupId = null;
        String name = null;
        if (type != null) {
            switch (type) {
                case "track" -> {
                    name = text(node.get("event"));
                    if (name == null || name.isBlank()) {
                        problems.add(FieldError.of("event", "a track message needs the name of its event"));
                    }
                }
                case "group" -> {
                    groupId = identifier(node, "groupId", problems);
                    if (groupId == null) {
                        problems.add(FieldError.of("groupId", "a group message needs the groupId of the account"));
                    }
                }
                case "alias" -> {
                    name = identifier(node, "previousId", problems);
                    if (name == null) {
                        problems.add(FieldError.of("previousId", "an alias message needs the previousId it merges"));
                    }
                    if (userId == null) {
                        problems.add(FieldError.of("userId", "an alias message needs the userId it merges into"));
                    }
                }
                case "page", "screen" -> name = text(node.get("name"));
                default -> {}
            }
        }
        JsonNode context = node.get("context");
        if (batchContext != null) {
            ObjectNode merged = ((ObjectNode) batchContext).deepCopy();
            if (context != null && context.isObject()) {
                merged.setAll((ObjectNode) context);
            }
            node.set("context", merged);
            context = merged;
        }
        if (groupId == null && context != null && context.isObject()) {
            groupId = identifier(context, "groupId", problems, "context.groupId");
        }
        String timestampField = node.hasNonNull("timestamp") ? "timestamp" : "originalTimestamp";
        Instant clientTime = time(node, timestampField, problems);
        JsonNode sentAtNode = node.hasNonNull("sentAt") ? node.get("sentAt") : batchSentAt;
        Instant sentAt = sentAtNode == null || sentAtNode.isNull() ? null : time(sentAtNode, "sentAt", problems);
        if (!problems.isEmpty()) {
            return null;
        }
        Instant occurredAt = clientTime == null
                ? receivedAt
                : sentAt == null ? clientTime : receivedAt.minus(Duration.between(clientTime, sentAt));
        if (messageId == null) {
            // The HTTP API makes messageId optional; without one a message cannot be recognised when sent again.
            messageId = "steward-" + Ids.newId();
            node.put("messageId", messageId);
        }
        if (clientTime != null && !occurredAt.equals(clientTime)) {
            if (!node.hasNonNull("originalTimestamp")) {
                node.set("originalTimestamp", node.get(timestampField));
            }
            node.put("timestamp", occurredAt.toString());
        } else if (clientTime == null) {
            node.put("timestamp", received);
        }
        node.put("receivedAt", received);
        node.remove("writeKey");
        return new Event(
                index, messageId, type, userId, anonymousId, groupId, name, occurredAt, json.writeValueAsString(node));
    }

    private static Instant time(JsonNode node, String field, List<FieldError> problems) {
        JsonNode value = node.isObject() ? node.get(field) : node;
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            problems.add(FieldError.of(field, "must be an ISO 8601 date-time string, got " + value));
            return null;
        }
        try {
            TemporalAccessor parsed = ISO.parse(value.asString());
            if (!parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                problems.add(FieldError.of(
                        field, "'" + value.asString() + "' has no time zone; add one, e.g. " + value.asString() + "Z"));
                return null;
            }
            return OffsetDateTime.from(parsed).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(FieldError.of(
                    field, "'" + value.asString() + "' is not an ISO 8601 date-time such as 2015-02-02T00:30:08.276Z"));
            return null;
        }
    }

    private static String identifier(JsonNode node, String field, List<FieldError> problems) {
        return identifier(node, field, problems, field);
    }

    /** Ids may be strings or numbers, as Segment's libraries send them; anything else is refused. */
    private static String identifier(JsonNode node, String field, List<FieldError> problems, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            String text = value.asString();
            return text.isEmpty() ? null : text;
        }
        if (value.isIntegralNumber()) {
            return value.asString();
        }
        problems.add(FieldError.of(path, "must be a string or a whole number, got " + value.getNodeType()));
        return null;
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() ? node.asString() : null;
    }
}
