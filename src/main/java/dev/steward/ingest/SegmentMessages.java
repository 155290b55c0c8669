package dev.steward.ingest;

import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
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
            byte[] payload,
            JsonNode traits) {}

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
    /**
     * A request body: its bytes, its JSON, and for a batch where each message starts and ends in the bytes, so that
     * the 32 KB limit applies to what was sent and each message is stored as it was sent.
     */
    record Body(byte[] bytes, ObjectNode root, int[] starts, int[] ends) {}

    /**
     * Reads a request body as JSON; anything but a JSON object is refused. The messages of a batch are measured as
     * they are read, so that the 32 KB limit applies to what was sent without writing anything out again.
     */
    Body read(byte[] body) {
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new RefusedRequest(null, "the body must be a JSON object");
            }
            ObjectNode root = json.createObjectNode();
            int[] starts = null;
            int[] ends = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("batch") && value == JsonToken.START_ARRAY) {
                    ArrayNode batch = root.putArray("batch");
                    starts = new int[64];
                    ends = new int[64];
                    int count = 0;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (count == starts.length) {
                            starts = Arrays.copyOf(starts, count * 2);
                            ends = Arrays.copyOf(ends, count * 2);
                        }
                        starts[count] = (int) parser.currentTokenLocation().getByteOffset();
                        batch.add((JsonNode) parser.readValueAsTree());
                        ends[count++] = (int) parser.currentLocation().getByteOffset();
                    }
                } else {
                    root.set(field, (JsonNode) parser.readValueAsTree());
                }
            }
            if (parser.nextToken() != null) {
                throw new RefusedRequest(null, "the body has more after its JSON object");
            }
            return new Body(body, root, starts, ends);
        } catch (JacksonException e) {
            throw new RefusedRequest(null, "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Checks a request. {@code type} is the path's message type, or null for a batch ({@code /v1/batch},
     * {@code /v1/import}).
     */
    Checked check(Body body, String type, Instant receivedAt) {
        ObjectNode root = body.root();
        if (type != null) {
            return checkAll(
                    List.of(root),
                    body.bytes(),
                    new int[] {0},
                    new int[] {body.bytes().length},
                    type,
                    null,
                    null,
                    receivedAt);
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
                body.bytes(),
                body.starts(),
                body.ends(),
                null,
                context != null && context.isObject() ? context : null,
                sentAt,
                receivedAt);
    }

    private Checked checkAll(
            List<JsonNode> events,
            byte[] body,
            int[] starts,
            int[] ends,
            String pathType,
            JsonNode batchContext,
            JsonNode batchSentAt,
            Instant receivedAt) {
        List<Event> valid = new ArrayList<>(events.size());
        List<FieldError> errors = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
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
                        body,
                        starts[index],
                        ends[index],
                        pathType,
                        batchContext,
                        batchSentAt,
                        receivedAt,
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
            byte[] body,
            int start,
            int end,
            String pathType,
            JsonNode batchContext,
            JsonNode batchSentAt,
            Instant receivedAt,
            List<FieldError> problems) {
        int size = end - start;
        if (size > MAX_EVENT_BYTES) {
            problems.add(FieldError.of(
                    null, "the message is " + size + " bytes; Segment's limit is " + MAX_EVENT_BYTES + " (32 KB)"));
            return null;
        }
        String type = pathType;
        if (type == null) {
            type = text(node.get("type"));
            if (type == null) {
                problems.add(FieldError.of("type", "is required in a batch: one of " + TYPES));
            } else if (!TYPES.contains(type)) {
                problems.add(FieldError.of("type", "'" + type + "' is not a message type; one of " + TYPES));
            }
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
        if (groupId == null) {
            // A batch's context applies to each of its messages, unless the message says otherwise.
            for (JsonNode context : new JsonNode[] {node.get("context"), batchContext}) {
                if (groupId == null && context != null && context.isObject()) {
                    groupId = identifier(context, "groupId", problems, "context.groupId");
                }
            }
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
        }
        // Stored as sent; only a write key in it is taken out. What Steward derived is in the event's columns.
        byte[] payload;
        if (node.has("writeKey")) {
            node.remove("writeKey");
            payload = json.writeValueAsBytes(node);
        } else {
            payload = Arrays.copyOfRange(body, start, end);
        }
        JsonNode traits = node.get("traits");
        boolean keepsTraits = "group".equals(type) || "identify".equals(type);
        return new Event(
                index,
                messageId,
                type,
                userId,
                anonymousId,
                groupId,
                name,
                occurredAt,
                payload,
                keepsTraits && traits != null && traits.isObject() ? traits : null);
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
        Instant fast = commonForm(value.asString());
        if (fast != null) {
            return fast;
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

    /**
     * Reads the form nearly every sender uses, {@code 2015-02-02T00:30:08.276Z} or with {@code +01:00}, ten times
     * faster than the general parser; null for anything else, which the general parser then judges.
     */
    static Instant commonForm(String text) {
        int length = text.length();
        if (length < 20
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || (text.charAt(10) != 'T' && text.charAt(10) != 't')
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (text.charAt(i) == '.') {
            int start = ++i;
            while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                nanos = nanos * 10 + (text.charAt(i++) - '0');
            }
            int fractionDigits = i - start;
            if (fractionDigits == 0 || fractionDigits > 9) {
                return null;
            }
            for (int d = fractionDigits; d < 9; d++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        int rest = length - i;
        char sign = i < length ? text.charAt(i) : ' ';
        if (rest == 1 && (sign == 'Z' || sign == 'z')) {
            offsetSeconds = 0;
        } else if ((sign == '+' || sign == '-') && (rest == 6 && text.charAt(i + 3) == ':' || rest == 5)) {
            int hours = digits(text, i + 1, 2);
            int minutes = digits(text, rest == 6 ? i + 4 : i + 3, 2);
            if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59) {
                return null;
            }
            offsetSeconds = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
