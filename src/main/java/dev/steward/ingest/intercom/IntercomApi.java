package dev.steward.ingest.intercom;

import dev.failsafe.RateLimiter;
import dev.steward.ingest.sync.VendorHttp;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Intercom's REST API as Steward's pulls call it: who an access token belongs to, and any GET or search (POST) within
 * the source's limit, with the {@code Intercom-Version} Steward reads, waiting out a 429 and retrying a 5xx (see {@link
 * VendorHttp}). The address is the workspace's region's ({@code https://api.intercom.io}, {@code
 * https://api.eu.intercom.io}, {@code https://api.au.intercom.io}), or {@code steward.intercom.api-url} for every source
 * (tests point it at a local server answering as Intercom does).
 */
@Component
class IntercomApi {

    /** Where a workspace's data is hosted, and so the API's address. */
    enum Region {
        us("api.intercom.io"),
        eu("api.eu.intercom.io"),
        au("api.au.intercom.io");

        private final String host;

        Region(String host) {
            this.host = host;
        }

        String host() {
            return host;
        }
    }

    /** How Steward signs in to one Intercom workspace: an access token (of a private app, or OAuth), sent as Bearer. */
    record Credentials(Region region, String token) {}

    /** The teammate the token acts as, and the workspace (Intercom's app) it opens. */
    record Me(
            String id,
            String name,
            @Nullable String email,
            @Nullable String workspace) {}

    private final VendorHttp http;
    private final IntercomProperties properties;

    IntercomApi(IntercomProperties properties, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.http = new VendorHttp(
                new VendorHttp.Settings(
                        "Intercom",
                        "steward.intercom",
                        properties.maxRetries(),
                        properties.backoff(),
                        properties.maxBackoff(),
                        properties.maxRetryAfter(),
                        properties.timeout()),
                json,
                clock,
                IntercomApi::message);
    }

    /** Who the token acts as ({@code GET /me}; one request, not counted against a source's limit). */
    Me me(Credentials credentials) {
        JsonNode me = send(credentials, HttpMethod.GET, "/me", null, null, null);
        JsonNode id = me.path("id");
        if (!"admin".equals(me.path("type").asString("")) || id.isMissingNode() || id.isNull()) {
            throw new VendorHttp.Refused(401, "the token does not act as a teammate (GET /me answered no admin)");
        }
        return new Me(
                id.asString(),
                me.path("name").asString(""),
                me.path("email").isString() ? me.path("email").asString() : null,
                me.path("app").path("name").isString()
                        ? me.path("app").path("name").asString()
                        : null);
    }

    /** A GET within the source's limit; each attempt is counted in {@code calls}. */
    JsonNode get(UUID source, Credentials credentials, String pathAndQuery, VendorHttp.Calls calls) {
        return send(credentials, HttpMethod.GET, pathAndQuery, null, limiter(source), calls);
    }

    /** A search (a POST of a JSON query) within the source's limit; each attempt is counted in {@code calls}. */
    JsonNode search(UUID source, Credentials credentials, String path, String query, VendorHttp.Calls calls) {
        return send(credentials, HttpMethod.POST, path, query, limiter(source), calls);
    }

    private RateLimiter<Object> limiter(UUID source) {
        return http.limiter(source.toString(), properties.callsPerMinute());
    }

    private JsonNode send(
            Credentials credentials,
            HttpMethod method,
            String pathAndQuery,
            @Nullable String body,
            @Nullable RateLimiter<Object> limiter,
            VendorHttp.@Nullable Calls calls) {
        return http.send(
                method,
                URI.create(baseUrl(credentials) + pathAndQuery),
                Map.of(
                        HttpHeaders.AUTHORIZATION,
                        "Bearer " + credentials.token(),
                        "Intercom-Version",
                        properties.version()),
                body,
                limiter,
                calls);
    }

    private String baseUrl(Credentials credentials) {
        return properties.apiUrl() != null
                ? properties.apiUrl().replaceAll("/+$", "")
                : "https://" + credentials.region().host();
    }

    /** Intercom's error in its words: {@code {"type": "error.list", "errors": [{"code": "…", "message": "…"}]}}. */
    private static @Nullable String message(JsonNode body) {
        JsonNode first = body.path("errors").path(0);
        String message = first.path("message").asString("");
        return message.isBlank() ? first.path("code").asString("") : message;
    }
}
