package dev.steward.identity;

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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/api-keys")
@Tag(
        name = "API keys",
        description = "Keys that act as the user who created them, limited by area, expiring and rotated")
class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    @GetMapping
    @Operation(summary = "List your API keys", description = "Revoked keys included; secrets never.")
    List<ApiKey> list(Authentication authentication) {
        return keys.list(authentication.getName());
    }

    @PostMapping
    @Operation(
            summary = "Create an API key",
            description = "Body: {\"name\": \"CRM sync\", \"areas\": {\"accounts\": \"write\", \"usage\": \"read\"},"
                    + " \"expiresInDays\": 90}. Areas: accounts, activity, usage, configuration, each read or write; an"
                    + " area not named is refused. Instead of areas, \"scope\": \"read\" | \"read_write\" gives every area."
                    + " expiresInDays 1 to 730, 90 by default. The answer holds the secret, shown this once; send it as"
                    + " 'Authorization: Bearer stw_…'. The key acts as you and never above your role.")
    ResponseEntity<CreatedApiKey> create(@RequestBody NewApiKey request, Authentication authentication) {
        CreatedApiKey created = keys.create(authentication.getName(), request);
        return ResponseEntity.created(
                        URI.create("/api/v1/api-keys/" + created.key().id()))
                .body(created);
    }

    /** A rotation's options: how long the old key keeps working beside the new one. */
    record Rotation(Integer graceHours) {}

    @PostMapping("/{id}/rotation")
    @Operation(
            summary = "Rotate an API key",
            description =
                    "Body (optional): {\"graceHours\": 24}. Creates a new key with the same name, areas and lifetime"
                            + " (its secret in the answer, shown this once); the old key keeps working for the grace period (0"
                            + " to 720 hours, 24 by default; 0 ends it at once), or until it expires if that is sooner. 409 for a"
                            + " key already rotated, revoked or expired.")
    ResponseEntity<CreatedApiKey> rotate(
            @PathVariable UUID id, @RequestBody(required = false) Rotation rotation, Authentication authentication) {
        CreatedApiKey created =
                keys.rotate(authentication.getName(), id, rotation == null ? null : rotation.graceHours());
        return ResponseEntity.created(
                        URI.create("/api/v1/api-keys/" + created.key().id()))
                .body(created);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke an API key", description = "Administrators may revoke anyone's keys.")
    ResponseEntity<Void> revoke(@PathVariable UUID id, Authentication authentication) {
        keys.revoke(authentication.getName(), AccessRules.isAdministrator(authentication), id);
        return ResponseEntity.noContent().build();
    }
}
