package dev.steward.ingest.zendesk;

import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.ingest.Sources;
import dev.steward.ingest.sync.PullSources;
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
        try {
            boolean oauth = !accessToken.isBlank();
            ZendeskSources.ZendeskView view = zendesk.create(
                    name.strip(),
                    new ZendeskSources.ConnectionInput(
                            subdomain,
                            oauth ? null : email,
                            oauth ? null : apiToken,
                            oauth ? accessToken : null,
                            null,
                            null,
                            everyMinutes,
                            null));
            return "redirect:/sources/" + view.name();
        } catch (InvalidInputException e) {
            FieldError error = e.errors().get(0);
            model.addAttribute("zendeskField", error.field());
            model.addAttribute("zendeskError", sentence(error));
        } catch (ConflictException e) {
            model.addAttribute("zendeskField", "name");
            model.addAttribute(
                    "zendeskError", "A source named '" + name.strip() + "' already exists; choose another name.");
        }
        model.addAttribute("activeNav", "sources");
        model.addAttribute("sources", sources.all());
        model.addAttribute("zendeskName", name);
        model.addAttribute("zendeskSubdomain", subdomain);
        model.addAttribute("zendeskEmail", email);
        model.addAttribute("zendeskEvery", everyMinutes);
        return "ingest/sources";
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
        try {
            zendesk.pullNow(name);
            model.addAttribute("pullStarted", true);
        } catch (ConflictException e) {
            model.addAttribute("pullError", e.getMessage());
        }
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
        String field = error.field() == null ? "" : error.field();
        String label = switch (field) {
            case "subdomain" -> "The subdomain: ";
            case "email" -> "The email: ";
            case "apiToken" -> "The API token: ";
            case "accessToken" -> "The OAuth access token: ";
            case "name" -> "The name ";
            case "everyMinutes" -> "How often: ";
            case "escalationTag" -> "The escalation tag: ";
            default -> field.isEmpty() ? "" : field + ": ";
        };
        return label + error.reason();
    }

    private static void requireAdministrator(Authentication authentication) {
        PullSources.requireAdministrator(authentication, "Zendesk sources");
    }
}
