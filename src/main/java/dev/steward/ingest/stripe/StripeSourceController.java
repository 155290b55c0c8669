package dev.steward.ingest.stripe;

import dev.steward.ingest.stripe.StripeEndpoints.StripeEndpoint;
import dev.steward.ingest.stripe.StripeSecrets.SecretHint;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Stripe sources and their signing secrets; for administrators. */
@RestController
@RequestMapping("/api/v1/stripe/sources")
@Tag(name = "Stripe", description = "Stripe accounts connected by webhook, their signing secrets and deliveries")
class StripeSourceController {

    private static final String SECRET = "whsec_[A-Za-z0-9_+/=-]{1,200}";
    private static final String SECRET_MESSAGE =
            "must be the endpoint's signing secret as the Stripe dashboard shows it, starting with whsec_";

    /** A new Stripe source: its name (which records from it carry) and the endpoint's signing secret. */
    record NewStripeSource(
            @NotBlank
            @Pattern(
                    regexp = "[a-z0-9][a-z0-9_.-]{0,62}",
                    message = "must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a"
                            + " letter or digit")
            String name,

            @NotNull @Pattern(regexp = SECRET, message = SECRET_MESSAGE)
            String signingSecret,

            @Positive Integer expectedIntervalHours,

            @Size(max = 300) String apiKey) {}

    /** A signing secret to add while Stripe rolls the endpoint's secret. */
    record NewSigningSecret(
            @NotNull @Pattern(regexp = SECRET, message = SECRET_MESSAGE)
            String signingSecret) {}

    private final StripeEndpoints endpoints;

    StripeSourceController(StripeEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @PostMapping
    @Operation(
            summary = "Connect a Stripe account",
            description = "Creates a source of kind stripe; point a Stripe webhook endpoint at the webhookPath it"
                    + " answers with. With an apiKey (secret sk_… or restricted rk_… key that may read customers,"
                    + " subscriptions and invoices) the key is checked against Stripe first (422 naming apiKey with"
                    + " Stripe's reason if refused; nothing is created), then the backfill of the account's customers,"
                    + " subscriptions and invoices starts; its progress is in backfill. 409 if the name is taken.")
    ResponseEntity<StripeEndpoint> create(@Validated @RequestBody NewStripeSource input) {
        StripeEndpoint endpoint = endpoints.create(
                input.name(),
                input.signingSecret(),
                input.expectedIntervalHours(),
                input.apiKey() == null || input.apiKey().isBlank()
                        ? null
                        : input.apiKey().strip());
        return ResponseEntity.created(URI.create("/api/v1/stripe/sources/" + endpoint.name()))
                .body(endpoint);
    }

    @GetMapping
    @Operation(summary = "The Stripe sources")
    List<StripeEndpoint> list() {
        return endpoints.all();
    }

    @GetMapping("/{name}")
    @Operation(summary = "A Stripe source, with the last characters of each signing secret")
    StripeEndpoint get(@PathVariable String name) {
        return endpoints.get(name);
    }

    @PostMapping("/{name}/backfill")
    @Operation(
            summary = "Read the Stripe account again",
            description = "Starts another backfill with the API key the source was connected with. 409 without a key"
                    + " or while one runs.")
    ResponseEntity<StripeEndpoint> backfill(@PathVariable String name) {
        return ResponseEntity.accepted().body(endpoints.backfillAgain(name));
    }

    @PostMapping("/{name}/secrets")
    @Operation(
            summary = "Add a signing secret",
            description = "While Stripe rolls an endpoint's secret it signs with the old and the new one; a delivery"
                    + " passes when it matches any secret of the source.")
    ResponseEntity<SecretHint> addSecret(@PathVariable String name, @Validated @RequestBody NewSigningSecret input) {
        SecretHint secret = endpoints.addSecret(name, input.signingSecret());
        return ResponseEntity.created(URI.create("/api/v1/stripe/sources/" + name + "/secrets/" + secret.id()))
                .body(secret);
    }

    @DeleteMapping("/{name}/secrets/{id}")
    @Operation(
            summary = "Remove a signing secret",
            description = "Once Stripe no longer signs with it. 409 for the source's only secret.")
    ResponseEntity<Void> removeSecret(@PathVariable String name, @PathVariable UUID id) {
        endpoints.removeSecret(name, id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{name}/events")
    @Operation(
            summary = "The latest events a Stripe source received",
            description = "Newest first, each with what it did: applied, superseded (a newer state of its object"
                    + " was already applied), ignored (a type Steward does not use) or rejected, with the reason.")
    List<StripeEvents.Delivery> events(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        return endpoints.latestEvents(name, new dev.steward.core.PageLimit(50, 500).of(limit));
    }
}
