package dev.steward.ingest.hubspot;

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

/** HubSpot sources and their pulls; for administrators. */
@RestController
@RequestMapping("/api/v1/hubspot/sources")
@Tag(name = "HubSpot", description = "Companies, contacts and deals pulled from HubSpot's CRM")
class HubspotController {

    /** A new HubSpot source: its name and a private app's token. */
    record NewHubspot(
            String name,
            @Nullable String token,
            @Nullable String accountsSource,
            @Nullable String externalIdProperty,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused,
            @Nullable Boolean writeBack,
            @Nullable String stewardUrl) {}

    private final HubspotSources hubspot;

    HubspotController(HubspotSources hubspot) {
        this.hubspot = hubspot;
    }

    @PostMapping
    @Operation(
            summary = "Connect HubSpot",
            description = "Give token (a private app's access token, with the crm.objects.companies.read,"
                    + " crm.objects.contacts.read and crm.objects.deals.read scopes). Steward asks HubSpot whose portal"
                    + " it is first (GET /account-info/v3/details): a refusal is a 422 naming token, with HubSpot's"
                    + " reason, and nothing is kept. The token is stored encrypted and never shown again. everyMinutes"
                    + " (5 to 10080, default 30) is how often it is pulled; unless paused, the first pull (everything)"
                    + " starts at once. accountsSource names the source whose external ids are in the companies'"
                    + " property externalIdProperty. writeBack (needs stewardUrl, Steward's address as people open it)"
                    + " writes each account's health score, color, 30-day trend, CSM and a link to its page onto its"
                    + " company after each pull (properties of a group steward, created when absent; needs the"
                    + " crm.objects.companies.write and crm.schemas.companies.write scopes). 409 if the name is taken.")
    ResponseEntity<HubspotSources.HubspotView> create(@RequestBody NewHubspot input) {
        HubspotSources.HubspotView view = hubspot.create(
                input.name(),
                new HubspotSources.ConnectionInput(
                        input.token(),
                        input.accountsSource(),
                        input.externalIdProperty(),
                        input.everyMinutes(),
                        input.paused(),
                        input.writeBack(),
                        input.stewardUrl()));
        return ResponseEntity.created(URI.create("/api/v1/hubspot/sources/" + view.name()))
                .body(view);
    }

    @GetMapping
    @Operation(summary = "The HubSpot sources")
    List<HubspotSources.HubspotView> list() {
        return hubspot.all();
    }

    @GetMapping("/{name}")
    @Operation(summary = "A HubSpot source with each feed's cursor and its latest pulls")
    HubspotSources.HubspotView get(@PathVariable String name) {
        return hubspot.get(name);
    }

    @PatchMapping("/{name}")
    @Operation(
            summary = "Change a connection",
            description = "Fields left out stay as they are (an empty accountsSource or externalIdProperty removes it);"
                    + " a new token is tried first (422 as on connecting). paused stops the schedule (pulls can still"
                    + " be started by hand).")
    HubspotSources.HubspotView update(@PathVariable String name, @RequestBody HubspotSources.ConnectionInput input) {
        return hubspot.update(name, input);
    }

    @PostMapping("/{name}/pulls")
    @Operation(
            summary = "Pull now",
            description = "Starts a pull of every feed from its cursor (202); its runs show in runs. 409 while one runs"
                    + " or is about to.")
    ResponseEntity<HubspotSources.HubspotView> pull(@PathVariable String name) {
        hubspot.pullNow(name);
        return ResponseEntity.accepted().body(hubspot.get(name));
    }

    @GetMapping("/{name}/runs")
    @Operation(
            summary = "The latest pulls",
            description = "Newest first, one run per feed (companies, contacts, deals): when, why, records read,"
                    + " created, updated, unchanged, deleted, skipped and rejected, the API calls made, the cursor"
                    + " before and after, the first rejected records with the reason, and why a failed pull stopped.")
    List<SyncRuns.Run> runs(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        return hubspot.runs(name, new PageLimit(20, 200).of(limit));
    }
}
