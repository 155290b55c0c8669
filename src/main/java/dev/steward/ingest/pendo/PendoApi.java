package dev.steward.ingest.pendo;

import dev.failsafe.RateLimiter;
import dev.steward.ingest.sync.VendorHttp;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Pendo's v1 API as Steward's pulls call it, with an integration key in {@code x-pendo-integration-key}: the account
 * metadata schema (the key's test), the features, pages and track types an administrator maps, and aggregations ({@code
 * POST /api/v1/aggregation}) within the source's limit, waiting out a 429 and retrying a 5xx (see {@link VendorHttp}).
 * The address is the subscription's data environment's ({@code https://app.pendo.io}, {@code app.eu.pendo.io}, {@code
 * us1.app.pendo.io}, {@code app.jp.pendo.io}), or {@code steward.pendo.api-url} for every source (tests).
 */
@Component
class PendoApi {

    /** Where a subscription's data is hosted, and so the API's address (Pendo's "data environments"). */
    enum Region {
        us("app.pendo.io"),
        eu("app.eu.pendo.io"),
        us1("us1.app.pendo.io"),
        jp("app.jp.pendo.io");

        private final String host;

        Region(String host) {
            this.host = host;
        }

        String host() {
            return host;
        }
    }

    /** How Steward reaches one Pendo subscription: its data environment and an integration key. */
    record Credentials(Region region, String key) {}

    /** A feature, page or track type of the subscription, as the mapping form lists it. */
    record Item(String id, String name) {}

    static final String HEADER = "x-pendo-integration-key";

    private final VendorHttp http;
    private final PendoProperties properties;

    PendoApi(PendoProperties properties, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.http = new VendorHttp(
                new VendorHttp.Settings(
                        "Pendo",
                        "steward.pendo",
                        properties.maxRetries(),
                        properties.backoff(),
                        properties.maxBackoff(),
                        properties.maxRetryAfter(),
                        properties.timeout()),
                json,
                clock,
                PendoApi::message);
    }

    /**
     * Tries the key: the account metadata schema ({@code GET /api/v1/metadata/schema/account}, one request, not
     * counted against a source's limit); refused unless Pendo answers it.
     */
    void check(Credentials credentials) {
        JsonNode schema = send(credentials, HttpMethod.GET, "/api/v1/metadata/schema/account", null, null, null);
        if (!schema.isObject()) {
            throw new VendorHttp.Refused(200, "the account metadata schema is not a JSON object");
        }
    }

    /** The subscription's features ({@code GET /api/v1/feature}), pages ({@code /page}) or track types ({@code /tracktype}). */
    List<Item> items(UUID source, Credentials credentials, String kind) {
        JsonNode list = send(credentials, HttpMethod.GET, "/api/v1/" + kind, null, limiter(source), null);
        List<Item> items = new ArrayList<>();
        for (JsonNode item : list) {
            String id = item.path("id").asString("");
            if (!id.isBlank()) {
                String name = item.path("name").asString("");
                items.add(new Item(id, name.isBlank() ? id : name));
            }
        }
        return items;
    }

    /** Runs an aggregation within the source's limit; answers its {@code results}, each attempt counted in calls. */
    List<JsonNode> aggregate(UUID source, Credentials credentials, String body, VendorHttp.Calls calls) {
        JsonNode answer = send(credentials, HttpMethod.POST, "/api/v1/aggregation", body, limiter(source), calls);
        JsonNode results = answer.get("results");
        if (results == null || !results.isArray()) {
            throw new VendorHttp.Refused(200, "Pendo's answer to an aggregation has no results");
        }
        List<JsonNode> rows = new ArrayList<>(results.size());
        results.forEach(rows::add);
        return rows;
    }

    private RateLimiter<Object> limiter(UUID source) {
        return http.limiter(source.toString(), properties.callsPerMinute());
    }

    private JsonNode send(
            Credentials credentials,
            HttpMethod method,
            String path,
            @Nullable String body,
            @Nullable RateLimiter<Object> limiter,
            VendorHttp.@Nullable Calls calls) {
        return http.send(
                method,
                URI.create(baseUrl(credentials) + path),
                Map.of(HEADER, credentials.key()),
                body,
                limiter,
                calls);
    }

    private String baseUrl(Credentials credentials) {
        return properties.apiUrl() != null
                ? properties.apiUrl().replaceAll("/+$", "")
                : "https://" + credentials.region().host();
    }

    /** Pendo's error in its words, where its body is JSON: {@code {"message": "…"}} (most refusals are plain text). */
    private static @Nullable String message(JsonNode body) {
        String message = body.path("message").asString("");
        return message.isBlank() ? body.path("error").asString("") : message;
    }
}
