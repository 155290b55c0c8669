package dev.steward.ingest;

import dev.steward.core.FieldError;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Amplitude's HTTP V2 API ({@code /2/httpapi}) and Batch Event Upload API ({@code /batch}), so that Amplitude's
 * libraries can send here: a source's write key is the {@code api_key}, each event becomes the Segment {@code track}
 * Steward stores (its account is the group of the source's group type in {@code groups}), and the answers have
 * Amplitude's shape. Valid events are stored even when others are refused; the 400 then lists the refused ones by
 * index, as Amplitude's does, so a sender that drops them and sends the rest again stores nothing twice.
 */
@Hidden
@RestController
class AmplitudeController {

    /** Amplitude's limit of events per request. */
    static final int MAX_EVENTS = 2000;
    /** Amplitude's limit for an HTTP V2 request. */
    static final int MAX_HTTP_API_BYTES = 1024 * 1024;
    /** Amplitude's limit for a Batch Event Upload request. */
    static final int MAX_BATCH_BYTES = 20 * 1024 * 1024;
    /** Amplitude's default shortest user_id or device_id. */
    static final int MIN_ID_LENGTH = 5;

    private final WriteKeys writeKeys;
    private final TranslatedEvents translated;
    private final ObjectMapper json;
    private final Clock clock;

    AmplitudeController(WriteKeys writeKeys, TranslatedEvents translated, ObjectMapper json, Clock clock) {
        this.writeKeys = writeKeys;
        this.translated = translated;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping(path = "/2/httpapi", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> httpApi(HttpServletRequest request) throws IOException {
        return receive(request, MAX_HTTP_API_BYTES);
    }

    @PostMapping(path = "/batch", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> batch(HttpServletRequest request) throws IOException {
        return receive(request, MAX_BATCH_BYTES);
    }

    private ResponseEntity<Map<String, Object>> receive(HttpServletRequest request, int limit) throws IOException {
        Instant receivedAt = clock.instant();
        byte[] body = TrackingController.body(request, limit);
        if (request.getContentLengthLong() > limit || body == null) {
            return answer(HttpStatus.PAYLOAD_TOO_LARGE, error("Payload too large"));
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            return answer(HttpStatus.BAD_REQUEST, error("Invalid JSON request body"));
        }
        if (root == null || !root.isObject()) {
            return answer(HttpStatus.BAD_REQUEST, error("Invalid JSON request body"));
        }
        JsonNode apiKey = root.get("api_key");
        if (apiKey == null || !apiKey.isString() || apiKey.asString().isEmpty()) {
            return answer(HttpStatus.BAD_REQUEST, missing("api_key"));
        }
        Optional<Source> source = writeKeys.authenticate(apiKey.asString());
        if (source.isEmpty()) {
            // Amplitude's libraries recognise this answer by its words, "Invalid API key: " and the key.
            return answer(HttpStatus.BAD_REQUEST, error("Invalid API key: " + apiKey.asString()));
        }
        JsonNode events = root.get("events");
        if (events == null || !events.isArray() || events.isEmpty()) {
            return answer(HttpStatus.BAD_REQUEST, missing("events"));
        }
        if (events.size() > MAX_EVENTS) {
            return answer(HttpStatus.PAYLOAD_TOO_LARGE, error("Too many events in a request; at most " + MAX_EVENTS));
        }
        int minIdLength = MIN_ID_LENGTH;
        JsonNode option = root.path("options").get("min_id_length");
        if (option != null && option.isIntegralNumber() && option.canConvertToInt()) {
            minIdLength = Math.max(1, option.asInt());
        }
        String groupType = SegmentSettings.of(source.get().settings()).groupKey();
        List<TranslatedEvents.Translated> messages = new ArrayList<>(events.size());
        for (int index = 0; index < events.size(); index++) {
            messages.add(AmplitudeEvents.translate(index, events.get(index), groupType, minIdLength));
        }
        TranslatedEvents.Outcome outcome =
                translated.store(source.get(), "amplitude", messages, receivedAt, AmplitudeEvents::vendorField);
        if (outcome.errors().isEmpty()) {
            Map<String, Object> ok = new LinkedHashMap<>();
            ok.put("code", 200);
            ok.put("events_ingested", outcome.accepted());
            ok.put("payload_size_bytes", body.length);
            ok.put("server_upload_time", receivedAt.toEpochMilli());
            return answer(HttpStatus.OK, ok);
        }
        return answer(HttpStatus.BAD_REQUEST, invalidEvents(outcome));
    }

    /** Amplitude's 400 for invalid events: the index of each by field, plus the reasons and what was stored. */
    private static Map<String, Object> invalidEvents(TranslatedEvents.Outcome outcome) {
        Map<String, List<Integer>> missing = new LinkedHashMap<>();
        Map<String, List<Integer>> invalid = new LinkedHashMap<>();
        for (FieldError error : outcome.errors()) {
            String field = error.field() == null ? "event" : error.field();
            boolean isMissing =
                    error.reason().startsWith("is required") || error.reason().startsWith("every event");
            (isMissing ? missing : invalid)
                    .computeIfAbsent(field, f -> new ArrayList<>())
                    .add(error.index());
        }
        Map<String, Object> answer = error("Request contains invalid events");
        if (!missing.isEmpty()) {
            answer.put("events_with_missing_fields", missing);
        }
        if (!invalid.isEmpty()) {
            answer.put("events_with_invalid_fields", invalid);
        }
        answer.put("events_ingested", outcome.accepted());
        answer.put("errors", outcome.errors());
        return answer;
    }

    private static Map<String, Object> missing(String field) {
        Map<String, Object> answer = error("Request missing required field");
        answer.put("missing_field", field);
        return answer;
    }

    private static Map<String, Object> error(String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", 0);
        answer.put("error", message);
        return answer;
    }

    private static ResponseEntity<Map<String, Object>> answer(HttpStatus status, Map<String, Object> body) {
        body.put("code", status.value());
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }
}
