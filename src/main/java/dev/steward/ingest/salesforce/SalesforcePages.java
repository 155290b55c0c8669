package dev.steward.ingest.salesforce;

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
 * Salesforce sources on the data sources pages, for administrators: the form that connects an org (with a JWT signed
 * by a private key, tried before anything is kept, or through Salesforce's consent page and back), and the panel of a
 * source's page: the connection, the org's API allowance, the schedule, pull now, and the latest pull of each feed.
 */
@Controller
@RequestMapping("/sources")
class SalesforcePages {

    /** Where Salesforce sends the administrator back with a code (the connected app's callback URL). */
    static final String CALLBACK = "/sources/salesforce/callback";

    private static final String WHO = "Salesforce sources";

    /** How the form's fields read in a sentence saying why one was refused. */
    private static final Map<String, String> LABELS = Map.of(
            "clientId", "The consumer key: ",
            "clientSecret", "The consumer secret: ",
            "username", "The username: ",
            "privateKey", "The private key: ",
            "loginUrl", "The login URL: ",
            "allowancePercent", "The share of daily API requests: ",
            "code", "Salesforce's answer: ",
            "state", "The authorization: ");

    private final SalesforceSources salesforce;
    private final Sources sources;

    SalesforcePages(SalesforceSources salesforce, Sources sources) {
        this.salesforce = salesforce;
        this.sources = sources;
    }

    /**
     * Connects with the JWT bearer flow at once, or starts the web-server flow: off to Salesforce's consent page. The
     * secrets typed in are never shown back: a refused form comes back with the rest and the reason.
     */
    @PostMapping("/salesforce")
    String connect(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "jwt_bearer") String flow,
            @RequestParam(defaultValue = "") String loginUrl,
            @RequestParam(defaultValue = "") String clientId,
            @RequestParam(defaultValue = "") String clientSecret,
            @RequestParam(defaultValue = "") String username,
            @RequestParam(defaultValue = "") String privateKey,
            @RequestParam(required = false) Integer everyMinutes,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        SalesforceSources.ConnectionInput input = new SalesforceSources.ConnectionInput(
                flow,
                loginUrl,
                clientId,
                clientSecret,
                null,
                username,
                privateKey,
                null,
                null,
                null,
                null,
                everyMinutes,
                null,
                null,
                null,
                null);
        String[] consent = new String[1];
        String next = PullPages.connect(
                "salesforce",
                name,
                () -> {
                    if ("web_server".equals(flow)) {
                        consent[0] = salesforce
                                .authorize(name.strip(), input, SalesforceController.redirectUri(null))
                                .authorizeUrl();
                        return "";
                    }
                    return salesforce.create(name.strip(), input).name();
                },
                LABELS,
                () -> {
                    model.addAttribute("salesforceName", name);
                    model.addAttribute("salesforceFlow", flow);
                    model.addAttribute("salesforceLoginUrl", loginUrl);
                    model.addAttribute("salesforceClientId", clientId);
                    model.addAttribute("salesforceUsername", username);
                    model.addAttribute("salesforceEvery", everyMinutes);
                },
                sources,
                model);
        return consent[0] != null ? "redirect:" + consent[0] : next;
    }

    /** Salesforce sends the administrator back here: with a code (the source is made) or with why it was refused. */
    @GetMapping("/salesforce/callback")
    String callback(
            @RequestParam(defaultValue = "") String state,
            @RequestParam(defaultValue = "") String code,
            @RequestParam(required = false) String error,
            @RequestParam(name = "error_description", required = false) String errorDescription,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        return PullPages.connect(
                "salesforce",
                "",
                () -> {
                    if (error != null) {
                        throw new InvalidInputException(
                                "code", "Salesforce refused: " + (errorDescription == null ? error : errorDescription));
                    }
                    return salesforce.complete(state, code).name();
                },
                LABELS,
                () -> {},
                sources,
                model);
    }

    /** The connection panel; htmx loads it, and again every two seconds while a pull runs. */
    @GetMapping("/{name}/salesforce")
    String panel(@PathVariable String name, Model model) {
        model.addAttribute("salesforce", salesforce.get(name));
        return "ingest/salesforce :: panel";
    }

    @PostMapping("/{name}/salesforce/pull")
    String pull(@PathVariable String name, Authentication authentication, Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        PullPages.pullNow(() -> salesforce.pullNow(name), model);
        return panel(name, model);
    }

    @PostMapping("/{name}/salesforce/schedule")
    String schedule(
            @PathVariable String name,
            @RequestParam(required = false) Integer everyMinutes,
            @RequestParam(required = false) Integer allowancePercent,
            @RequestParam(defaultValue = "false") boolean paused,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        try {
            salesforce.update(
                    name,
                    new SalesforceSources.ConnectionInput(
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            allowancePercent,
                            everyMinutes,
                            paused,
                            null,
                            null,
                            null));
        } catch (InvalidInputException e) {
            model.addAttribute("scheduleError", PullPages.sentence(e.errors().get(0), LABELS));
        }
        return panel(name, model);
    }
}
