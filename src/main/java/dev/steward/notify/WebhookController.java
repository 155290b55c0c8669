package dev.steward.notify;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/webhooks")
@Tag(
        name = "Webhooks",
        description = "Endpoints that receive Steward's events, signed (see docs/notify.md); administrators only")
class WebhookController {

    private static final String MANAGE = "manage webhooks";

    private final Webhooks webhooks;

    WebhookController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @GetMapping
    @Operation(summary = "List webhook endpoints", description = "Secrets never; their last four characters.")
    List<WebhookEndpoint> list(Authentication authentication) {
        Administrators.require(authentication, MANAGE);
        return webhooks.list();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One webhook endpoint")
    WebhookEndpoint get(@PathVariable UUID id, Authentication authentication) {
        Administrators.require(authentication, MANAGE);
        return webhooks.get(id);
    }

    @PostMapping
    @Operation(
            summary = "Register a webhook endpoint",
            description = "Body: {\"url\": \"https://…\", \"kinds\": [\"cta.escalated\", \"cta.*\" or \"*\"],"
                    + " \"description\": \"…\", \"secret\": \"(optional, 16–200 characters)\"}. The answer holds the"
                    + " signing secret, shown this once. 422 naming each field at fault.")
    ResponseEntity<CreatedWebhook> create(@RequestBody WebhookRequest request, Authentication authentication) {
        Administrators.require(authentication, MANAGE);
        CreatedWebhook created = webhooks.create(request);
        return ResponseEntity.created(
                        URI.create("/api/v1/webhooks/" + created.endpoint().id()))
                .body(created);
    }

    @PutMapping("/{id}")
    @Operation(
            summary = "Change a webhook endpoint",
            description = "The same body as registering, with \"enabled\"; the secret stays unless one is given.")
    WebhookEndpoint update(@PathVariable UUID id, @RequestBody WebhookRequest request, Authentication authentication) {
        Administrators.require(authentication, MANAGE);
        return webhooks.update(id, request);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove a webhook endpoint", description = "With whatever was still to be delivered to it.")
    ResponseEntity<Void> delete(@PathVariable UUID id, Authentication authentication) {
        Administrators.require(authentication, MANAGE);
        webhooks.delete(id);
        return ResponseEntity.noContent().build();
    }
}
