package dev.steward.ingest.zendesk;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.ingest.Sources;
import dev.steward.ingest.sync.PullPages;
import dev.steward.ingest.sync.PullSources;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Zendesk sources on the data sources pages, for administrators: the form that connects one (its credentials tried
 * before anything is kept) and the panel of a source's page: the connection, the schedule, pull now, and the latest
 * pull of each export with its counts and first errors, which reloads itself while a pull runs.
 */
@Controller
@RequestMapping("/sources")
class ZendeskPages {

    /** How the form's fields read in a sentence saying why one was refused. */
    private static final Map<String, String> LABELS = Map.of(
            "subdomain", "The subdomain: ",
            "email", "The email: ",
            "apiToken", "The API token: ",
            "accessToken", "The OAuth access token: ",
            "escalationTag", "The escalation tag: ");

    private final ZendeskSources zendesk;
    private final Sources sources;

    ZendeskPages(ZendeskSources zendesk, Sources sources) {
        this.zendesk = zendesk;
        this.sources = sources;
    }

    /** The token typed in is never shown back: a refused form comes back with the rest and the reason. */
    @PostMapping("/zendesk")
    String connect(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String subdomain,
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "") String apiToken,
            @RequestParam(defaultValue = "") String accessToken,
            @RequestParam(required = false) Integer everyMinutes,
            Authentication authentication,
            Model model) {
        requireAdministrator(authentication);
        boolean oauth = !accessToken.isBlank();
        return PullPages.connect(
                "zendesk",
                name,
                () -> zendesk.create(
                                name.strip(),
                                new ZendeskSources.ConnectionInput(
                                        subdomain,
                                        oauth ? null : email,
                                        oauth ? null : apiToken,
                                        oauth ? accessToken : null,
                                        null,
                                        null,
                                        everyMinutes,
                                        null))
                        .name(),
                LABELS,
                () -> {
                    model.addAttribute("zendeskName", name);
                    model.addAttribute("zendeskSubdomain", subdomain);
                    model.addAttribute("zendeskEmail", email);
                    model.addAttribute("zendeskEvery", everyMinutes);
                },
                sources,
                model);
    }

    /** The connection panel; htmx loads it, and again every two seconds while a pull runs. */
    @GetMapping("/{name}/zendesk")
    String panel(@PathVariable String name, Model model) {
        model.addAttribute("zendesk", zendesk.get(name));
        return "ingest/zendesk :: panel";
    }

    @PostMapping("/{name}/zendesk/pull")
    String pull(@PathVariable String name, Authentication authentication, Model model) {
        requireAdministrator(authentication);
        PullPages.pullNow(() -> zendesk.pullNow(name), model);
        return panel(name, model);
    }

    @PostMapping("/{name}/zendesk/schedule")
    String schedule(
            @PathVariable String name,
            @RequestParam(required = false) Integer everyMinutes,
            @RequestParam(defaultValue = "false") boolean paused,
            @RequestParam(required = false) String escalationTag,
            Authentication authentication,
            Model model) {
        requireAdministrator(authentication);
        try {
            zendesk.update(
                    name,
                    new ZendeskSources.ConnectionInput(
                            null, null, null, null, escalationTag, null, everyMinutes, paused));
        } catch (InvalidInputException e) {
            model.addAttribute("scheduleError", sentence(e.errors().get(0)));
        }
        return panel(name, model);
    }

    private static String sentence(FieldError error) {
        return PullPages.sentence(error, LABELS);
    }

    private static void requireAdministrator(Authentication authentication) {
        PullSources.requireAdministrator(authentication, "Zendesk sources");
    }
}
