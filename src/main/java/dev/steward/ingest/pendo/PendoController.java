package dev.steward.ingest.pendo;

import dev.steward.core.PageLimit;
import dev.steward.ingest.sync.SyncRuns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Pendo sources, their mapping and their pulls; for administrators. */
@RestController
@RequestMapping("/api/v1/pendo/sources")
@Tag(name = "Pendo", description = "Daily product usage per account pulled from Pendo's Aggregation API")
class PendoController {

    /** A new Pendo source: its name and how to reach Pendo. */
    record NewPendo(
            String name,
            @Nullable String region,
            @Nullable String integrationKey,
            @Nullable String timeZone,
            @Nullable Integer backfillMonths,
            @Nullable String accountsSource,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    /** The whole mapping: each Pendo feature, page or track type counted, and its metric. */
    record Mapping(List<PendoSources.MappingInput> mappings) {}

    private final PendoSources pendo;

    PendoController(PendoSources pendo) {
        this.pendo = pendo;
    }

    @PostMapping
    @Operation(
            summary = "Connect Pendo",
            description = "Give integrationKey (Pendo: Settings → Integrations → Integration Keys) and region (us:"
                    + " app.pendo.io, eu: app.eu.pendo.io, us1: us1.app.pendo.io, jp: app.jp.pendo.io; default us)."
                    + " Steward tries the key first (GET /api/v1/metadata/schema/account): a refusal is a 422 naming"
                    + " integrationKey, with Pendo's reason, and nothing is kept. The key is stored encrypted and never"
                    + " shown again. accountsSource (default api) names the source whose external ids are Pendo's"
                    + " account ids; timeZone (default UTC) is the subscription's, whose days Pendo counts;"
                    + " backfillMonths (0 to 24, default 3) is how far back the first pull reads; everyMinutes (5 to"
                    + " 10080, default 1440) how often it is pulled. Unless paused, the first pull starts at once. 409"
                    + " if the name is taken.")
    ResponseEntity<PendoSources.PendoView> create(@RequestBody NewPendo input) {
        PendoSources.PendoView view = pendo.create(
                input.name(),
                new PendoSources.ConnectionInput(
                        input.region(),
                        input.integrationKey(),
                        input.timeZone(),
                        input.backfillMonths(),
                        input.accountsSource(),
                        input.everyMinutes(),
                        input.paused()));
        return ResponseEntity.created(URI.create("/api/v1/pendo/sources/" + view.name()))
                .body(view);
    }

    @GetMapping
    @Operation(summary = "The Pendo sources")
    List<PendoSources.PendoView> list() {
        return pendo.all();
    }

    @GetMapping("/{name}")
    @Operation(summary = "A Pendo source with its mapping, each feed's cursor, the held accounts and its latest pulls")
    PendoSources.PendoView get(@PathVariable String name) {
        return pendo.get(name);
    }

    @PatchMapping("/{name}")
    @Operation(
            summary = "Change a connection",
            description = "Fields left out stay as they are; a new region or key is tried first (422 as on"
                    + " connecting). paused stops the schedule (pulls can still be started by hand).")
    PendoSources.PendoView update(@PathVariable String name, @RequestBody PendoSources.ConnectionInput input) {
        return pendo.update(name, input);
    }

    @GetMapping("/{name}/mapping")
    @Operation(
            summary = "The features, pages and track types to map",
            description = "Asked of Pendo now (GET /api/v1/feature, /page, /tracktype): each with its kind (features,"
                    + " pages, track_events), id, name and the metric it counts as (null: not mapped).")
    List<PendoSources.ItemView> items(@PathVariable String name) {
        return pendo.items(name);
    }

    @PutMapping("/{name}/mapping")
    @Operation(
            summary = "Replace the mapping",
            description = "mappings: [{kind, id, name, metric}]. Each item's daily events per account count as its"
                    + " metric (a new key is added to the catalog, summed); a metric counts items of one kind. Refused"
                    + " as a whole with every problem (mappings[i].metric…). A feed whose mapping changed is read again"
                    + " from the back-fill's first day on the next pull.")
    PendoSources.PendoView map(@PathVariable String name, @RequestBody Mapping mapping) {
        return pendo.map(name, mapping.mappings() == null ? List.of() : mapping.mappings());
    }

    @PutMapping("/{name}/account-fields")
    @Operation(
            summary = "Let Pendo fill account fields",
            description = "An object of Steward's account field (tier, industry, region, employees) → the Pendo account"
                    + " metadata field that fills it, as group.field (agent.plan, custom.segment…); a field left out is"
                    + " not filled. Each pull then reads every Pendo account (an aggregation over the accounts source)"
                    + " and writes those fields of the accounts Steward has (under the accounts source); it creates no"
                    + " account. Refused as a whole with every problem, each naming its field.")
    PendoSources.PendoView accountFields(@PathVariable String name, @RequestBody Map<String, String> fields) {
        return pendo.accountFields(name, fields);
    }

    @PostMapping("/{name}/pulls")
    @Operation(
            summary = "Pull now",
            description = "Starts a pull of every feed from its cursor (202); its runs show in runs. 409 while one runs"
                    + " or is about to.")
    ResponseEntity<PendoSources.PendoView> pull(@PathVariable String name) {
        pendo.pullNow(name);
        return ResponseEntity.accepted().body(pendo.get(name));
    }

    @GetMapping("/{name}/runs")
    @Operation(
            summary = "The latest pulls",
            description =
                    "Newest first, one run per feed (activity, features, pages, track_events, accounts): when, why, rows"
                            + " read, values created, updated and unchanged, rows skipped (visitors of no account, items not"
                            + " mapped) and values held (accounts Steward does not have), rows rejected with the reason, the API"
                            + " calls made, the day it read from and the day the next reads from, and why a failed pull stopped.")
    List<SyncRuns.Run> runs(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        return pendo.runs(name, new PageLimit(20, 200).of(limit));
    }
}
