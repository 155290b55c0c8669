package dev.steward.ingest.freshdesk;

import dev.steward.core.PageLimit;
import dev.steward.ingest.sync.SyncRuns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Freshdesk sources and their pulls; for administrators. */
@RestController
@RequestMapping("/api/v1/freshdesk/sources")
@Tag(name = "Freshdesk", description = "Companies, contacts, tickets and satisfaction ratings pulled from Freshdesk")
class FreshdeskController {

    /** A new Freshdesk source: its name and how to reach Freshdesk. */
    record NewFreshdesk(
            String name,
            @Nullable String domain,
            @Nullable String plan,
            @Nullable String apiKey,
            @Nullable String accountsSource,
            @Nullable String externalIdField,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    private final FreshdeskSources freshdesk;

    FreshdeskController(FreshdeskSources freshdesk) {
        this.freshdesk = freshdesk;
    }

    @PostMapping
    @Operation(
            summary = "Connect Freshdesk",
            description = "Give domain (acme.freshdesk.com, or acme), apiKey (an agent's API key) and plan (trial,"
                    + " growth, pro or enterprise; default growth: Steward keeps to half its calls a minute). Steward"
                    + " asks Freshdesk whose the key is first (GET /api/v2/agents/me): a refusal is a 422 naming apiKey"
                    + " (or domain), with Freshdesk's reason, and nothing is kept. The key is stored encrypted and"
                    + " never shown again. everyMinutes (5 to 10080, default 60) is how often it is pulled; unless"
                    + " paused, the first pull (everything) starts at once. accountsSource names the source whose"
                    + " external ids are in the companies' custom field externalIdField. 409 if the name is taken.")
    ResponseEntity<FreshdeskSources.FreshdeskView> create(@RequestBody NewFreshdesk input) {
        FreshdeskSources.FreshdeskView view = freshdesk.create(
                input.name(),
                new FreshdeskSources.ConnectionInput(
                        input.domain(),
                        input.plan(),
                        input.apiKey(),
                        input.accountsSource(),
                        input.externalIdField(),
                        input.everyMinutes(),
                        input.paused()));
        return ResponseEntity.created(URI.create("/api/v1/freshdesk/sources/" + view.name()))
                .body(view);
    }

    @GetMapping
    @Operation(summary = "The Freshdesk sources")
    List<FreshdeskSources.FreshdeskView> list() {
        return freshdesk.all();
    }

    @GetMapping("/{name}")
    @Operation(summary = "A Freshdesk source with each feed's watermark and its latest pulls")
    FreshdeskSources.FreshdeskView get(@PathVariable String name) {
        return freshdesk.get(name);
    }

    @PatchMapping("/{name}")
    @Operation(
            summary = "Change a connection",
            description = "Fields left out stay as they are (an empty accountsSource or externalIdField removes it); a"
                    + " new domain or key is tried first (422 as on connecting). paused stops the schedule (pulls can"
                    + " still be started by hand).")
    FreshdeskSources.FreshdeskView update(
            @PathVariable String name, @RequestBody FreshdeskSources.ConnectionInput input) {
        return freshdesk.update(name, input);
    }

    @PostMapping("/{name}/pulls")
    @Operation(
            summary = "Pull now",
            description = "Starts a pull of every feed from its watermark (202); its runs show in runs. 409 while one"
                    + " runs or is about to.")
    ResponseEntity<FreshdeskSources.FreshdeskView> pull(@PathVariable String name) {
        freshdesk.pullNow(name);
        return ResponseEntity.accepted().body(freshdesk.get(name));
    }

    @GetMapping("/{name}/runs")
    @Operation(
            summary = "The latest pulls",
            description = "Newest first, one run per feed (companies, contacts, tickets, satisfaction_ratings): when,"
                    + " why, records read, created, updated, unchanged, deleted, skipped and rejected, the API calls"
                    + " made, the watermark before and after, the first rejected records with the reason, and why a"
                    + " failed pull stopped.")
    List<SyncRuns.Run> runs(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        return freshdesk.runs(name, new PageLimit(20, 200).of(limit));
    }
}
