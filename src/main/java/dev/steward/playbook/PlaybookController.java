package dev.steward.playbook;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
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
        name = "Playbooks",
        description = "Playbooks as versioned YAML documents: a trigger, an optional CEL condition, the CTA it makes"
                + " and its tasks; dry runs on current data and replayed over the past year; effectiveness against a"
                + " control group")
class PlaybookController {

    static final String YAML = "application/yaml";

    private final PlaybookManagement playbooks;
    private final Calendars calendars;
    private final UserDirectory authors;

    PlaybookController(PlaybookManagement playbooks, Calendars calendars, UserDirectory authors) {
        this.playbooks = playbooks;
        this.calendars = calendars;
        this.authors = authors;
    }

    @GetMapping("/api/v1/playbooks")
    @Operation(
            summary = "List playbooks",
            description = "Each with its trigger, versions, whether it is on, open CTAs.")
    List<PlaybookSummary> list() {
        return playbooks.list();
    }

    @GetMapping("/api/v1/playbooks/shipped")
    @Operation(summary = "The playbooks Steward ships, by name, as YAML")
    Map<String, String> shipped() {
        return playbooks.shipped();
    }

    /** Which shipped playbooks to install: all when empty. */
    record Install(List<String> names) {}

    @PostMapping("/api/v1/playbooks/shipped/install")
    @Operation(
            summary = "Save and publish shipped playbooks that are not there yet",
            description = "All of them, or those named. ADMIN and MANAGER only.")
    List<String> install(@RequestBody(required = false) Install install, Authentication authentication) {
        return playbooks.installShipped(install == null ? null : install.names(), authors.signedIn(authentication));
    }

    @GetMapping("/api/v1/playbooks/{name}/versions")
    @Operation(summary = "A playbook's version history, newest first")
    List<DocumentVersion> versions(@PathVariable String name) {
        return playbooks.versions(name);
    }

    @GetMapping(path = "/api/v1/playbooks/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "One version with its YAML and problems",
            description = "With 'Accept: application/yaml' the YAML alone, exactly as it was saved.")
    DocumentText<PlaybookProblem> version(@PathVariable String name, @PathVariable int version) {
        return playbooks.version(name, version);
    }

    @GetMapping(path = "/api/v1/playbooks/{name}/versions/{version}", produces = YAML)
    ResponseEntity<String> versionYaml(@PathVariable String name, @PathVariable int version) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(YAML))
                .body(playbooks.version(name, version).yaml());
    }

    @PostMapping(
            path = "/api/v1/playbooks/{name}/versions",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Save a YAML document as the playbook's next version, a draft",
            description = "201 even when the draft has problems (then 'valid' is false and 'problems' give line,"
                    + " column, field and reason). A new name creates the playbook. ADMIN and MANAGER only.")
    ResponseEntity<DocumentText<PlaybookProblem>> saveDraft(
            @PathVariable String name, @RequestBody String yaml, Authentication authentication) {
        DocumentText<PlaybookProblem> saved = playbooks.saveDraft(name, yaml, authors.signedIn(authentication));
        URI location = UriComponentsBuilder.fromPath("/api/v1/playbooks/{name}/versions/{version}")
                .buildAndExpand(name, saved.version().version())
                .encode()
                .toUri();
        return ResponseEntity.created(location).body(saved);
    }

    @PostMapping("/api/v1/playbooks/{name}/versions/{version}/publish")
    @Operation(
            summary = "Switch a version on, superseding the published one",
            description = "A time-based trigger (renewal, days in stage, condition, schedule) is evaluated on current"
                    + " data within seconds; event triggers fire from then on. 422 with every problem when the"
                    + " version is invalid. ADMIN and MANAGER only.")
    DocumentVersion publish(@PathVariable String name, @PathVariable int version, Authentication authentication) {
        return playbooks.publish(name, version, authors.signedIn(authentication));
    }

    @PostMapping("/api/v1/playbooks/{name}/retire")
    @Operation(
            summary = "Switch a playbook off",
            description = "It makes no more CTAs; its CTAs and history stay. Publishing a version switches it on"
                    + " again. ADMIN and MANAGER only.")
    ResponseEntity<Void> retire(@PathVariable String name, Authentication authentication) {
        playbooks.retire(name, authors.signedIn(authentication));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/playbooks/{name}/run")
    @Operation(
            summary = "Run a playbook that is on now, on current data, for real",
            description = "What its dry run shows is done: for an event trigger, the accounts that are where the event"
                    + " would have put them (of that color, in that stage or segment) as if it had just happened; open"
                    + " CTAs, cooldowns and the control group apply. ADMIN and MANAGER only.")
    PlaybookManagement.Run run(@PathVariable String name, Authentication authentication) {
        return playbooks.runNow(name, authors.signedIn(authentication));
    }

    @GetMapping(path = "/api/v1/playbooks/{name}/diff", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The unified diff between two versions' YAML")
    String diff(@PathVariable String name, @RequestParam int from, @RequestParam int to) {
        return playbooks.diff(name, from, to);
    }

    @PostMapping(
            path = "/api/v1/playbooks/{name}/validate",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Check a YAML document as it would be saved under this name, without saving it",
            description = "Always 200: {valid, problems}, each problem with line, column, field and reason.")
    PlaybookValidation validate(@PathVariable String name, @RequestBody String yaml) {
        return playbooks.validate(name, yaml);
    }

    @PostMapping(
            path = "/api/v1/playbooks/{name}/dry-run",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "What a document would do if it were on, without writing anything",
            description = "On current data: accounts triggered, CTAs it would make (to whom, due when, with which"
                    + " tasks), control, skipped (open CTA, cooldown, condition), failures; and for a health color"
                    + " trigger, CTAs per week per owner replayed over the past year from the stored daily scores.")
    DryRun dryRun(@PathVariable String name, @RequestBody String yaml) {
        return playbooks.dryRun(name, yaml);
    }

    @GetMapping("/api/v1/playbooks/{name}/report")
    @Operation(
            summary = "Whether a playbook works",
            description = "CTAs made, closed, within SLA, median days to close, outcomes; treated against control:"
                    + " churn within 90 days and health change after 30 and 90 days, each with a 95% interval or"
                    + " 'inconclusive' with the reason.")
    PlaybookReport report(@PathVariable String name) {
        return playbooks.report(name);
    }

    @GetMapping("/api/v1/playbooks/calendar")
    @Operation(summary = "The working calendar of SLAs: its time zone and holidays (weekends are never working days)")
    Map<String, Object> calendar() {
        return Map.of("timeZone", calendars.current().zone().getId(), "holidays", calendars.holidays());
    }

    @PutMapping("/api/v1/playbooks/calendar/holidays")
    @Operation(
            summary = "Replace the holidays of the working calendar",
            description = "A map of day (YYYY-MM-DD) to name, at most 1000. ADMIN and MANAGER only.")
    Map<LocalDate, String> holidays(@RequestBody Map<LocalDate, String> holidays, Authentication authentication) {
        playbooks.replaceHolidays(holidays, authors.signedIn(authentication));
        return calendars.holidays();
    }
}
