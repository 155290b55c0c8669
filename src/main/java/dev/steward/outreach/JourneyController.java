package dev.steward.outreach;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
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
        name = "Email journeys",
        description = "Email journeys as versioned YAML documents: an audience, an entry trigger, steps (email, wait,"
                + " branch, survey, exit), exit and goal conditions and a holdout; dry runs on current data, previews,"
                + " results against the holdout, and the inbound-reply webhook")
class JourneyController {

    static final String YAML = "application/yaml";
    private static final String BASE = "/api/v1/outreach/journeys";

    private final JourneyManagement journeys;
    private final UserDirectory authors;

    JourneyController(JourneyManagement journeys, UserDirectory authors) {
        this.journeys = journeys;
        this.authors = authors;
    }

    @GetMapping(BASE)
    @Operation(
            summary = "List email journeys",
            description = "Each with its trigger, versions, whether it is on, contacts.")
    List<JourneyViews.Summary> list() {
        return journeys.list();
    }

    @GetMapping(BASE + "/{name}/versions")
    @Operation(summary = "A journey's version history, newest first")
    List<DocumentVersion> versions(@PathVariable String name) {
        return journeys.versions(name);
    }

    @GetMapping(path = BASE + "/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "One version with its YAML and problems",
            description = "With 'Accept: application/yaml' the YAML alone, exactly as it was saved.")
    DocumentText<JourneyProblem> version(@PathVariable String name, @PathVariable int version) {
        return journeys.version(name, version);
    }

    @GetMapping(path = BASE + "/{name}/versions/{version}", produces = YAML)
    ResponseEntity<String> versionYaml(@PathVariable String name, @PathVariable int version) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(YAML))
                .body(journeys.version(name, version).yaml());
    }

    @PostMapping(
            path = BASE + "/{name}/versions",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Save a YAML document as the journey's next version, a draft",
            description = "201 even when the draft has problems (then 'valid' is false and 'problems' give line,"
                    + " column, field and reason). A new name creates the journey. ADMIN and MANAGER only.")
    ResponseEntity<DocumentText<JourneyProblem>> saveDraft(
            @PathVariable String name, @RequestBody String yaml, Authentication authentication) {
        DocumentText<JourneyProblem> saved = journeys.saveDraft(name, yaml, authors.signedIn(authentication));
        URI location = UriComponentsBuilder.fromPath(BASE + "/{name}/versions/{version}")
                .buildAndExpand(name, saved.version().version())
                .encode()
                .toUri();
        return ResponseEntity.created(location).body(saved);
    }

    @PostMapping(BASE + "/{name}/versions/{version}/publish")
    @Operation(
            summary = "Switch a version on, superseding the published one",
            description = "Contacts enter from then on when the trigger fires; a renewal trigger enrols the accounts"
                    + " renewing within its days at once. 422 with every problem when the version is invalid.")
    DocumentVersion publish(@PathVariable String name, @PathVariable int version, Authentication authentication) {
        return journeys.publish(name, version, authors.signedIn(authentication));
    }

    @PostMapping(BASE + "/{name}/switch-off")
    @Operation(
            summary = "Switch a journey off",
            description = "Nobody enters it; its contacts stop where they are. Publishing a version switches it on.")
    ResponseEntity<Void> switchOff(@PathVariable String name, Authentication authentication) {
        journeys.switchOff(name, authors.signedIn(authentication));
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = BASE + "/{name}/diff", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The unified diff between two versions' YAML")
    String diff(@PathVariable String name, @RequestParam int from, @RequestParam int to) {
        return journeys.diff(name, from, to);
    }

    @PostMapping(
            path = BASE + "/{name}/validate",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Check a YAML document as it would be saved under this name, without saving it",
            description = "Always 200: {valid, problems}, each problem with line, column, field and reason.")
    JourneyViews.Validation validate(@PathVariable String name, @RequestBody String yaml) {
        return journeys.validate(name, yaml);
    }

    @PostMapping(
            path = BASE + "/{name}/dry-run",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Who would get what, when, on current data; nothing is sent",
            description = "The accounts the trigger holds for now, the contacts entering, held out and off customer"
                    + " mail, the contacts reaching each step, and for up to 50 contacts each email and its time.")
    JourneyViews.DryRun dryRun(@PathVariable String name, @RequestBody String yaml) {
        return journeys.dryRun(name, yaml);
    }

    @PostMapping(
            path = BASE + "/{name}/preview",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "An email step rendered with a real contact's data",
            description = "step: the step's index (0 is the first); contact: a contact's id (default: the first of"
                    + " the audience now).")
    JourneyViews.Preview preview(
            @PathVariable String name,
            @RequestParam int step,
            @RequestParam(required = false) @Nullable UUID contact,
            @RequestBody String yaml) {
        return journeys.preview(name, yaml, step, contact);
    }

    @PostMapping(
            path = BASE + "/{name}/test-send",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            summary = "Send an email step, rendered for a contact, to yourself",
            description = "Through the outbox to the signed-in person's address, the subject marked [Test].")
    JourneyViews.Preview testSend(
            @PathVariable String name,
            @RequestParam int step,
            @RequestParam(required = false) @Nullable UUID contact,
            @RequestBody String yaml,
            Authentication authentication) {
        return journeys.testSend(name, yaml, step, contact, authors.signedIn(authentication));
    }

    @GetMapping(BASE + "/{name}/results")
    @Operation(
            summary = "How a journey went",
            description = "Contacts by state; per step sent, delivered, bounced, replied, unsubscribed, surveys"
                    + " answered; the goal's conversion among contacts mailed against the holdout.")
    JourneyViews.Results results(@PathVariable String name) {
        return journeys.results(name);
    }

    @GetMapping(BASE + "/{name}/contacts")
    @Operation(summary = "The contacts in a journey, newest first, with their step, state and reason")
    List<JourneyViews.Enrolled> contacts(@PathVariable String name, @RequestParam(defaultValue = "200") int limit) {
        return journeys.enrolled(name, Math.max(1, Math.min(limit, 1000)));
    }

    @PostMapping("/api/v1/outreach/replies")
    @Operation(
            summary = "A reply to a journey's email, from an inbound-mail service",
            description = "{from, subject, inReplyTo, text}. Stops the sender's journeys, puts the reply on the"
                    + " account's timeline and gives its CSM a CTA. ADMIN only (an administrator's API key).")
    JourneyViews.ReplyHandled reply(@RequestBody JourneyViews.Reply reply) {
        return journeys.reply(reply);
    }
}
