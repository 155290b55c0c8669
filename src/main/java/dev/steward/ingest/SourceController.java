package dev.steward.ingest;

import dev.steward.core.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/sources")
@Tag(
        name = "Sources",
        description = "Where data comes from: Segment sources with their write keys and event mappings, imports,"
                + " webhooks; what each delivered and rejected")
class SourceController {

    private final Sources sources;
    private final SourceAdministration administration;
    private final WriteKeys writeKeys;

    SourceController(Sources sources, SourceAdministration administration, WriteKeys writeKeys) {
        this.sources = sources;
        this.administration = administration;
        this.writeKeys = writeKeys;
    }

    @GetMapping
    @Operation(summary = "List sources")
    List<Source> list() {
        return sources.all();
    }

    @PostMapping
    @Operation(
            summary = "Create a source (administrators)",
            description = "Body: {\"name\": \"web-app\", \"kind\": \"segment\", \"settings\": {\"events\": {\"Report"
                    + " Created\": \"feature.reports\"}, \"keyFeatures\": [\"feature.reports\"], \"traits\":"
                    + " {\"plan\": \"tier\"}}}. Settings are checked: each mapped metric must be in the catalog.")
    ResponseEntity<Source> create(@RequestBody SourceAdministration.NewSource request, Authentication authentication) {
        requireAdministrator(authentication);
        Source source = administration.create(request);
        return ResponseEntity.created(URI.create("/api/v1/sources/" + source.name()))
                .body(source);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Get a source")
    Source get(@PathVariable String name) {
        return sources.get(name);
    }

    @PutMapping("/{name}/settings")
    @Operation(
            summary = "Replace a source's settings (administrators)",
            description = "For a Segment source: events (track event → metric), pages (page or screen name →"
                    + " metric), keyFeatures (metrics) and traits (group trait → account field). Refused with every"
                    + " problem named when invalid.")
    Source updateSettings(@PathVariable String name, @RequestBody JsonNode settings, Authentication authentication) {
        requireAdministrator(authentication);
        return administration.updateSettings(name, settings);
    }

    @GetMapping("/{name}/status")
    @Operation(
            summary = "What a source delivered",
            description = "Write keys, last event received, accepted and rejected per day (last 14 days), the latest"
                    + " rejections with an excerpt of what was sent, events held for accounts not known yet, and"
                    + " events quarantined because they could not be applied (see /quarantine).")
    SourceAdministration.Status status(@PathVariable String name) {
        return administration.status(name);
    }

    @GetMapping("/{name}/write-keys")
    @Operation(summary = "List a source's write keys", description = "Revoked keys included; keys themselves never.")
    List<WriteKey> writeKeys(@PathVariable String name) {
        return writeKeys.list(name);
    }

    /** What a client sends to create a write key. */
    record NewWriteKey(String name) {}

    @PostMapping("/{name}/write-keys")
    @Operation(
            summary = "Create a write key (administrators)",
            description = "Body: {\"name\": \"production\"}. The answer holds the key, shown this once: configure"
                    + " it as the write key of a Segment library, or send it as the HTTP Basic user name to /v1/*.")
    ResponseEntity<WriteKey.Created> createWriteKey(
            @PathVariable String name,
            @RequestBody(required = false) NewWriteKey request,
            Authentication authentication) {
        requireAdministrator(authentication);
        WriteKey.Created created = writeKeys.create(name, request == null ? null : request.name());
        return ResponseEntity.created(URI.create("/api/v1/sources/" + name + "/write-keys/"
                        + created.key().id()))
                .body(created);
    }

    @DeleteMapping("/{name}/write-keys/{id}")
    @Operation(summary = "Revoke a write key (administrators)", description = "Senders using it get 401 at once.")
    ResponseEntity<Void> revokeWriteKey(
            @PathVariable String name, @PathVariable UUID id, Authentication authentication) {
        requireAdministrator(authentication);
        writeKeys.revoke(name, id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{name}/quarantine")
    @Operation(
            summary = "A source's quarantined events",
            description = "Events that were acknowledged but could not be applied (the processor failed on them even"
                    + " alone), newest first, each with the reason; every other event was applied. Replay them after"
                    + " fixing the cause (e.g. the source's mapping), or discard them. limit: 1–500, default 100.")
    List<SourceAdministration.QuarantinedEvent> quarantine(
            @PathVariable String name, @RequestParam(required = false) Integer limit) {
        int size = new dev.steward.core.PageLimit(100, 500).of(limit);
        return administration.quarantined(name, size);
    }

    /** Which quarantined events to replay or discard: these messageIds, or all of them. */
    record QuarantineSelection(List<String> messageIds, Boolean all) {

        List<String> selected() {
            boolean everything = Boolean.TRUE.equals(all);
            if (everything == (messageIds != null)) {
                throw new InvalidInputException(
                        "messageIds", "name the events with messageIds, or send {\"all\": true} for every one");
            }
            return everything ? null : messageIds;
        }
    }

    /** How many quarantined events a replay or discard took. */
    record QuarantineResult(int replayed, int discarded) {}

    @PostMapping("/{name}/quarantine/replay")
    @Operation(
            summary = "Replay quarantined events (administrators)",
            description = "Body: {\"messageIds\": [\"...\"]} or {\"all\": true}. The events go back to the"
                    + " processor's queue and are applied within seconds; one that fails again is quarantined again"
                    + " with the new reason.")
    QuarantineResult replay(
            @PathVariable String name, @RequestBody QuarantineSelection selection, Authentication authentication) {
        requireAdministrator(authentication);
        return new QuarantineResult(administration.replay(name, selection.selected()), 0);
    }

    @PostMapping("/{name}/quarantine/discard")
    @Operation(
            summary = "Discard quarantined events (administrators)",
            description = "Body: {\"messageIds\": [\"...\"]} or {\"all\": true}. The events are dropped for good.")
    QuarantineResult discard(
            @PathVariable String name, @RequestBody QuarantineSelection selection, Authentication authentication) {
        requireAdministrator(authentication);
        return new QuarantineResult(0, administration.discard(name, selection.selected()));
    }

    static void requireAdministrator(Authentication authentication) {
        boolean admin = authentication != null
                && authentication.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
        if (!admin) {
            throw new AccessDeniedException("Only administrators may change sources and their write keys");
        }
    }
}
