package dev.steward.identity;

import dev.steward.core.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The configuration as one bundle through the API: export, preview, apply, and promotion from a sandbox. */
@RestController
@RequestMapping("/api/v1/configuration")
@Tag(
        name = "Configuration bundle",
        description = "Every configuration document as one YAML bundle, applied all or nothing")
class ConfigurationController {

    static final String YAML = "application/yaml";

    private final ConfigurationBundles bundles;
    private final UserDirectory users;
    private final Sandboxes sandboxes;

    ConfigurationController(ConfigurationBundles bundles, UserDirectory users, Sandboxes sandboxes) {
        this.bundles = bundles;
        this.users = users;
        this.sandboxes = sandboxes;
    }

    @GetMapping(path = "/bundle", produces = YAML)
    @Operation(
            summary = "Export the configuration bundle",
            description = "Every published scorecard, segment, the journey, the assignment rules and every playbook, as"
                    + " one YAML document, each exactly as saved.")
    ResponseEntity<String> export() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(YAML + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"steward-configuration.yaml\"")
                .body(bundles.export());
    }

    @PostMapping(
            path = "/bundle/preview",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE, "application/x-yaml"})
    @Operation(
            summary = "Preview a bundle",
            description = "What applying the bundle would do to each document (added, changed with its diff, unchanged,"
                    + " or kept: here but not in the bundle) and the problems that would refuse it. Changes nothing.")
    ConfigurationBundles.Outcome preview(@RequestBody String bundle, Authentication authentication) {
        return bundles.preview(bundle, users.signedIn(authentication));
    }

    @PostMapping(
            path = "/bundle",
            consumes = {YAML, MediaType.TEXT_PLAIN_VALUE, "application/x-yaml"})
    @Operation(
            summary = "Apply a bundle",
            description = "Publishes every document of the bundle that differs from what is in force, kind by kind, all"
                    + " or nothing: any document that cannot be published refuses the whole (422, each problem's"
                    + " field naming <kind>.<name>), and nothing changes.")
    ConfigurationBundles.Outcome apply(@RequestBody String bundle, Authentication authentication) {
        return bundles.apply(bundle, users.signedIn(authentication));
    }

    /** Where to pull a bundle from: another Steward's address and an API key of it (configuration, read). */
    record Promotion(
            @Nullable String url,
            @Nullable String apiKey,
            @Nullable Boolean apply) {}

    @PostMapping("/promotion")
    @Operation(
            summary = "Promote from a sandbox",
            description =
                    "Body: {\"url\": \"https://sandbox.example.com\", \"apiKey\": \"stw_…\", \"apply\": false}."
                            + " Pulls the sandbox's bundle over its API and previews it here, or applies it when apply is true.")
    ConfigurationBundles.Outcome promote(@RequestBody Promotion promotion, Authentication authentication) {
        String bundle = sandboxes.bundle(promotion.url(), promotion.apiKey());
        User author = users.signedIn(authentication);
        return Boolean.TRUE.equals(promotion.apply()) ? bundles.apply(bundle, author) : bundles.preview(bundle, author);
    }

    /** Pulls a bundle from another Steward's API. */
    @Component
    static class Sandboxes {

        private final HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        String bundle(@Nullable String url, @Nullable String apiKey) {
            if (url == null || url.isBlank()) {
                throw new InvalidInputException("url", "is required: the sandbox Steward's address");
            }
            URI base;
            try {
                base = URI.create(url.strip().replaceAll("/+$", ""));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("url", "is not an address: " + e.getMessage());
            }
            String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || base.getHost() == null) {
                throw new InvalidInputException("url", "must be an http(s) address, e.g. https://sandbox.example.com");
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new InvalidInputException("apiKey", "is required: an API key of the sandbox");
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/configuration/bundle"))
                    .timeout(Duration.ofSeconds(30))
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey.strip())
                    .header(HttpHeaders.ACCEPT, YAML)
                    .GET()
                    .build();
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (java.io.IOException e) {
                throw new InvalidInputException("url", "could not be reached: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InvalidInputException("url", "the request was interrupted");
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new InvalidInputException(
                        "apiKey",
                        "the sandbox refused it (" + response.statusCode() + "): it must be an ADMIN's key with"
                                + " configuration access");
            }
            if (response.statusCode() != 200) {
                throw new InvalidInputException(
                        "url", "the sandbox answered " + response.statusCode() + " for its bundle");
            }
            if (response.body().length > ConfigurationBundles.MAXIMUM_BYTES) {
                throw new InvalidInputException(
                        "url",
                        "the sandbox's bundle has " + response.body().length + " bytes; at most "
                                + ConfigurationBundles.MAXIMUM_BYTES + " are read");
            }
            return new String(response.body(), StandardCharsets.UTF_8);
        }
    }
}
