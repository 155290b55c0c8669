package dev.steward.ingest.hubspot;

import dev.failsafe.RateLimiter;
import dev.steward.ingest.sync.VendorHttp;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * HubSpot's CRM API (v3 objects and search, v4 associations) as Steward's pulls call it, with a private app's token as
 * a Bearer token: which portal the token belongs to, a page of a search, and the companies of deals. Searches go
 * through a limiter of their own (HubSpot's 4 a second per token), every other request through one of the rest of the
 * private app's 100 requests in 10 seconds, so that together they never pass it; a 429 is waited out for its {@code
 * Retry-After} and a 5xx retried (see {@link VendorHttp}).
 */
@Component
class HubspotApi {

    /** The portal (HubSpot account) a token belongs to. */
    record Portal(long portalId, String uiDomain, @Nullable String accountType) {}

    /** One page of a search: its records, and where the next page starts (null: this was the last). */
    record SearchPage(List<JsonNode> results, @Nullable String after) {}

    private final VendorHttp http;
    private final HubspotProperties properties;

    HubspotApi(HubspotProperties properties, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.http = new VendorHttp(
                new VendorHttp.Settings(
                        "HubSpot",
                        "steward.hubspot",
                        properties.maxRetries(),
                        properties.backoff(),
                        properties.maxBackoff(),
                        properties.maxRetryAfter(),
                        properties.timeout()),
                json,
                clock,
                HubspotApi::message);
    }

    /** The portal the token belongs to ({@code GET /account-info/v3/details}; one request, outside a source's limit). */
    Portal portal(String token) {
        JsonNode details = http.send(HttpMethod.GET, uri("/account-info/v3/details"), headers(token), null, null, null);
        JsonNode id = details.path("portalId");
        if (!id.isIntegralNumber()) {
            throw new VendorHttp.Refused(401, "the token names no HubSpot account (GET /account-info/v3/details)");
        }
        return new Portal(
                id.asLong(),
                details.path("uiDomain").asString("app.hubspot.com"),
                details.path("accountType").isString()
                        ? details.path("accountType").asString()
                        : null);
    }

    /**
     * A page of {@code POST /crm/v3/objects/<object>/search}: the records whose {@code modified} property is at or
     * after {@code from} (epoch milliseconds; null: every record), oldest change first, with these properties, from
     * {@code after}. Counted in {@code calls}.
     */
    SearchPage search(
            UUID source,
            String token,
            String object,
            String modified,
            @Nullable Long from,
            List<String> propertyNames,
            @Nullable String after,
            VendorHttp.Calls calls) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (from != null) {
            ObjectNode filter = body.putArray("filterGroups")
                    .addObject()
                    .putArray("filters")
                    .addObject();
            filter.put("propertyName", modified);
            filter.put("operator", "GTE");
            filter.put("value", Long.toString(from));
        }
        ObjectNode sort = body.putArray("sorts").addObject();
        sort.put("propertyName", modified);
        sort.put("direction", "ASCENDING");
        ArrayNode properties = body.putArray("properties");
        propertyNames.forEach(properties::add);
        body.put("limit", HubspotPulls.PAGE);
        if (after != null) {
            body.put("after", after);
        }
        JsonNode answer = http.send(
                HttpMethod.POST,
                uri("/crm/v3/objects/" + object + "/search"),
                headers(token),
                body.toString(),
                searches(source),
                calls);
        JsonNode results = answer.path("results");
        if (!results.isArray()) {
            throw new VendorHttp.Refused(200, "HubSpot's search answered no list of results: " + excerpt(answer));
        }
        List<JsonNode> records = new ArrayList<>();
        results.forEach(records::add);
        String next = answer.path("paging").path("next").path("after").asString("");
        return new SearchPage(records, next.isBlank() ? null : next);
    }

    /**
     * The properties of an object ({@code GET /crm/v3/properties/<object>}): each one's internal name, label, type and
     * whether HubSpot defines it (else the portal's own), as a field mapping offers them.
     */
    List<JsonNode> properties(UUID source, String token, String object, VendorHttp.Calls calls) {
        JsonNode answer = http.send(
                HttpMethod.GET, uri("/crm/v3/properties/" + object), headers(token), null, others(source), calls);
        JsonNode results = answer.path("results");
        if (!results.isArray()) {
            throw new VendorHttp.Refused(200, "HubSpot answered no list of properties: " + excerpt(answer));
        }
        List<JsonNode> properties = new ArrayList<>();
        results.forEach(properties::add);
        return properties;
    }

    /**
     * The company each of these deals is associated with ({@code POST /crm/v4/associations/deals/companies/batch/read}):
     * the primary one when HubSpot labels one so, else the first; a deal of no company is left out.
     */
    Map<String, String> dealCompanies(UUID source, String token, List<String> deals, VendorHttp.Calls calls) {
        Map<String, String> companies = new HashMap<>();
        if (deals.isEmpty()) {
            return companies;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode inputs = body.putArray("inputs");
        deals.forEach(id -> inputs.addObject().put("id", id));
        JsonNode answer = http.send(
                HttpMethod.POST,
                uri("/crm/v4/associations/deals/companies/batch/read"),
                headers(token),
                body.toString(),
                others(source),
                calls);
        for (JsonNode result : answer.path("results")) {
            String deal = result.path("from").path("id").asString("");
            String chosen = null;
            for (JsonNode to : result.path("to")) {
                String company = to.path("toObjectId").asString("");
                if (company.isBlank()) {
                    continue;
                }
                if (chosen == null || primary(to)) {
                    chosen = company;
                }
                if (primary(to)) {
                    break;
                }
            }
            if (!deal.isBlank() && chosen != null) {
                companies.put(deal, chosen);
            }
        }
        return companies;
    }

    /**
     * Creates a property of companies ({@code POST /crm/v3/properties/companies}), or its group ({@code
     * POST /crm/v3/properties/companies/groups}) when {@code group}; one HubSpot has already (409) is left as it is.
     * Answers whether it was created.
     */
    boolean createProperty(UUID source, String token, ObjectNode definition, boolean group, VendorHttp.Calls calls) {
        try {
            http.send(
                    HttpMethod.POST,
                    uri("/crm/v3/properties/companies" + (group ? "/groups" : "")),
                    headers(token),
                    definition.toString(),
                    others(source),
                    calls);
            return true;
        } catch (VendorHttp.Refused e) {
            if (e.status() == 409) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Writes properties of up to 100 companies ({@code POST /crm/v3/objects/companies/batch/update}, {@code inputs}
     * of {@code id} and {@code properties}); answers HubSpot's answer, whose {@code errors} name companies it refused.
     */
    JsonNode updateCompanies(UUID source, String token, ArrayNode inputs, VendorHttp.Calls calls) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("inputs", inputs);
        return http.send(
                HttpMethod.POST,
                uri("/crm/v3/objects/companies/batch/update"),
                headers(token),
                body.toString(),
                others(source),
                calls);
    }

    private static boolean primary(JsonNode association) {
        for (JsonNode type : association.path("associationTypes")) {
            if ("Primary".equalsIgnoreCase(type.path("label").asString(""))) {
                return true;
            }
        }
        return false;
    }

    /** The source's searches: HubSpot's searches a second per token. */
    private RateLimiter<Object> searches(UUID source) {
        return http.limiter(source + ":search", properties.searchesPerSecond(), Duration.ofSeconds(1));
    }

    /** The source's other requests: what is left of the private app's 10 seconds once the searches had theirs. */
    private RateLimiter<Object> others(UUID source) {
        return http.limiter(
                source + ":other",
                properties.requestsPerTenSeconds() - properties.searchesPerSecond() * 10,
                Duration.ofSeconds(10));
    }

    private URI uri(String path) {
        return URI.create(properties.apiUrl().replaceAll("/+$", "") + path);
    }

    private static Map<String, String> headers(String token) {
        return Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    /**
     * HubSpot's error in its words: {@code {"status": "error", "message": "…", "category": "…", "correlationId": "…"}}.
     */
    private static @Nullable String message(JsonNode body) {
        String message = body.path("message").asString("");
        if (!message.isBlank()) {
            return message;
        }
        String category = body.path("category").asString("");
        return category.isBlank() ? null : category;
    }

    private static String excerpt(JsonNode body) {
        String text = body.toString();
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }
}
