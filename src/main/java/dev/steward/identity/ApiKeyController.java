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
@Tag(name = "API keys", description = "Keys that act as the user who created them, limited to reading or not")
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
            description = "Body: {\"name\": \"CRM sync\", \"scope\": \"read\" | \"read_write\"}. The answer holds the"
                    + " secret, shown this once; send it as 'Authorization: Bearer stw_…'.")
    ResponseEntity<CreatedApiKey> create(@RequestBody NewApiKey request, Authentication authentication) {
        CreatedApiKey created = keys.create(authentication.getName(), request);
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
