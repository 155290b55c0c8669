package dev.steward.ingest.intercom;

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
 * Intercom sources on the data sources pages, for administrators: the form that connects one (its token tried before
 * anything is kept) and the panel of a source's page: the connection, the schedule, pull now, and the latest pull of
 * each feed with its counts and first errors, which reloads itself while a pull runs.
 */
@Controller
@RequestMapping("/sources")
class IntercomPages {

    private static final String WHO = "Intercom sources";

    /** How the form's fields read in a sentence saying why one was refused. */
    private static final Map<String, String> LABELS =
            Map.of("region", "The region: ", "accessToken", "The access token: ");

    private final IntercomSources intercom;
    private final Sources sources;

    IntercomPages(IntercomSources intercom, Sources sources) {
        this.intercom = intercom;
        this.sources = sources;
    }

    /** The token typed in is never shown back: a refused form comes back with the rest and the reason. */
    @PostMapping("/intercom")
    String connect(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "us") String region,
            @RequestParam(defaultValue = "") String accessToken,
            @RequestParam(required = false) Integer everyMinutes,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        return PullPages.connect(
                "intercom",
                name,
                () -> intercom.create(
                                name.strip(),
                                new IntercomSources.ConnectionInput(region, accessToken, null, everyMinutes, null))
                        .name(),
                LABELS,
                () -> {
                    model.addAttribute("intercomName", name);
                    model.addAttribute("intercomRegion", region);
                    model.addAttribute("intercomEvery", everyMinutes);
                },
                sources,
                model);
    }

    /** The connection panel; htmx loads it, and again every two seconds while a pull runs. */
    @GetMapping("/{name}/intercom")
    String panel(@PathVariable String name, Model model) {
        model.addAttribute("intercom", intercom.get(name));
        return "ingest/intercom :: panel";
    }

    @PostMapping("/{name}/intercom/pull")
    String pull(@PathVariable String name, Authentication authentication, Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        PullPages.pullNow(() -> intercom.pullNow(name), model);
        return panel(name, model);
    }

    @PostMapping("/{name}/intercom/schedule")
    String schedule(
            @PathVariable String name,
            @RequestParam(required = false) Integer everyMinutes,
            @RequestParam(defaultValue = "false") boolean paused,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        try {
            intercom.update(name, new IntercomSources.ConnectionInput(null, null, null, everyMinutes, paused));
        } catch (InvalidInputException e) {
            model.addAttribute("scheduleError", PullPages.sentence(e.errors().get(0), LABELS));
        }
        return panel(name, model);
    }
}
