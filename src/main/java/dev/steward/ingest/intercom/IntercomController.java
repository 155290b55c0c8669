package dev.steward.ingest.intercom;

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

/** Intercom sources and their pulls; for administrators. */
@RestController
@RequestMapping("/api/v1/intercom/sources")
@Tag(name = "Intercom", description = "Companies, contacts, conversations and tickets pulled from Intercom")
class IntercomController {

    /** A new Intercom source: its name and how to reach Intercom. */
    record NewIntercom(
            String name,
            @Nullable String region,
            @Nullable String accessToken,
            @Nullable String accountsSource,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    private final IntercomSources intercom;

    IntercomController(IntercomSources intercom) {
        this.intercom = intercom;
    }

    @PostMapping
    @Operation(
            summary = "Connect Intercom",
            description = "Give accessToken (a private app's, or an OAuth token) and region (us, eu or au; default us)."
                    + " Steward asks Intercom whom it acts as first (GET /me): a refusal is a 422 naming accessToken,"
                    + " with Intercom's reason, and nothing is kept. The token is stored encrypted and never shown"
                    + " again. everyMinutes (5 to 10080, default 60) is how often it is pulled; unless paused, the"
                    + " first pull (everything) starts at once. accountsSource names the source whose external ids are"
                    + " companies' company_id. 409 if the name is taken.")
    ResponseEntity<IntercomSources.IntercomView> create(@RequestBody NewIntercom input) {
        IntercomSources.IntercomView view = intercom.create(
                input.name(),
                new IntercomSources.ConnectionInput(
                        input.region(),
                        input.accessToken(),
                        input.accountsSource(),
                        input.everyMinutes(),
                        input.paused()));
        return ResponseEntity.created(URI.create("/api/v1/intercom/sources/" + view.name()))
                .body(view);
    }

    @GetMapping
    @Operation(summary = "The Intercom sources")
    List<IntercomSources.IntercomView> list() {
        return intercom.all();
    }

    @GetMapping("/{name}")
    @Operation(summary = "An Intercom source with each feed's watermark and its latest pulls")
    IntercomSources.IntercomView get(@PathVariable String name) {
        return intercom.get(name);
    }

    @PatchMapping("/{name}")
    @Operation(
            summary = "Change a connection",
            description = "Fields left out stay as they are; a new region or token is tried first (422 as on"
                    + " connecting). paused stops the schedule (pulls can still be started by hand).")
    IntercomSources.IntercomView update(@PathVariable String name, @RequestBody IntercomSources.ConnectionInput input) {
        return intercom.update(name, input);
    }

    @PostMapping("/{name}/pulls")
    @Operation(
            summary = "Pull now",
            description = "Starts a pull of every feed from its watermark (202); its runs show in runs. 409 while one"
                    + " runs or is about to.")
    ResponseEntity<IntercomSources.IntercomView> pull(@PathVariable String name) {
        intercom.pullNow(name);
        return ResponseEntity.accepted().body(intercom.get(name));
    }

    @GetMapping("/{name}/runs")
    @Operation(
            summary = "The latest pulls",
            description = "Newest first, one run per feed (companies, contacts, conversations, tickets): when, why,"
                    + " records read, created, updated, unchanged, deleted, skipped and rejected, the API calls made,"
                    + " the watermark before and after, the first rejected records with the reason, and why a failed"
                    + " pull stopped.")
    List<SyncRuns.Run> runs(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        return intercom.runs(name, new PageLimit(20, 200).of(limit));
    }
}
