package dev.steward.lifecycle;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
@Tag(
        name = "Books of business",
        description = "Assignment rules (teams, territories with their pools, workload weights) as a versioned YAML"
                + " document; every account's owner with its history; assignment by hand and in bulk; each owner's"
                + " workload and balancing moves within territories")
class BooksController {

    private static final String YAML = SegmentController.YAML;

    private final BooksOfBusiness books;
    private final UserDirectory authors;

    BooksController(BooksOfBusiness books, UserDirectory authors) {
        this.books = books;
        this.authors = authors;
    }

    /** An assignment by hand: the owner's email or id, and why. */
    record Assign(String owner, String reason) {}

    /** A book that moves: whose, to whom (absent: by the rules among the rest of each pool), and why. */
    record Reassign(String from, String to, String reason) {}

    /** Balancing moves to apply, as a suggestion listed them, and why. */
    record ApplyMoves(List<BooksOfBusiness.MoveRequest> moves, String reason) {}

    @GetMapping("/api/v1/books/rules")
    @Operation(
            summary = "The assignment rules in force",
            description = "The published version (null when none is), teams with manager and members, territories in"
                    + " order with rule, pool and accounts now, and the workload weights.")
    BooksOfBusiness.Rules rules() {
        return books.rules();
    }

    @GetMapping("/api/v1/books/rules/versions")
    @Operation(summary = "The assignment rules' version history, newest first")
    List<DocumentVersion> versions() {
        return books.versions();
    }

    @GetMapping(path = "/api/v1/books/rules/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "One version of the assignment rules with its YAML and problems",
            description = "With 'Accept: application/yaml' the YAML alone, exactly as it was saved.")
    DocumentText<SegmentProblem> version(@PathVariable int version) {
        return books.version(version);
    }

    @GetMapping(path = "/api/v1/books/rules/versions/{version}", produces = YAML)
    ResponseEntity<String> versionYaml(@PathVariable int version) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(YAML))
                .body(books.version(version).yaml());
    }

    @PostMapping(
            path = "/api/v1/books/rules/versions",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Save a YAML document as the assignment rules' next version, a draft",
            description = "201 even when the draft has problems (then 'valid' is false and 'problems' give line,"
                    + " column, field and reason); only a valid version can be published. ADMIN and MANAGER only.")
    ResponseEntity<DocumentText<SegmentProblem>> saveDraft(@RequestBody String yaml, Authentication authentication) {
        DocumentText<SegmentProblem> saved = books.saveDraft(yaml, authors.signedIn(authentication));
        URI location = UriComponentsBuilder.fromPath("/api/v1/books/rules/versions/{version}")
                .buildAndExpand(saved.version().version())
                .toUri();
        return ResponseEntity.created(location).body(saved);
    }

    @PostMapping("/api/v1/books/rules/versions/{version}/publish")
    @Operation(
            summary = "Publish a version of the assignment rules",
            description = "Every account's owner is then decided again within seconds: an owner in the pool of the"
                    + " account's territory stays, others go to the pool member with the fewest accounts there;"
                    + " owners set by hand or on the account record stay. 422 with every problem when the version is"
                    + " invalid. ADMIN and MANAGER only.")
    DocumentVersion publish(@PathVariable int version, Authentication authentication) {
        return books.publish(version, authors.signedIn(authentication));
    }

    @PostMapping(
            path = "/api/v1/books/rules/validate",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Check assignment rules without saving them",
            description = "Always 200: {valid, problems}, each problem with line, column, field and reason.")
    SegmentValidation validate(@RequestBody String yaml) {
        return books.validate(yaml);
    }

    @GetMapping(path = "/api/v1/books/rules/diff", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The unified diff between two versions' YAML")
    String diff(@RequestParam int from, @RequestParam int to) {
        return books.diff(from, to);
    }

    @GetMapping("/api/v1/books/workload")
    @Operation(
            summary = "Every owner's workload, heaviest first",
            description = "Per owner: accounts, ARR, Red and Yellow accounts, renewals in the window, the weighted"
                    + " load and its ratio to the average; with the weights used and the accounts without an owner."
                    + " Churned accounts are not counted.")
    BooksOfBusiness.Workload workload() {
        return books.workload();
    }

    @GetMapping("/api/v1/books/balance")
    @Operation(
            summary = "Suggest moves that even the load within territories",
            description = "Up to 'limit' moves (default 20, at most 200) in one territory or all, each from the most"
                    + " to the least loaded person of a pool, and each owner's load before and after. Records"
                    + " nothing.")
    BooksOfBusiness.Balance suggest(
            @RequestParam(required = false) String territory, @RequestParam(required = false) Integer limit) {
        return books.suggest(territory, BooksOfBusiness.MOVES.of(limit));
    }

    @PostMapping("/api/v1/books/balance")
    @Operation(
            summary = "Apply balancing moves",
            description = "With a reason; a move whose account changed owner meanwhile or whose new owner left the"
                    + " pool is skipped and said why. ADMIN and MANAGER only.")
    BooksOfBusiness.Applied apply(@RequestBody ApplyMoves moves, Authentication authentication) {
        return books.apply(moves.moves(), moves.reason(), authors.signedIn(authentication));
    }

    @PostMapping("/api/v1/books/reassign")
    @Operation(
            summary = "Move a person's whole book",
            description = "To one person (who then holds the accounts by hand) or, without 'to', by the rules among"
                    + " the rest of each territory's pool; nothing moves when a territory has nobody else. With a"
                    + " reason. ADMIN and MANAGER only.")
    BooksOfBusiness.Reassigned reassign(@RequestBody Reassign reassign, Authentication authentication) {
        return books.reassign(reassign.from(), reassign.to(), reassign.reason(), authors.signedIn(authentication));
    }

    @GetMapping("/api/v1/accounts/{id}/owner")
    @Operation(
            summary = "An account's owner and the owners before",
            description = "How the owner came to own it (rule with territory, balance, manual with who and why, or"
                    + " record: set on the account itself) and whether the rules leave them in place (pinned).")
    BooksOfBusiness.AccountOwner owner(@PathVariable UUID id) {
        return books.of(id);
    }

    @PutMapping("/api/v1/accounts/{id}/owner")
    @Operation(
            summary = "Assign an account to an owner by hand",
            description = "The owner's email or id (an enabled CSM or manager) and a reason (required, at most 500"
                    + " characters); the rules leave it with them until it is handed back. ADMIN and MANAGER only.")
    BooksOfBusiness.AccountOwner assign(
            @PathVariable UUID id, @RequestBody Assign assign, Authentication authentication) {
        return books.assign(id, assign.owner(), assign.reason(), authors.signedIn(authentication));
    }

    @DeleteMapping("/api/v1/accounts/{id}/owner/pin")
    @Operation(
            summary = "Hand an account back to the assignment rules",
            description = "The rules decide its owner now. 422 when it already follows them or none are published.")
    BooksOfBusiness.AccountOwner handBack(@PathVariable UUID id, Authentication authentication) {
        return books.handBack(id, authors.signedIn(authentication));
    }
}
