package dev.steward.ingest.export;

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
 * Amplitude and Mixpanel exports on the data sources pages, for administrators: the forms that connect one (its
 * credentials tried before anything is kept, the back-fill starting at once) and the panel of a source's page: the
 * connection, the days pulled, the schedule, pull now, and the latest pull with its counts and first errors, which
 * reloads itself while a pull runs. The source's mapping is the Segment sources' form, on the same page.
 */
@Controller
@RequestMapping("/sources")
class EventExportPages {

    private static final String WHO = "Amplitude and Mixpanel sources";

    /** How the forms' fields read in a sentence saying why one was refused. */
    private static final Map<String, String> LABELS = Map.of(
            "region", "The region: ",
            "apiKey", "The API key ",
            "secretKey", "The secret key: ",
            "projectId", "The project id: ",
            "username", "The service account ",
            "secret", "The service account's secret: ",
            "backfillDays", "Days to back-fill: ",
            "groupKey", "The group key ");

    private final EventExportSources exports;
    private final Sources sources;

    EventExportPages(EventExportSources exports, Sources sources) {
        this.exports = exports;
        this.sources = sources;
    }

    /** The secret typed in is never shown back: a refused form comes back with the rest and the reason. */
    @PostMapping("/event-export")
    String connect(
            @RequestParam(defaultValue = "") String vendor,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "us") String region,
            @RequestParam(required = false) String apiKey,
            @RequestParam(required = false) String secretKey,
            @RequestParam(required = false) String projectId,
            @RequestParam(required = false) String username,
            @RequestParam(required = false) String secret,
            @RequestParam(required = false) String groupKey,
            @RequestParam(required = false) Integer backfillDays,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        String form = "mixpanel".equals(vendor) ? "mixpanel" : "amplitude";
        return PullPages.connect(
                form,
                name,
                () -> exports.create(
                                name.strip(),
                                new EventExportSources.ConnectionInput(
                                        vendor,
                                        region,
                                        apiKey,
                                        secretKey,
                                        projectId,
                                        username,
                                        secret,
                                        groupKey,
                                        backfillDays,
                                        null,
                                        null))
                        .name(),
                LABELS,
                () -> {
                    model.addAttribute(form + "Name", name);
                    model.addAttribute(form + "Region", region);
                    model.addAttribute(form + "ApiKey", apiKey);
                    model.addAttribute(form + "ProjectId", projectId);
                    model.addAttribute(form + "Username", username);
                    model.addAttribute(form + "GroupKey", groupKey);
                    model.addAttribute(form + "Backfill", backfillDays);
                },
                sources,
                model);
    }

    /** The connection panel; htmx loads it, and again every two seconds while a pull runs. */
    @GetMapping("/{name}/event-export")
    String panel(@PathVariable String name, Model model) {
        model.addAttribute("export", exports.get(name));
        return "ingest/event-export :: panel";
    }

    @PostMapping("/{name}/event-export/pull")
    String pull(@PathVariable String name, Authentication authentication, Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        PullPages.pullNow(() -> exports.pullNow(name), model);
        return panel(name, model);
    }

    @PostMapping("/{name}/event-export/schedule")
    String schedule(
            @PathVariable String name,
            @RequestParam(required = false) Integer everyMinutes,
            @RequestParam(defaultValue = "false") boolean paused,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        try {
            exports.update(
                    name,
                    new EventExportSources.ConnectionInput(
                            null, null, null, null, null, null, null, null, null, everyMinutes, paused));
        } catch (InvalidInputException e) {
            model.addAttribute("scheduleError", PullPages.sentence(e.errors().get(0), LABELS));
        }
        return panel(name, model);
    }
}
