package dev.steward.health;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.health.engine.ScorecardProblem;
import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
@RequestMapping("/api/v1/scorecards")
@Tag(
        name = "Scorecards",
        description = "Versioned health scorecards in YAML: save drafts, validate, publish, history and diffs")
class ScorecardController {

    static final String YAML = "application/yaml";

    private final ScorecardManagement scorecards;
    private final ScorecardCreation creation;
    private final ScorecardCoverage coverage;
    private final UserDirectory authors;

    ScorecardController(
            ScorecardManagement scorecards,
            ScorecardCreation creation,
            ScorecardCoverage coverage,
            UserDirectory authors) {
        this.scorecards = scorecards;
        this.creation = creation;
        this.coverage = coverage;
        this.authors = authors;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Create a scorecard from a template, as a first draft",
            description = "'template' is 'data' (one measure per metric that has data, as of 'asOf' (default today),"
                    + " for the customers the new scorecard would score and tells them apart, all weighing the same,"
                    + " scored linearly between their 10th and 90th percentile), 'blank' (a skeleton with one example"
                    + " measure) or 'copy' (the newest version of the scorecard 'copyOf'). 'priority' defaults to the"
                    + " next multiple of ten after the highest published one. Answers 201 with the draft (version 1,"
                    + " validated as any draft; publish it as any other) and what the template was made from; 422"
                    + " naming every field that is wrong; 409 when a scorecard of that name exists (ignoring case)."
                    + " A name holds letters, digits, spaces and - _ . & ( ), at most 60 characters. ADMIN only.")
    ResponseEntity<CreatedScorecard> create(@RequestBody NewScorecard request, Authentication authentication) {
        CreatedScorecard created = creation.create(request, authors.signedIn(authentication));
        URI location = UriComponentsBuilder.fromPath("/api/v1/scorecards/{name}/versions/{version}")
                .buildAndExpand(
                        created.draft().version().name(),
                        created.draft().version().version())
                .encode()
                .toUri();
        return ResponseEntity.created(location).body(created);
    }

    @GetMapping("/unassigned")
    @Operation(
            summary = "The customers no published scorecard applies to",
            description = "They are never scored. Counted by the account attributes that decide which scorecard"
                    + " applies (those the published conditions read among tier, industry, region and lifecycleStage;"
                    + " tier when they read none), each group with a condition that selects it for a new scorecard's"
                    + " appliesTo, a free name for it, and the accounts list filtered to it (health=unscored) where the"
                    + " list can filter by those attributes. Former customers are not scored anyway and are counted"
                    + " apart.")
    UnassignedAccounts unassigned() {
        return coverage.unassigned();
    }

    @GetMapping
    @Operation(summary = "List scorecards", description = "Each with its published version, newest draft and priority.")
    List<ScorecardSummary> list() {
        return scorecards.list();
    }

    @GetMapping("/{name}/versions")
    @Operation(summary = "A scorecard's version history, newest first")
    List<DocumentVersion> versions(@PathVariable String name) {
        return scorecards.versions(name);
    }

    @GetMapping(path = "/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "One version with its YAML and problems",
            description = "With 'Accept: application/yaml' the YAML alone, exactly as it was saved.")
    DocumentText<ScorecardProblem> version(@PathVariable String name, @PathVariable int version) {
        return scorecards.version(name, version);
    }

    @GetMapping(path = "/{name}/versions/{version}", produces = YAML)
    ResponseEntity<String> versionYaml(@PathVariable String name, @PathVariable int version) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(YAML))
                .body(scorecards.version(name, version).yaml());
    }

    @PostMapping(
            path = "/{name}/versions",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Save a YAML document as the scorecard's next version, a draft",
            description = "201 even when the draft has problems (then 'valid' is false and 'problems' say where and"
                    + " why); only a valid version can be published. A new name creates the scorecard; the document's"
                    + " own 'name' must be the name in the path. ADMIN and MANAGER only; a new name only ADMIN, and"
                    + " only one that POST /api/v1/scorecards would take.")
    ResponseEntity<DocumentText<ScorecardProblem>> saveDraft(
            @PathVariable String name, @RequestBody String yaml, Authentication authentication) {
        DocumentText<ScorecardProblem> saved = scorecards.saveDraft(name, yaml, authors.signedIn(authentication));
        URI location = UriComponentsBuilder.fromPath("/api/v1/scorecards/{name}/versions/{version}")
                .buildAndExpand(name, saved.version().version())
                .encode()
                .toUri();
        return ResponseEntity.created(location).body(saved);
    }

    @PostMapping("/{name}/versions/{version}/publish")
    @Operation(
            summary = "Publish a version, superseding the published one",
            description = "422 with every problem (line, field, reason) when the version is invalid or would clash"
                    + " with another published scorecard, such as by sharing its priority. ADMIN and MANAGER only.")
    DocumentVersion publish(@PathVariable String name, @PathVariable int version, Authentication authentication) {
        return scorecards.publish(name, version, authors.signedIn(authentication));
    }

    @DeleteMapping("/{name}/versions/{version}")
    @Operation(
            summary = "Delete a draft",
            description = "204: the draft leaves the history and its number is never given again; when it was the only"
                    + " version of a scorecard never published, the scorecard goes with it (then ADMIN only). 409 for a"
                    + " published or superseded version: they scored accounts, so they are kept. ADMIN and MANAGER"
                    + " only.")
    ResponseEntity<Void> deleteDraft(
            @PathVariable String name, @PathVariable int version, Authentication authentication) {
        scorecards.deleteDraft(name, version, authors.signedIn(authentication));
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/{name}/diff", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The unified diff between two versions' YAML")
    String diff(@PathVariable String name, @RequestParam int from, @RequestParam int to) {
        return scorecards.diff(name, from, to);
    }

    @PostMapping(
            path = "/validate",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "Check a YAML document without saving it", description = "Always 200: {valid, problems}.")
    ScorecardValidation validate(@RequestBody String yaml) {
        return scorecards.validate(yaml);
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
