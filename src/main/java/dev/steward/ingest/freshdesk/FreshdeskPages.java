package dev.steward.ingest.freshdesk;

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
 * Freshdesk sources on the data sources pages, for administrators: the form that connects one (its API key tried
 * before anything is kept) and the panel of a source's page: the connection, the schedule, pull now, and the latest
 * pull of each feed with its counts and first errors, which reloads itself while a pull runs.
 */
@Controller
@RequestMapping("/sources")
class FreshdeskPages {

    private static final String WHO = "Freshdesk sources";

    /** How the form's fields read in a sentence saying why one was refused. */
    private static final Map<String, String> LABELS = Map.of(
            "domain", "The helpdesk's address: ",
            "plan", "The plan: ",
            "apiKey", "The API key: ",
            "externalIdField", "The external id field: ");

    private final FreshdeskSources freshdesk;
    private final Sources sources;

    FreshdeskPages(FreshdeskSources freshdesk, Sources sources) {
        this.freshdesk = freshdesk;
        this.sources = sources;
    }

    /** The key typed in is never shown back: a refused form comes back with the rest and the reason. */
    @PostMapping("/freshdesk")
    String connect(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String domain,
            @RequestParam(defaultValue = "growth") String plan,
            @RequestParam(defaultValue = "") String apiKey,
            @RequestParam(required = false) Integer everyMinutes,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        return PullPages.connect(
                "freshdesk",
                name,
                () -> freshdesk
                        .create(
                                name.strip(),
                                new FreshdeskSources.ConnectionInput(
                                        domain, plan, apiKey, null, null, everyMinutes, null))
                        .name(),
                LABELS,
                () -> {
                    model.addAttribute("freshdeskName", name);
                    model.addAttribute("freshdeskDomain", domain);
                    model.addAttribute("freshdeskPlan", plan);
                    model.addAttribute("freshdeskEvery", everyMinutes);
                },
                sources,
                model);
    }

    /** The connection panel; htmx loads it, and again every two seconds while a pull runs. */
    @GetMapping("/{name}/freshdesk")
    String panel(@PathVariable String name, Model model) {
        model.addAttribute("freshdesk", freshdesk.get(name));
        return "ingest/freshdesk :: panel";
    }

    @PostMapping("/{name}/freshdesk/pull")
    String pull(@PathVariable String name, Authentication authentication, Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        PullPages.pullNow(() -> freshdesk.pullNow(name), model);
        return panel(name, model);
    }

    @PostMapping("/{name}/freshdesk/schedule")
    String schedule(
            @PathVariable String name,
            @RequestParam(required = false) Integer everyMinutes,
            @RequestParam(defaultValue = "false") boolean paused,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        try {
            freshdesk.update(
                    name, new FreshdeskSources.ConnectionInput(null, null, null, null, null, everyMinutes, paused));
        } catch (InvalidInputException e) {
            model.addAttribute("scheduleError", PullPages.sentence(e.errors().get(0), LABELS));
        }
        return panel(name, model);
    }
}
