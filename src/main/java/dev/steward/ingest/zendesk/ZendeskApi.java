package dev.steward.ingest.zendesk;

import dev.failsafe.RateLimiter;
import dev.steward.ingest.sync.VendorHttp;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Zendesk's REST API as Steward's pulls call it: who a set of credentials signs in as, and any GET, within Zendesk's
 * documented rate limits (a smooth limiter per source and kind of endpoint: never more than the limit in any minute),
 * waiting out a 429 for its {@code Retry-After}, and retrying a 5xx or a request that got no answer with exponential
 * backoff and jitter, a bounded number of times. The address is {@code https://<subdomain>.zendesk.com}, or {@code
 * steward.zendesk.api-url} for every source (tests point it at a local server answering as Zendesk does).
 */
@Component
class ZendeskApi {

    /** How Steward signs in to one Zendesk account: an agent's email and API token, or an OAuth access token. */
    record Credentials(String subdomain, @Nullable String email, String secret, boolean oauth) {

        String authorization() {
            if (oauth) {
                return "Bearer " + secret;
            }
            String basic = email + "/token:" + secret;
            return "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The limits a request counts against: the incremental exports' own, or the account's overall one. */
    enum Budget {
        exports,
        calls
    }

    /** The person the credentials sign in as; {@code id} is null for Zendesk's anonymous user. */
    record Me(@Nullable Long id, String name, @Nullable String email, String role) {}

    private final VendorHttp http;
    private final ZendeskProperties properties;

    ZendeskApi(ZendeskProperties properties, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.http = new VendorHttp(
                new VendorHttp.Settings(
                        "Zendesk",
                        "steward.zendesk",
                        properties.maxRetries(),
                        properties.backoff(),
                        properties.maxBackoff(),
                        properties.maxRetryAfter(),
                        properties.timeout()),
                json,
                clock,
                ZendeskApi::message);
    }

    /** Who the credentials sign in as (one request, not counted against a source's limits). */
    Me me(Credentials credentials) {
        JsonNode user = get(credentials, "/api/v2/users/me.json", null, null).path("user");
        return new Me(
                user.path("id").isIntegralNumber() ? user.path("id").asLong() : null,
                user.path("name").asString(""),
                user.path("email").isString() ? user.path("email").asString() : null,
                user.path("role").asString(""));
    }

    /** A GET within the source's limits for this kind of endpoint; each attempt is counted in {@code calls}. */
    JsonNode get(UUID source, Credentials credentials, Budget budget, String pathAndQuery, VendorHttp.Calls calls) {
        RateLimiter<Object> limiter = http.limiter(
                source + "/" + budget,
                budget == Budget.exports ? properties.exportsPerMinute() : properties.callsPerMinute());
        return get(credentials, pathAndQuery, limiter, calls);
    }

    private JsonNode get(
            Credentials credentials,
            String pathAndQuery,
            @Nullable RateLimiter<Object> limiter,
            VendorHttp.@Nullable Calls calls) {
        return http.send(
                HttpMethod.GET,
                URI.create(baseUrl(credentials) + pathAndQuery),
                Map.of(HttpHeaders.AUTHORIZATION, credentials.authorization()),
                null,
                limiter,
                calls);
    }

    private String baseUrl(Credentials credentials) {
        return properties.apiUrl() != null
                ? properties.apiUrl().replaceAll("/+$", "")
                : "https://" + credentials.subdomain() + ".zendesk.com";
    }

    /** Zendesk's error in its words: {@code {"error": "…", "description": "…"}} or {@code {"error": {"title", "message"}}}. */
    private static @Nullable String message(JsonNode body) {
        JsonNode error = body.path("error");
        if (error.isString()) {
            String description = body.path("description").asString("");
            return description.isBlank() ? error.asString() : error.asString() + ": " + description;
        }
        return error.path("message").asString(error.path("title").asString(""));
    }
}
