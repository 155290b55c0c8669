package dev.steward.lifecycle;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.customer.AccountId;
import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
@Tag(
        name = "Segments",
        description = "Segments of the customer base: versioned YAML documents with a CEL condition or hand-picked"
                + " (static) lists; previews on current data; members now and as of any past day")
class SegmentController {

    static final String YAML = "application/yaml";

    private final SegmentManagement segments;
    private final UserDirectory authors;

    SegmentController(SegmentManagement segments, UserDirectory authors) {
        this.segments = segments;
        this.authors = authors;
    }

    /** Accounts to add to a static segment. */
    record NewMembers(List<UUID> accountIds) {}

    @GetMapping("/api/v1/segments")
    @Operation(
            summary = "List segments",
            description = "Each with its type, published and newest version, and its current members' count and ARR.")
    List<SegmentSummary> list() {
        return segments.list();
    }

    @GetMapping("/api/v1/segments/{name}/versions")
    @Operation(summary = "A segment's version history, newest first")
    List<DocumentVersion> versions(@PathVariable String name) {
        return segments.versions(name);
    }

    @GetMapping(path = "/api/v1/segments/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "One version with its YAML and problems",
            description = "With 'Accept: application/yaml' the YAML alone, exactly as it was saved.")
    DocumentText<SegmentProblem> version(@PathVariable String name, @PathVariable int version) {
        return segments.version(name, version);
    }

    @GetMapping(path = "/api/v1/segments/{name}/versions/{version}", produces = YAML)
    ResponseEntity<String> versionYaml(@PathVariable String name, @PathVariable int version) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(YAML))
                .body(segments.version(name, version).yaml());
    }

    @PostMapping(
            path = "/api/v1/segments/{name}/versions",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Save a YAML document as the segment's next version, a draft",
            description = "201 even when the draft has problems (then 'valid' is false and 'problems' give line,"
                    + " column, field and reason); only a valid version can be published. A new name creates the"
                    + " segment; the document's own 'name' must be the name in the path. ADMIN and MANAGER only.")
    ResponseEntity<DocumentText<SegmentProblem>> saveDraft(
            @PathVariable String name, @RequestBody String yaml, Authentication authentication) {
        DocumentText<SegmentProblem> saved = segments.saveDraft(name, yaml, authors.signedIn(authentication));
        URI location = UriComponentsBuilder.fromPath("/api/v1/segments/{name}/versions/{version}")
                .buildAndExpand(name, saved.version().version())
                .encode()
                .toUri();
        return ResponseEntity.created(location).body(saved);
    }

    @PostMapping("/api/v1/segments/{name}/versions/{version}/publish")
    @Operation(
            summary = "Publish a version, superseding the published one",
            description = "Every account's membership is then evaluated again within seconds. 422 with every problem"
                    + " when the version is invalid or segments would refer to each other in a circle. ADMIN and"
                    + " MANAGER only.")
    DocumentVersion publish(@PathVariable String name, @PathVariable int version, Authentication authentication) {
        return segments.publish(name, version, authors.signedIn(authentication));
    }

    @DeleteMapping("/api/v1/segments/{name}")
    @Operation(
            summary = "Delete a segment with its versions and membership history",
            description = "409 while a published segment's condition reads it. ADMIN and MANAGER only.")
    ResponseEntity<Void> delete(@PathVariable String name, Authentication authentication) {
        segments.delete(name, authors.signedIn(authentication));
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/api/v1/segments/{name}/diff", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The unified diff between two versions' YAML")
    String diff(@PathVariable String name, @RequestParam int from, @RequestParam int to) {
        return segments.diff(name, from, to);
    }

    @PostMapping(
            path = "/api/v1/segments/{name}/validate",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Check a YAML document as it would be saved under this name, without saving it",
            description = "Always 200: {valid, problems}, each problem with line, column, field and reason.")
    SegmentValidation validate(@PathVariable String name, @RequestBody String yaml) {
        return segments.validate(name, yaml);
    }

    @PostMapping(
            path = "/api/v1/segments/{name}/preview",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "What a YAML document would select on current data, without saving it",
            description = "How many accounts match the condition, their ARR and the ten largest by ARR (a static"
                    + " segment: its current members). 422 with 'problems' (line, column, field, reason) when the"
                    + " document has any.")
    ResponseEntity<?> preview(@PathVariable String name, @RequestBody String yaml, HttpServletRequest request) {
        SegmentPreview preview = segments.preview(name, yaml);
        if (!preview.valid()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "The segment document has " + preview.problems().size() + " problem(s); the first: "
                            + preview.problems().get(0));
            problem.setType(URI.create("https://steward.dev/problems/invalid-input"));
            problem.setTitle("Invalid segment document");
            problem.setInstance(URI.create(request.getRequestURI()));
            problem.setProperty("problems", preview.problems());
            return ResponseEntity.unprocessableContent().body(problem);
        }
        return ResponseEntity.ok(preview);
    }

    @GetMapping("/api/v1/segments/{name}/members")
    @Operation(
            summary = "A segment's members now, or at the end of a past day",
            description = "'asOf' (a date) answers who was in the segment when that day ended, with when each"
                    + " entered and, if it has since, left. 'limit' (default 100, at most 10,000) caps the list,"
                    + " largest ARR first; count and ARR cover every member.")
    SegmentMembers members(
            @PathVariable String name,
            @RequestParam(required = false) LocalDate asOf,
            @RequestParam(required = false) Integer limit) {
        return segments.members(
                name, asOf, new dev.steward.core.PageLimit(100, SegmentManagement.MAXIMUM_ADDED).of(limit));
    }

    @PostMapping("/api/v1/segments/{name}/members")
    @Operation(
            summary = "Add accounts to a static segment",
            description = "Body {\"accountIds\": [...]}, up to 10,000. 409 for a rule segment, whose members follow its"
                    + " condition. ADMIN and MANAGER only.")
    Map<String, Integer> addMembers(
            @PathVariable String name, @RequestBody NewMembers body, Authentication authentication) {
        List<UUID> ids = body == null || body.accountIds() == null ? List.of() : body.accountIds();
        return Map.of("entered", segments.addMembers(name, ids, authors.signedIn(authentication)));
    }

    @PostMapping(
            path = "/api/v1/segments/{name}/members/csv",
            consumes = {MediaType.MULTIPART_FORM_DATA_VALUE, "text/csv"})
    @Operation(
            summary = "Add or remove a static segment's members from a CSV file",
            description = "A multipart form with the file in 'file', or the CSV itself as a text/csv body; 'action' add"
                    + " (default) or remove; 'source' the system whose ids an externalId column holds. The file's"
                    + " first line names the columns: accountId (Steward ids) and/or externalId; other columns are"
                    + " ignored; at most 10,000 accounts and 1 MB (413 when larger, before it is read). All or"
                    + " nothing: when any row names no account, nothing changes and 422 lists each such row (index:"
                    + " the row number, 1 for the first under the header; field: the column; reason). 409 for a"
                    + " rule segment. ADMIN and MANAGER only.")
    ResponseEntity<?> membersFromFile(
            @PathVariable String name,
            @RequestParam(defaultValue = "add") String action,
            @RequestParam(required = false) String source,
            @RequestParam(value = "file", required = false) MultipartFile part,
            HttpServletRequest request,
            Authentication authentication)
            throws IOException {
        byte[] file;
        if (MediaType.MULTIPART_FORM_DATA.isCompatibleWith(MediaType.parseMediaType(request.getContentType()))) {
            if (part == null || part.isEmpty()) {
                throw new InvalidInputException("file", "is missing: send the CSV file in the form field 'file'");
            }
            if (part.getSize() > SegmentMemberFile.MAXIMUM_BYTES) {
                return tooLarge(part.getSize(), request);
            }
            file = part.getBytes();
        } else {
            if (request.getContentLengthLong() > SegmentMemberFile.MAXIMUM_BYTES) {
                return tooLarge(request.getContentLengthLong(), request);
            }
            try (InputStream in = request.getInputStream()) {
                file = in.readNBytes(SegmentMemberFile.MAXIMUM_BYTES + 1);
            }
            if (file.length > SegmentMemberFile.MAXIMUM_BYTES) {
                return tooLarge(file.length, request);
            }
        }
        return ResponseEntity.ok(segments.changeMembers(name, action, source, file, authors.signedIn(authentication)));
    }

    private static ResponseEntity<ProblemDetail> tooLarge(long bytes, HttpServletRequest request) {
        List<FieldError> errors = SegmentMemberFile.tooLarge(bytes).errors();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONTENT_TOO_LARGE, errors.get(0).toString() + "; split it");
        problem.setType(URI.create("https://steward.dev/problems/too-large"));
        problem.setTitle("Content too large");
        problem.setInstance(URI.create(request.getRequestURI()));
        problem.setProperty("errors", errors);
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @DeleteMapping("/api/v1/segments/{name}/members/{accountId}")
    @Operation(
            summary = "Remove an account from a static segment",
            description = "Its stay ends now; the history keeps it. 404 when it was not a member.")
    ResponseEntity<Void> removeMember(
            @PathVariable String name, @PathVariable UUID accountId, Authentication authentication) {
        return segments.removeMember(name, accountId, authors.signedIn(authentication))
                ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
    }

    @GetMapping("/api/v1/accounts/{id}/segments")
    @Operation(
            summary = "The segments an account is in now, or was in at the end of a past day ('asOf')",
            description = "Names, sorted.")
    List<String> segmentsOf(@PathVariable UUID id, @RequestParam(required = false) LocalDate asOf) {
        return segments.segmentsOf(new AccountId(id), asOf);
    }

    /** A refused role answers in the same shape as identity's refusals, with the reason the service gave. */
    @ExceptionHandler
    ProblemDetail onAccessDenied(AccessDeniedException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
        problem.setType(URI.create("https://steward.dev/problems/forbidden"));
        problem.setTitle("Forbidden");
        problem.setInstance(URI.create(request.getRequestURI()));
        return problem;
    }
}
