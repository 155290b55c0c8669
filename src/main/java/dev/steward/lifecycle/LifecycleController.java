package dev.steward.lifecycle;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
@Tag(
        name = "Lifecycle",
        description = "The customer journey: lifecycle stages in order, each with an entry rule (CEL), as a versioned"
                + " YAML document; every account's stage with its history, and moves by hand with a reason")
class LifecycleController {

    private static final String YAML = SegmentController.YAML;

    private final LifecycleManagement lifecycle;
    private final JourneyFlow flow;
    private final UserDirectory authors;
    private final dev.steward.core.BookScope books;

    LifecycleController(
            LifecycleManagement lifecycle, JourneyFlow flow, UserDirectory authors, dev.steward.core.BookScope books) {
        this.lifecycle = lifecycle;
        this.flow = flow;
        this.authors = authors;
        this.books = books;
    }

    /** Stage history to import: why (kept with each stay) and the stays. */
    record StageHistory(String reason, List<LifecycleManagement.ImportedStay> stays) {}

    /** What an import wrote. */
    record Imported(int stays) {}

    @PostMapping("/api/v1/stage-history/bulk")
    @Operation(
            summary = "Import accounts' stage history from before Steward kept it",
            description = "Each stay: accountId, stage (a key of the journey in force), enteredOn and leftOn (days;"
                    + " leftOn absent for an account's last stay when Steward has no stage of it yet). Kept with the"
                    + " cause 'imported', who imported it and the reason; what Steward recorded wins (a stay is cut"
                    + " where the account's first recorded stay begins, and one in the same stage reaching it extends"
                    + " that stay back). Refused whole, 422 naming stays[i] and the field: an unknown account or"
                    + " stage, an account with imported history already, days after today, a stay that does not end"
                    + " after it begins or overlaps another, an open stay that is not the last, more than 200,000"
                    + " stays. Someone who may change every book only (an administrator).")
    Imported importHistory(@RequestBody StageHistory history, Authentication authentication) {
        books.requireEveryBook("An import of stage history");
        String by = authors.signedIn(authentication).displayName();
        String reason = history.reason() == null || history.reason().isBlank()
                ? "imported stage history"
                : history.reason().strip();
        if (reason.length() > 500) {
            throw new dev.steward.core.InvalidInputException(
                    "reason", "has " + reason.length() + " characters; at most 500");
        }
        return new Imported(lifecycle.importHistory(history.stays() == null ? List.of() : history.stays(), by, reason));
    }

    /** A move by hand: to which stage, why, and until which day the rules leave the account there. */
    record Move(String stage, String reason, LocalDate holdUntil) {}

    /** A milestone's completion: on which day (today when absent) and an optional note. */
    record Completion(LocalDate completedOn, String note) {}

    @GetMapping("/api/v1/lifecycle/journey")
    @Operation(
            summary = "The journey in force",
            description = "Its version and stages in order, each with its entry rule, the accounts in it now, their"
                    + " ARR, the median days they have been there, and how many were moved there by hand.")
    LifecycleManagement.Journey journey() {
        return lifecycle.journey();
    }

    @GetMapping("/api/v1/lifecycle/stages/{stage}/accounts")
    @Operation(
            summary = "The accounts in a stage now",
            description = "How many there are, and up to 'limit' (default 200, at most 500) of them: longest in the"
                    + " stage first, then largest ARR, each with why it is there.")
    LifecycleManagement.StageMembers members(
            @PathVariable String stage, @RequestParam(required = false) Integer limit) {
        return lifecycle.members(stage, LifecycleManagement.LISTED.of(limit));
    }

    @GetMapping("/api/v1/lifecycle/flow")
    @Operation(
            summary = "The journey's flow across accounts over a period",
            description = "Per stage of the journey in force, in order: the accounts that entered it in the period"
                    + " (each once, by its first entry), where they went next ('movedTo': a stage, or null for no"
                    + " stage) and how many are still there; 'conversion': the share that went straight on to the next"
                    + " stage (null when none entered, and for the last stage); median and 75th-percentile days of the"
                    + " stays that ended in the period (null when none ended); and 'stalled': the accounts in the stage"
                    + " at the end of the period for longer than its stall limit (twice the median, at least 7 days;"
                    + " 90 days when no stay ended). 'from' and 'to' (YYYY-MM-DD, both included) default to the 365"
                    + " days up to today; at most 3 years, 'to' not after today. 'segment': only stays whose account"
                    + " was in that segment at the end of the day the stay began; 'cohort' (e.g. 2025-Q3): only"
                    + " accounts whose first contract started in that quarter. 400 naming the parameter otherwise.")
    JourneyFlow.Flow flow(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String cohort) {
        return flow.flow(from, to, segment, cohort);
    }

    @GetMapping("/api/v1/lifecycle/flow/accounts")
    @Operation(
            summary = "The accounts behind a number of the journey's flow",
            description = "For the stage 'stage' over the same period and filters as the flow: the accounts that"
                    + " entered it (nothing else given), that moved on to a stage ('movedTo': its key, or 'none'),"
                    + " that are still there ('still=true'), that stalled there ('stalled=true'), or whose stay there"
                    + " ended in the period ('completed=true'; one of these at most). How many there are, and up to"
                    + " 'limit' (default 200, at most 500) of them, longest in the stage first, with name, ARR, days in"
                    + " the stage and where each went. 400 naming the parameter for an unknown stage or a bad one.")
    JourneyFlow.FlowAccounts flowAccounts(
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String cohort,
            @RequestParam(required = false) String movedTo,
            @RequestParam(defaultValue = "false") boolean still,
            @RequestParam(defaultValue = "false") boolean stalled,
            @RequestParam(defaultValue = "false") boolean completed,
            @RequestParam(required = false) Integer limit) {
        int size = LifecycleManagement.LISTED.of(limit);
        return flow.accounts(from, to, segment, cohort, stage, movedTo, still, stalled, completed, size);
    }

    @GetMapping("/api/v1/lifecycle/journey/versions")
    @Operation(summary = "The journey's version history, newest first")
    List<DocumentVersion> versions() {
        return lifecycle.versions();
    }

    @GetMapping(path = "/api/v1/lifecycle/journey/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "One version of the journey with its YAML and problems",
            description = "With 'Accept: application/yaml' the YAML alone, exactly as it was saved.")
    DocumentText<SegmentProblem> version(@PathVariable int version) {
        return lifecycle.version(version);
    }

    @GetMapping(path = "/api/v1/lifecycle/journey/versions/{version}", produces = YAML)
    ResponseEntity<String> versionYaml(@PathVariable int version) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(YAML))
                .body(lifecycle.version(version).yaml());
    }

    @PostMapping(
            path = "/api/v1/lifecycle/journey/versions",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Save a YAML document as the journey's next version, a draft",
            description = "201 even when the draft has problems (then 'valid' is false and 'problems' give line,"
                    + " column, field and reason); only a valid version can be published. ADMIN and MANAGER only.")
    ResponseEntity<DocumentText<SegmentProblem>> saveDraft(@RequestBody String yaml, Authentication authentication) {
        DocumentText<SegmentProblem> saved = lifecycle.saveDraft(yaml, authors.signedIn(authentication));
        URI location = UriComponentsBuilder.fromPath("/api/v1/lifecycle/journey/versions/{version}")
                .buildAndExpand(saved.version().version())
                .toUri();
        return ResponseEntity.created(location).body(saved);
    }

    @PostMapping("/api/v1/lifecycle/journey/versions/{version}/publish")
    @Operation(
            summary = "Publish a version of the journey, superseding the published one",
            description = "Every account's stage is then decided again within seconds (accounts moved by hand stay"
                    + " until their hold runs out). 422 with every problem when the version is invalid. ADMIN and"
                    + " MANAGER only.")
    DocumentVersion publish(@PathVariable int version, Authentication authentication) {
        return lifecycle.publish(version, authors.signedIn(authentication));
    }

    @PostMapping(
            path = "/api/v1/lifecycle/journey/validate",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Check a journey document without saving it",
            description = "Always 200: {valid, problems}, each problem with line, column, field and reason.")
    SegmentValidation validate(@RequestBody String yaml) {
        return lifecycle.validate(yaml);
    }

    @GetMapping(path = "/api/v1/lifecycle/journey/diff", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The unified diff between two versions' YAML")
    String diff(@RequestParam int from, @RequestParam int to) {
        return lifecycle.diff(from, to);
    }

    @GetMapping("/api/v1/accounts/{id}/stage")
    @Operation(
            summary = "An account's lifecycle stage and its history",
            description = "The stage it is in now (null: none), every stay newest first with its cause (rule, or"
                    + " manual with who, why and until when), and the stages it may be moved to.")
    LifecycleManagement.AccountJourney stage(@PathVariable UUID id) {
        return lifecycle.of(id);
    }

    @PostMapping("/api/v1/accounts/{id}/stage")
    @Operation(
            summary = "Move an account to a stage by hand",
            description = "With a reason (required, at most 500 characters) and a day until which the journey's rules"
                    + " leave it there (after today, at most 365 days ahead). 422 naming the field otherwise; 404 for"
                    + " an unknown account. ADMIN and MANAGER only.")
    LifecycleManagement.AccountJourney move(
            @PathVariable UUID id, @RequestBody Move move, Authentication authentication) {
        return lifecycle.move(id, move.stage(), move.reason(), move.holdUntil(), authors.signedIn(authentication));
    }

    @PostMapping("/api/v1/accounts/{id}/milestones/{milestone}")
    @Operation(
            summary = "Record that an account completed an onboarding milestone",
            description = "On 'completedOn' (today when absent; not in the future, not before the first contract"
                    + " started) with an optional note (at most 500 characters); completing it again replaces the"
                    + " day and note. The account's stage is decided again within seconds. 404 for a milestone the"
                    + " journey in force does not have. ADMIN, MANAGER and CSM.")
    LifecycleManagement.AccountJourney complete(
            @PathVariable UUID id,
            @PathVariable String milestone,
            @RequestBody(required = false) Completion completion,
            Authentication authentication) {
        return lifecycle.complete(
                id,
                milestone,
                completion == null ? null : completion.completedOn(),
                completion == null ? null : completion.note(),
                authors.signedIn(authentication));
    }

    @org.springframework.web.bind.annotation.DeleteMapping("/api/v1/accounts/{id}/milestones/{milestone}")
    @Operation(summary = "Take back a milestone's completion", description = "ADMIN, MANAGER and CSM.")
    LifecycleManagement.AccountJourney undo(
            @PathVariable UUID id, @PathVariable String milestone, Authentication authentication) {
        return lifecycle.undo(id, milestone, authors.signedIn(authentication));
    }
}
