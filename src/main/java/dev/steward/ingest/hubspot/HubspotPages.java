package dev.steward.ingest.hubspot;

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
 * HubSpot sources on the data sources pages, for administrators: the form that connects one (its token tried before
 * anything is kept) and the panel of a source's page: the connection, the schedule, pull now, and the latest pull of
 * each feed with its counts and first errors, which reloads itself while a pull runs.
 */
@Controller
@RequestMapping("/sources")
class HubspotPages {

    /** Where HubSpot sends the administrator back with a code (the OAuth app's redirect URL). */
    static final String CALLBACK = "/sources/hubspot/callback";

    private static final String WHO = "HubSpot sources";

    /** How the form's fields read in a sentence saying why one was refused. */
    private static final Map<String, String> LABELS = Map.of(
            "token", "The access token: ",
            "externalIdProperty", "The external id property: ",
            "clientId", "The client id: ",
            "clientSecret", "The client secret: ",
            "scopes", "The scopes: ",
            "code", "HubSpot's answer: ",
            "state", "The authorization: ");

    private final HubspotSources hubspot;
    private final Sources sources;

    HubspotPages(HubspotSources hubspot, Sources sources) {
        this.hubspot = hubspot;
        this.sources = sources;
    }

    /**
     * Connects with a private app's token, or starts connecting an OAuth app: off to HubSpot's consent page. The token
     * and secret typed in are never shown back: a refused form comes back with the rest and the reason. A source
     * connected with a token here waits, paused, for its administrator to map its fields, preview and start its first
     * pull.
     */
    @PostMapping("/hubspot")
    String connect(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "token") String auth,
            @RequestParam(defaultValue = "") String token,
            @RequestParam(defaultValue = "") String clientId,
            @RequestParam(defaultValue = "") String clientSecret,
            @RequestParam(defaultValue = "") String scopes,
            @RequestParam(required = false) Integer everyMinutes,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        String[] consent = new String[1];
        String next = PullPages.connect(
                "hubspot",
                name,
                () -> {
                    if ("oauth".equals(auth)) {
                        consent[0] = hubspot.authorize(
                                        name.strip(),
                                        new HubspotSources.AppInput(
                                                clientId, clientSecret, scopes, null, null, everyMinutes, null, null),
                                        HubspotAuthorizationController.redirectUri(null))
                                .authorizeUrl();
                        return "";
                    }
                    return hubspot.create(
                                    name.strip(),
                                    new HubspotSources.ConnectionInput(
                                            token, null, null, everyMinutes, true, null, null))
                            .name();
                },
                LABELS,
                () -> {
                    model.addAttribute("hubspotName", name);
                    model.addAttribute("hubspotEvery", everyMinutes);
                    model.addAttribute("hubspotAuth", auth);
                    model.addAttribute("hubspotClientId", clientId);
                    model.addAttribute("hubspotScopes", scopes);
                },
                sources,
                model);
        return consent[0] != null ? "redirect:" + consent[0] : next;
    }

    /** HubSpot sends the administrator back here: with a code (the source is made) or with why it was refused. */
    @GetMapping("/hubspot/callback")
    String callback(
            @RequestParam(defaultValue = "") String state,
            @RequestParam(defaultValue = "") String code,
            @RequestParam(required = false) String error,
            @RequestParam(name = "error_description", required = false) String errorDescription,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        return PullPages.connect(
                "hubspot",
                "",
                () -> {
                    if (error != null) {
                        throw new InvalidInputException(
                                "code", "HubSpot refused: " + (errorDescription == null ? error : errorDescription));
                    }
                    return hubspot.complete(state, code).name();
                },
                LABELS,
                () -> {},
                sources,
                model);
    }

    /** The connection panel; htmx loads it, and again every two seconds while a pull runs. */
    @GetMapping("/{name}/hubspot")
    String panel(@PathVariable String name, Model model) {
        model.addAttribute("hubspot", hubspot.get(name));
        return "ingest/hubspot :: panel";
    }

    @PostMapping("/{name}/hubspot/pull")
    String pull(@PathVariable String name, Authentication authentication, Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        PullPages.pullNow(() -> hubspot.pullNow(name), model);
        return panel(name, model);
    }

    @PostMapping("/{name}/hubspot/schedule")
    String schedule(
            @PathVariable String name,
            @RequestParam(required = false) Integer everyMinutes,
            @RequestParam(defaultValue = "false") boolean paused,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        try {
            hubspot.update(
                    name, new HubspotSources.ConnectionInput(null, null, null, everyMinutes, paused, null, null));
        } catch (InvalidInputException e) {
            model.addAttribute("scheduleError", PullPages.sentence(e.errors().get(0), LABELS));
        }
        return panel(name, model);
    }
}
