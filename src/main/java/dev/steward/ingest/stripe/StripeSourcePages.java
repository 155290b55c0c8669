package dev.steward.ingest.stripe;

import dev.steward.core.ConflictException;
import dev.steward.core.InvalidInputException;
import dev.steward.ingest.Sources;
import dev.steward.ingest.stripe.StripeEndpoints.StripeEndpoint;
import java.util.regex.Pattern;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Connecting Stripe from the data sources page: the form that checks an API key against Stripe and starts the
 * backfill, and the Stripe panel of a source's page (the account it reads, the webhook URL to give Stripe, the
 * backfill's progress), which reloads itself while the backfill runs.
 */
@Controller
@RequestMapping("/sources")
class StripeSourcePages {

    private static final Pattern SECRET = Pattern.compile("whsec_[A-Za-z0-9_+/=-]{1,200}");

    private final StripeEndpoints endpoints;
    private final Sources sources;

    StripeSourcePages(StripeEndpoints endpoints, Sources sources) {
        this.endpoints = endpoints;
        this.sources = sources;
    }

    /** The keys typed in are never shown back: a refused form comes back with the name and the reason only. */
    @PostMapping("/stripe")
    String connect(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String apiKey,
            @RequestParam(defaultValue = "") String signingSecret,
            Authentication authentication,
            Model model) {
        requireAdministrator(authentication);
        String refusal = null;
        String field = null;
        if (!SECRET.matcher(signingSecret.strip()).matches()) {
            field = "signingSecret";
            refusal = "The webhook signing secret must be the one the Stripe dashboard shows for the endpoint,"
                    + " starting with whsec_.";
        } else if (apiKey.isBlank()) {
            field = "apiKey";
            refusal = "Give the secret or restricted API key Steward reads the account's customers, subscriptions"
                    + " and invoices with.";
        } else {
            try {
                StripeEndpoint endpoint = endpoints.create(name.strip(), signingSecret.strip(), null, apiKey.strip());
                return "redirect:/sources/" + endpoint.name();
            } catch (InvalidInputException e) {
                field = e.errors().get(0).field();
                refusal = sentence(e);
            } catch (ConflictException e) {
                field = "name";
                refusal = "A source named '" + name.strip() + "' already exists; choose another name.";
            }
        }
        model.addAttribute("activeNav", "sources");
        model.addAttribute("sources", sources.all());
        model.addAttribute("stripeName", name);
        model.addAttribute("stripeField", field);
        model.addAttribute("stripeError", refusal);
        return "ingest/sources";
    }

    /** The Stripe panel of a source's page; htmx loads it, and again every two seconds while the backfill runs. */
    @GetMapping("/{name}/stripe")
    String panel(@PathVariable String name, Model model) {
        StripeEndpoint endpoint = endpoints.get(name);
        model.addAttribute("stripe", endpoint);
        model.addAttribute(
                "webhookUrl",
                ServletUriComponentsBuilder.fromCurrentContextPath()
                        .path(endpoint.webhookPath())
                        .toUriString());
        return "ingest/stripe :: panel";
    }

    @PostMapping("/{name}/stripe/backfill")
    String backfillAgain(@PathVariable String name, Authentication authentication, Model model) {
        requireAdministrator(authentication);
        try {
            endpoints.backfillAgain(name);
        } catch (ConflictException e) {
            model.addAttribute("backfillError", e.getMessage());
        }
        return panel(name, model);
    }

    private static String sentence(InvalidInputException e) {
        var error = e.errors().get(0);
        String reason = error.reason();
        if ("name".equals(error.field())) {
            return "The name " + reason + ".";
        }
        if (reason.startsWith("Stripe refused the key: ")) {
            return "Stripe refused the key: " + reason.substring("Stripe refused the key: ".length());
        }
        return "The API key " + reason + ".";
    }

    private static void requireAdministrator(Authentication authentication) {
        boolean admin = authentication != null
                && authentication.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
        if (!admin) {
            throw new AccessDeniedException("Only administrators may connect Stripe");
        }
    }
}
