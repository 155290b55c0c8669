package dev.steward.ingest;

import dev.steward.core.FieldError;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Segment's tracking API: {@code /v1/identify}, {@code group}, {@code track}, {@code page}, {@code screen},
 * {@code alias}, {@code batch} and {@code import}, authenticated by a source's write key, so that any Segment library
 * or destination can send here unchanged. A 200 means every event is stored durably; a batch with invalid events
 * stores the valid ones and answers 207 with the index and reason of each invalid one (text the database cannot
 * store, a time outside the accepted window, a day the event store has no room for, ...).
 */
@Hidden
@RestController
@RequestMapping(path = "/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class TrackingController {

    private static final String PROBLEMS = "https://steward.dev/problems/";

    private final WriteKeys writeKeys;
    private final SegmentMessages messages;
    private final SegmentEvents events;
    private final Sources sources;
    private final SegmentJobs processing;
    private final Clock clock;

    TrackingController(
            WriteKeys writeKeys,
            SegmentMessages messages,
            SegmentEvents events,
            Sources sources,
            SegmentJobs processing,
            Clock clock) {
        this.writeKeys = writeKeys;
        this.messages = messages;
        this.events = events;
        this.sources = sources;
        this.processing = processing;
        this.clock = clock;
    }

    /** What a request stored; {@code errors} names each refused message by its index in the batch. */
    record Result(boolean success, int received, int stored, int duplicates, int rejected, List<FieldError> errors) {}

    @PostMapping({"/{type:identify|group|track|page|screen|alias}", "/{type:identify|group|track|page|screen|alias}/"})
    ResponseEntity<?> single(@PathVariable String type, HttpServletRequest request) throws IOException {
        return receive(request, type, SegmentMessages.MAX_EVENT_BYTES);
    }

    // Segment's Java library posts to "/v1/import/", with the slash.
    @PostMapping({"/batch", "/import", "/batch/", "/import/"})
    ResponseEntity<?> batch(HttpServletRequest request) throws IOException {
        return receive(request, null, SegmentMessages.MAX_BATCH_BYTES);
    }

    private ResponseEntity<?> receive(HttpServletRequest request, String type, int limit) throws IOException {
        Instant receivedAt = clock.instant();
        String what = type == null ? "a batch" : "a single message";
        if (request.getContentLengthLong() > limit) {
            return problem(
                    HttpStatus.BAD_REQUEST,
                    "too-large",
                    "Request too large",
                    "the body is " + request.getContentLengthLong() + " bytes; Segment's limit for " + what + " is "
                            + limit + " bytes",
                    null);
        }
        byte[] body = body(request, limit);
        if (body == null) {
            return problem(
                    HttpStatus.BAD_REQUEST,
                    "too-large",
                    "Request too large",
                    "the body is larger than Segment's limit for " + what + " of " + limit + " bytes",
                    null);
        }
        Optional<String> headerKey = basicUser(request);
        SegmentMessages.Body root;
        try {
            root = messages.read(body);
        } catch (SegmentMessages.RefusedRequest e) {
            return headerKey.flatMap(writeKeys::authenticate).isPresent() || headerKey.isEmpty()
                    ? problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", e.getMessage(), null)
                    : unauthenticated();
        }
        JsonNode bodyKey = root.root().get("writeKey");
        Optional<Source> source = headerKey
                .or(() -> Optional.ofNullable(bodyKey != null && bodyKey.isString() ? bodyKey.asString() : null))
                .flatMap(writeKeys::authenticate);
        if (source.isEmpty()) {
            return unauthenticated();
        }
        SegmentMessages.Checked checked;
        try {
            checked = messages.check(
                    root, type, receivedAt, SegmentSettings.of(source.get().settings()));
        } catch (SegmentMessages.RefusedRequest e) {
            sources.received(
                    source.get(),
                    0,
                    List.of(new Rejection(
                            type == null ? "batch" : type,
                            e.error().field(),
                            e.getMessage(),
                            new String(
                                    body,
                                    0,
                                    Math.min(body.length, Rejection.EXCERPT_LENGTH),
                                    StandardCharsets.UTF_8))));
            return problem(
                    HttpStatus.BAD_REQUEST, "invalid-batch", "Invalid batch", e.getMessage(), List.of(e.error()));
        }
        SegmentEvents.Admitted admitted = events.admit(checked.events());
        List<FieldError> errors = new ArrayList<>(checked.errors());
        List<Rejection> rejections = new ArrayList<>(checked.rejections());
        for (SegmentEvents.Refusal refusal : admitted.refused()) {
            SegmentMessages.Event event = refusal.event();
            errors.add(refusal.error().forRecord(event.index(), event.messageId()));
            String record = type != null ? type : "batch[" + event.index() + "]";
            rejections.add(new Rejection(
                    record + " (" + event.messageId() + ")",
                    refusal.error().field(),
                    refusal.error().reason(),
                    new String(event.payload(), StandardCharsets.UTF_8)));
        }
        errors.sort(Comparator.comparing(FieldError::index, Comparator.nullsFirst(Comparator.naturalOrder())));
        if (admitted.events().isEmpty() && !errors.isEmpty()) {
            sources.received(source.get(), 0, rejections);
            String detail = checked.received() == 1
                    ? errors.get(0).toString()
                    : "none of the " + checked.received() + " messages is valid; first: " + errors.get(0);
            return problem(HttpStatus.BAD_REQUEST, "invalid-messages", "Invalid messages", detail, errors);
        }
        SegmentEvents.Stored stored = events.store(source.get(), admitted.events(), rejections, receivedAt);
        if (stored.stored() > 0) {
            processing.soon();
        }
        int refused = checked.received() - admitted.events().size();
        Result result = new Result(true, checked.received(), stored.stored(), stored.duplicates(), refused, errors);
        return ResponseEntity.status(errors.isEmpty() ? HttpStatus.OK : HttpStatus.MULTI_STATUS)
                .body(result);
    }

    /** The body, gunzipped if it came compressed; null when it is larger than {@code limit}. */
    static byte[] body(HttpServletRequest request, int limit) throws IOException {
        InputStream in = request.getInputStream();
        if ("gzip".equalsIgnoreCase(request.getHeader(HttpHeaders.CONTENT_ENCODING))) {
            in = new GZIPInputStream(in);
        }
        byte[] bytes = in.readNBytes(limit + 1);
        return bytes.length > limit ? null : bytes;
    }

    /** The write key sent as the user name of HTTP Basic authentication (the password is empty). */
    static Optional<String> basicUser(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            return user.isEmpty() ? Optional.empty() : Optional.of(user);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ResponseEntity<ProblemDetail> unauthenticated() {
        ResponseEntity<ProblemDetail> answer = problem(
                HttpStatus.UNAUTHORIZED,
                "unauthenticated",
                "Unknown write key",
                "send a source's write key as the HTTP Basic user name with an empty password, or as 'writeKey' in"
                        + " the body; the key is missing, unknown or revoked",
                null);
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Steward tracking API\"")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(answer.getBody());
    }

    private static ResponseEntity<ProblemDetail> problem(
            HttpStatus status, String type, String title, String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(PROBLEMS + type));
        problem.setTitle(title);
        if (errors != null) {
            problem.setProperty("errors", errors);
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
