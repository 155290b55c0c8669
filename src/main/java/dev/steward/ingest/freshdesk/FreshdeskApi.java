package dev.steward.ingest.freshdesk;

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
 * Freshdesk's REST API (v2) as Steward's pulls call it: whom an API key belongs to, and any GET within the share of
 * the source's plan's limit, waiting out a 429 for its {@code Retry-After} and retrying a 5xx (see {@link
 * VendorHttp}). The address is the helpdesk's, {@code https://<domain>.freshdesk.com/api/v2}, or {@code
 * steward.freshdesk.api-url} for every source (tests point it at a local server answering as Freshdesk does).
 */
@Component
class FreshdeskApi {

    /**
     * A Freshdesk plan: the calls a minute it allows an account, and the lists of tickets and of contacts a minute
     * among them (Freshdesk caps those endpoints apart; a trial's caps are not documented: Growth's are taken).
     */
    enum Plan {
        trial(50, 20),
        growth(200, 20),
        pro(400, 100),
        enterprise(700, 200);

        private final int callsPerMinute;
        private final int listsPerMinute;

        Plan(int callsPerMinute, int listsPerMinute) {
            this.callsPerMinute = callsPerMinute;
            this.listsPerMinute = listsPerMinute;
        }

        int callsPerMinute() {
            return callsPerMinute;
        }

        int listsPerMinute() {
            return listsPerMinute;
        }
    }

    /** How Steward signs in to one helpdesk: its subdomain ({@code acme} of acme.freshdesk.com) and an API key. */
    record Credentials(String domain, String apiKey) {}

    /** The agent the API key belongs to. */
    record Me(long id, String name, @Nullable String email) {}

    /**
     * What a page of a list costs against the plan: most lists one call; the lists of contacts and of tickets are also
     * capped apart, and a page of tickets with their stats costs three calls (each {@code include} two more).
     */
    enum Listing {
        other(1, false),
        contacts(1, true),
        ticketsWithStats(3, true);

        private final int credits;
        private final boolean capped;

        Listing(int credits, boolean capped) {
            this.credits = credits;
            this.capped = capped;
        }
    }

    private final VendorHttp http;
    private final FreshdeskProperties properties;

    FreshdeskApi(FreshdeskProperties properties, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.http = new VendorHttp(
                new VendorHttp.Settings(
                        "Freshdesk",
                        "steward.freshdesk",
                        properties.maxRetries(),
                        properties.backoff(),
                        properties.maxBackoff(),
                        properties.maxRetryAfter(),
                        properties.timeout()),
                json,
                clock,
                FreshdeskApi::message);
    }

    /** The agent the API key belongs to ({@code GET /api/v2/agents/me}; one request, outside a source's limit). */
    Me me(Credentials credentials) {
        JsonNode me = http.send(HttpMethod.GET, uri(credentials, "/agents/me"), headers(credentials), null, null, null);
        JsonNode id = me.path("id");
        if (!id.isIntegralNumber()) {
            throw new VendorHttp.Refused(401, "the API key is not an agent's (GET /agents/me answered no agent)");
        }
        JsonNode contact = me.path("contact");
        String name = contact.path("name").asString("");
        return new Me(
                id.asLong(),
                name,
                contact.path("email").isString() ? contact.path("email").asString() : null);
    }

    /**
     * A GET of one page of a list within the source's limit (the plan's share for this listing); each attempt is
     * counted in {@code calls}. Answers the page and its {@code Link} header.
     */
    VendorHttp.Response get(
            UUID source,
            Plan plan,
            Credentials credentials,
            String pathAndQuery,
            Listing listing,
            VendorHttp.Calls calls) {
        return http.exchange(
                HttpMethod.GET,
                uri(credentials, pathAndQuery),
                headers(credentials),
                null,
                limiter(source, plan, listing),
                calls);
    }

    /**
     * The limiter of the source's pages of one listing: the plan's share of calls a minute, divided by what a page
     * costs, and at most the share of the plan's cap on the listing. Feeds are pulled one after the other, so each
     * listing may take the whole share.
     */
    private RateLimiter<Object> limiter(UUID source, Plan plan, Listing listing) {
        double share = properties.shareOfPlan();
        double perMinute = plan.callsPerMinute() * share / listing.credits;
        if (listing.capped) {
            perMinute = Math.min(perMinute, plan.listsPerMinute() * share);
        }
        return http.limiter(source + ":" + plan + ":" + listing, (int) Math.max(1, Math.floor(perMinute)));
    }

    private URI uri(Credentials credentials, String pathAndQuery) {
        String base = properties.apiUrl() != null
                ? properties.apiUrl().replaceAll("/+$", "")
                : "https://" + credentials.domain() + ".freshdesk.com";
        return URI.create(base + "/api/v2" + pathAndQuery);
    }

    /** Basic authentication with the API key as the user and {@code X} as the password, as Freshdesk documents. */
    private static Map<String, String> headers(Credentials credentials) {
        String basic =
                Base64.getEncoder().encodeToString((credentials.apiKey() + ":X").getBytes(StandardCharsets.UTF_8));
        return Map.of(HttpHeaders.AUTHORIZATION, "Basic " + basic);
    }

    /**
     * Freshdesk's error in its words: {@code {"code": "invalid_credentials", "message": "…"}}, or a validation's
     * {@code {"description": "Validation failed", "errors": [{"field", "message", "code"}]}}.
     */
    private static @Nullable String message(JsonNode body) {
        String message = body.path("message").asString("");
        if (!message.isBlank()) {
            return message;
        }
        JsonNode first = body.path("errors").path(0);
        if (first.isObject()) {
            String field = first.path("field").asString("");
            String text = first.path("message").asString(first.path("code").asString(""));
            return (field.isBlank() ? "" : field + ": ") + text;
        }
        String description = body.path("description").asString("");
        return description.isBlank() ? body.path("code").asString("") : description;
    }
}
