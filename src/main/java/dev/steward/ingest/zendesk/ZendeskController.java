package dev.steward.ingest.zendesk;

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

/** Zendesk sources and their pulls; for administrators. */
@RestController
@RequestMapping("/api/v1/zendesk/sources")
@Tag(
        name = "Zendesk",
        description = "Organizations, users, tickets and satisfaction ratings pulled from Zendesk Support")
class ZendeskController {

    /** A new Zendesk source: its name and how to reach Zendesk. */
    record NewZendesk(
            String name,
            String subdomain,
            @Nullable String email,
            @Nullable String apiToken,
            @Nullable String accessToken,
            @Nullable String escalationTag,
            @Nullable String accountsSource,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    private final ZendeskSources zendesk;

    ZendeskController(ZendeskSources zendesk) {
        this.zendesk = zendesk;
    }

    @PostMapping
    @Operation(
            summary = "Connect Zendesk",
            description = "Give subdomain and either email and apiToken (an administrator's API token) or accessToken"
                    + " (OAuth). Steward asks Zendesk who they sign in as first: a refusal, an anonymous user or one"
                    + " who is not an administrator is a 422 naming the field, with Zendesk's reason, and nothing is"
                    + " kept. The token is stored encrypted and never shown again. everyMinutes (5 to 10080, default"
                    + " 60) is how often it is pulled; unless paused, the first pull (everything) starts at once."
                    + " escalationTag (default escalated) marks tickets escalated besides priority urgent;"
                    + " accountsSource names the source whose external ids are organizations' external_id. 409 if the"
                    + " name is taken.")
    ResponseEntity<ZendeskSources.ZendeskView> create(@RequestBody NewZendesk input) {
        ZendeskSources.ZendeskView view = zendesk.create(
                input.name(),
                new ZendeskSources.ConnectionInput(
                        input.subdomain(),
                        input.email(),
                        input.apiToken(),
                        input.accessToken(),
                        input.escalationTag(),
                        input.accountsSource(),
                        input.everyMinutes(),
                        input.paused()));
        return ResponseEntity.created(URI.create("/api/v1/zendesk/sources/" + view.name()))
                .body(view);
    }

    @GetMapping
    @Operation(summary = "The Zendesk sources")
    List<ZendeskSources.ZendeskView> list() {
        return zendesk.all();
    }

    @GetMapping("/{name}")
    @Operation(summary = "A Zendesk source with each export's cursor and its latest pulls")
    ZendeskSources.ZendeskView get(@PathVariable String name) {
        return zendesk.get(name);
    }

    @PatchMapping("/{name}")
    @Operation(
            summary = "Change a connection",
            description = "Fields left out stay as they are; a new subdomain, email or token is tried first (422 as"
                    + " on connecting). paused stops the schedule (pulls can still be started by hand); a pull"
                    + " resumes from each export's stored cursor.")
    ZendeskSources.ZendeskView update(@PathVariable String name, @RequestBody ZendeskSources.ConnectionInput input) {
        return zendesk.update(name, input);
    }

    @PostMapping("/{name}/pulls")
    @Operation(
            summary = "Pull now",
            description = "Starts a pull of every export from its cursor (202); its runs show in runs. 409 while one"
                    + " runs or is about to.")
    ResponseEntity<ZendeskSources.ZendeskView> pull(@PathVariable String name) {
        zendesk.pullNow(name);
        return ResponseEntity.accepted().body(zendesk.get(name));
    }

    @GetMapping("/{name}/runs")
    @Operation(
            summary = "The latest pulls",
            description = "Newest first, one run per export (feed: organizations, users, tickets,"
                    + " satisfaction_ratings): when, why, records read, created, updated, unchanged, deleted, skipped"
                    + " and rejected, the API calls made, the cursor before and after, the first rejected records with"
                    + " the reason, and why a failed pull stopped.")
    List<SyncRuns.Run> runs(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        return zendesk.runs(name, new PageLimit(20, 200).of(limit));
    }
}
