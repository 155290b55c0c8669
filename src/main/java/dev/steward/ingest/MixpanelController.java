package dev.steward.ingest;

import dev.steward.core.FieldError;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mixpanel's ingestion API: {@code /import} (authenticated by HTTP Basic, a source's write key standing for the
 * project secret or a service account's secret) and {@code /track} (the write key as each event's {@code token}), so
 * that Mixpanel's libraries can send here. Each event becomes the Segment {@code track} Steward stores, its account
 * the value of the source's group key property; the answers have Mixpanel's shape, strict mode's on {@code /import}.
 * Valid events are stored even when others are refused, which the answer lists by index.
 */
@Hidden
@RestController
class MixpanelController {

    /** Mixpanel's limit of events per request. */
    static final int MAX_EVENTS = 2000;
    /** Mixpanel's limit for a request as sent. */
    static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;
    /** Mixpanel's limit for a request once uncompressed. */
    static final int MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024;

    private final WriteKeys writeKeys;
    private final TranslatedEvents translated;
    private final ObjectMapper json;
    private final Clock clock;

    MixpanelController(WriteKeys writeKeys, TranslatedEvents translated, ObjectMapper json, Clock clock) {
        this.writeKeys = writeKeys;
        this.translated = translated;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping(path = "/import", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> importEvents(
            HttpServletRequest request, @RequestParam(defaultValue = "1") String strict) throws IOException {
        Instant receivedAt = clock.instant();
        Optional<Source> source = basicCredentials(request).stream()
                .map(writeKeys::authenticate)
                .flatMap(Optional::stream)
                .findFirst();
        if (source.isEmpty()) {
            return answer(HttpStatus.UNAUTHORIZED, error("Invalid credentials"));
        }
        byte[] body = request.getContentLengthLong() > MAX_REQUEST_BYTES
                ? null
                : TrackingController.body(request, MAX_UNCOMPRESSED_BYTES);
        if (body == null) {
            return answer(
                    HttpStatus.PAYLOAD_TOO_LARGE,
                    error("request exceeds max limit of " + MAX_REQUEST_BYTES + " bytes"));
        }
        List<JsonNode> events;
        try {
            events = events(body);
        } catch (JacksonException e) {
            return answer(HttpStatus.BAD_REQUEST, error("unable to parse the body as JSON: " + e.getOriginalMessage()));
        }
        if (events.size() > MAX_EVENTS) {
            return answer(
                    HttpStatus.BAD_REQUEST,
                    error("request has " + events.size() + " events; send at most " + MAX_EVENTS + " per request"));
        }
        TranslatedEvents.Outcome outcome = store(source.get(), events, receivedAt);
        if (outcome.errors().isEmpty() || !"1".equals(strict)) {
            Map<String, Object> ok = new LinkedHashMap<>();
            ok.put("num_records_imported", outcome.accepted());
            return answer(HttpStatus.OK, ok);
        }
        Map<String, Object> invalid = new LinkedHashMap<>();
        invalid.put("num_records_imported", outcome.accepted());
        invalid.put("status", "Bad Request");
        invalid.put("failed_records", failedRecords(outcome));
        return answer(HttpStatus.BAD_REQUEST, invalid);
    }

    /**
     * {@code /track}: a JSON array (or one event) as the body, or Mixpanel's form with {@code data} holding it, plain
     * or in base64. Answers {@code 1} when every event was stored and {@code 0} when some were refused, or with
     * {@code verbose=1} {@code {"status": 1, "error": null}} and the reasons.
     */
    @PostMapping(path = "/track")
    ResponseEntity<?> track(HttpServletRequest request) throws IOException {
        Instant receivedAt = clock.instant();
        boolean verbose = "1".equals(request.getParameter("verbose"));
        byte[] body;
        String contentType = request.getContentType();
        if (contentType != null && contentType.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)) {
            String data = request.getParameter("data");
            body = data == null ? new byte[0] : formData(data.trim());
        } else {
            body = TrackingController.body(request, MAX_UNCOMPRESSED_BYTES);
        }
        if (request.getContentLengthLong() > MAX_REQUEST_BYTES || body == null) {
            return track(
                    HttpStatus.PAYLOAD_TOO_LARGE,
                    verbose,
                    "request exceeds max limit of " + MAX_REQUEST_BYTES + " bytes");
        }
        List<JsonNode> events;
        try {
            events = events(body);
        } catch (JacksonException e) {
            return track(
                    HttpStatus.BAD_REQUEST, verbose, "unable to parse the data as JSON: " + e.getOriginalMessage());
        }
        if (events.size() > MAX_EVENTS) {
            return track(HttpStatus.BAD_REQUEST, verbose, "send at most " + MAX_EVENTS + " events per request");
        }
        JsonNode token =
                events.isEmpty() ? null : events.get(0).path("properties").get("token");
        Optional<Source> source =
                token != null && token.isString() ? writeKeys.authenticate(token.asString()) : Optional.empty();
        if (source.isEmpty()) {
            return track(HttpStatus.UNAUTHORIZED, verbose, "token, missing or unknown");
        }
        TranslatedEvents.Outcome outcome = store(source.get(), events, receivedAt, token.asString());
        if (outcome.errors().isEmpty()) {
            return track(HttpStatus.OK, verbose, null);
        }
        StringBuilder reasons = new StringBuilder();
        outcome.errors()
                .forEach(e -> reasons.append(reasons.isEmpty() ? "" : "; ").append(e));
        return track(HttpStatus.OK, verbose, reasons.toString());
    }

    private TranslatedEvents.Outcome store(Source source, List<JsonNode> events, Instant receivedAt) {
        return store(source, events, receivedAt, null);
    }

    /** Stores the events; with {@code token}, only those carrying that token, as {@code /track} authenticates. */
    private TranslatedEvents.Outcome store(Source source, List<JsonNode> events, Instant receivedAt, String token) {
        String groupKey = SegmentSettings.of(source.settings()).groupKey();
        List<TranslatedEvents.Translated> messages = new ArrayList<>(events.size());
        for (int index = 0; index < events.size(); index++) {
            messages.add(MixpanelEvents.translate(index, events.get(index), groupKey, token));
        }
        return translated.store(
                source, "mixpanel", messages, receivedAt, field -> MixpanelEvents.vendorField(field, groupKey));
    }

    /** A JSON array of events, one event, or events one a line (application/x-ndjson). */
    private List<JsonNode> events(byte[] body) {
        List<JsonNode> events = new ArrayList<>();
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        if (first < body.length && body[first] == '[') {
            json.readTree(body).forEach(events::add);
            return events;
        }
        try (MappingIterator<JsonNode> values = json.readerFor(JsonNode.class).readValues(body)) {
            values.forEachRemaining(events::add);
        }
        return events;
    }

    /** The {@code data} of Mixpanel's form: JSON, or JSON in base64 as Mixpanel's libraries send it. */
    private static byte[] formData(String data) {
        if (data.startsWith("[") || data.startsWith("{")) {
            return data.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            return data.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The secrets HTTP Basic may carry: the user name (a project secret is sent as the user with an empty password)
     * and the password (a service account sends its name as the user and its secret as the password).
     */
    private static List<String> basicCredentials(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return List.of();
        }
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            List<String> secrets = new ArrayList<>(2);
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            String password = colon < 0 ? "" : decoded.substring(colon + 1);
            for (String secret : List.of(user, password)) {
                if (!secret.isEmpty()) {
                    secrets.add(secret);
                }
            }
            return secrets;
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private static List<Map<String, Object>> failedRecords(TranslatedEvents.Outcome outcome) {
        List<Map<String, Object>> failed = new ArrayList<>();
        for (FieldError error : outcome.errors()) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("index", error.index());
            record.put("insert_id", error.externalId() == null ? "" : error.externalId());
            record.put("field", error.field() == null ? "" : error.field());
            record.put("message", error.reason());
            failed.add(record);
        }
        return failed;
    }

    private static Map<String, Object> error(String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("error", message);
        return answer;
    }

    /** Mixpanel's answer: {@code code} first, then what the status says, with its reason phrase as {@code status}. */
    private static ResponseEntity<Map<String, Object>> answer(HttpStatus status, Map<String, Object> body) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", status.value());
        answer.putAll(body);
        // Mixpanel's reason phrases, as its answers spell them.
        answer.putIfAbsent(
                "status",
                switch (status) {
                    case OK -> "OK";
                    case PAYLOAD_TOO_LARGE -> "Request Entity Too Large";
                    default -> status.getReasonPhrase();
                });
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer);
    }

    private static ResponseEntity<?> track(HttpStatus status, boolean verbose, String error) {
        if (!verbose) {
            return ResponseEntity.status(status)
                    .contentType(MediaType.TEXT_PLAIN)
                    .body(error == null ? "1" : "0");
        }
        // A tree, since the error is written even when null, as Mixpanel writes it.
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("error", error);
        answer.put("status", error == null ? 1 : 0);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer);
    }
}
