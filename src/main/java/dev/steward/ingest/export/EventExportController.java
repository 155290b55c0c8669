package dev.steward.ingest.export;

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

/** Amplitude and Mixpanel export sources and their pulls; for administrators. */
@RestController
@RequestMapping("/api/v1/event-exports")
@Tag(name = "Amplitude and Mixpanel exports", description = "Events pulled from Amplitude's and Mixpanel's exports")
class EventExportController {

    /** A new export source: its name, its vendor and how to reach the project. */
    record NewExport(
            String name,
            @Nullable String vendor,
            @Nullable String region,
            @Nullable String apiKey,
            @Nullable String secretKey,
            @Nullable String projectId,
            @Nullable String username,
            @Nullable String secret,
            @Nullable String groupKey,
            @Nullable Integer backfillDays,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    private final EventExportSources exports;

    EventExportController(EventExportSources exports) {
        this.exports = exports;
    }

    @PostMapping
    @Operation(
            summary = "Connect an Amplitude or Mixpanel export",
            description = "vendor: amplitude (give apiKey and secretKey; region us or eu) or mixpanel (give projectId,"
                    + " and a service account's username and secret; region us, eu or in). Steward asks for the first"
                    + " hour of yesterday first: a refusal is a 422 naming the field (secretKey, secret, projectId or"
                    + " region) with the vendor's reason, and nothing is kept. The secret is stored encrypted and never"
                    + " shown again. Unless paused, the first pull starts at once and back-fills backfillDays days (1"
                    + " to 365, default 90) up to the last complete day (UTC); each later pull reads the days since."
                    + " groupKey (default company_id) is the Amplitude group type or Mixpanel property holding the"
                    + " account's id. everyMinutes (5 to 10080, default 60) is how often Steward looks for a new"
                    + " complete day. 409 if the name is taken.")
    ResponseEntity<EventExportSources.ExportView> create(@RequestBody NewExport input) {
        EventExportSources.ExportView view = exports.create(
                input.name() == null ? "" : input.name().strip(),
                new EventExportSources.ConnectionInput(
                        input.vendor(),
                        input.region(),
                        input.apiKey(),
                        input.secretKey(),
                        input.projectId(),
                        input.username(),
                        input.secret(),
                        input.groupKey(),
                        input.backfillDays(),
                        input.everyMinutes(),
                        input.paused()));
        return ResponseEntity.created(URI.create("/api/v1/event-exports/" + view.name()))
                .body(view);
    }

    @GetMapping
    @Operation(summary = "The export sources", description = "vendor (amplitude or mixpanel) keeps those of one.")
    List<EventExportSources.ExportView> list(@RequestParam(required = false) String vendor) {
        return exports.all(vendor);
    }

    @GetMapping("/{name}")
    @Operation(summary = "An export source with the last day pulled, the next, and its latest pulls")
    EventExportSources.ExportView get(@PathVariable String name) {
        return exports.get(name);
    }

    @PatchMapping("/{name}")
    @Operation(
            summary = "Change a connection",
            description = "Fields left out stay as they are; new credentials or a new region are tried first (422 as"
                    + " on connecting). backfillDays counts only before the first pull; paused stops the schedule"
                    + " (pulls can still be started by hand).")
    EventExportSources.ExportView update(
            @PathVariable String name, @RequestBody EventExportSources.ConnectionInput input) {
        return exports.update(name, input);
    }

    @PostMapping("/{name}/pulls")
    @Operation(
            summary = "Pull now",
            description = "Starts a pull of every complete day not pulled yet (202); its run shows in runs. 409 while"
                    + " one runs or is about to.")
    ResponseEntity<EventExportSources.ExportView> pull(@PathVariable String name) {
        exports.pullNow(name);
        return ResponseEntity.accepted().body(exports.get(name));
    }

    @GetMapping("/{name}/runs")
    @Operation(
            summary = "The latest pulls",
            description = "Newest first: when, why, lines read, events stored (created), stored before under the same"
                    + " insert id (unchanged) and rejected, the API calls made, the last day pulled before and after,"
                    + " the first rejected lines (file and line, field, reason), and why a failed pull stopped.")
    List<SyncRuns.Run> runs(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        return exports.runs(name, new PageLimit(20, 200).of(limit));
    }
}
