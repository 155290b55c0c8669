package dev.steward.ingest.hubspot;

import dev.failsafe.RateLimiter;
import dev.steward.ingest.sync.VendorHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * a Bearer token: which portal the token belongs to, a page of a list or of a search, and the companies of deals.
 * Every request of a source goes through one limiter (the private app's 100 requests in 10 seconds), searches also
 * through one of their own (HubSpot's 4 a second per token); a 429 is waited out for its {@code Retry-After} and a 5xx
 * retried (see {@link VendorHttp}).
 */
@Component
class HubspotApi {

    /** The portal (HubSpot account) a token belongs to. */
    record Portal(long portalId, String uiDomain, @Nullable String accountType) {}

    /** One page of a search: its records, and where the next page starts (null: this was the last). */
    record SearchPage(List<JsonNode> results, @Nullable String after) {}

    /** An OAuth app's access token, until when it holds, and the refresh token that renews it. */
    record Session(String accessToken, Instant expiresAt, String refreshToken) {}

    /** An OAuth app's connection: its client and the refresh token Steward keeps. */
    record App(String clientId, String clientSecret, String refreshToken) {}

    /** An access token is renewed when it has less than this left. */
    static final long EARLY_SECONDS = 60;

    private final VendorHttp http;
    private final HubspotProperties properties;
    private final Clock clock;
    private final Map<UUID, App> apps = new ConcurrentHashMap<>();
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();

    HubspotApi(HubspotProperties properties, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.clock = clock;
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
        try {
            searches(source).acquirePermit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VendorHttp.Refused(0, "the pull was interrupted (Steward is stopping)");
        }
        JsonNode answer = send(
                source, token, HttpMethod.POST, uri("/crm/v3/objects/" + object + "/search"), body.toString(), calls);
        return page(answer, "search");
    }

    private static SearchPage page(JsonNode answer, String what) {
        JsonNode results = answer.path("results");
        if (!results.isArray()) {
            throw new VendorHttp.Refused(200, "HubSpot's " + what + " answered no list of results: " + excerpt(answer));
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
        JsonNode answer = send(source, token, HttpMethod.GET, uri("/crm/v3/properties/" + object), null, calls);
        JsonNode results = answer.path("results");
        if (!results.isArray()) {
            throw new VendorHttp.Refused(200, "HubSpot answered no list of properties: " + excerpt(answer));
        }
        List<JsonNode> properties = new ArrayList<>();
        results.forEach(properties::add);
        return properties;
    }

    /**
     * A page of {@code GET /crm/v3/objects/<object>} (HubSpot's list of every record, in id order, not bound by the
     * search's limit per second): these properties, with each record's associated companies when {@code
     * withCompanies}, from {@code after}. Counted in {@code calls}.
     */
    SearchPage list(
            UUID source,
            String token,
            String object,
            List<String> propertyNames,
            boolean withCompanies,
            @Nullable String after,
            VendorHttp.Calls calls) {
        StringBuilder query = new StringBuilder("?limit=")
                .append(HubspotPulls.PAGE)
                .append("&archived=false&properties=")
                .append(URLEncoder.encode(String.join(",", propertyNames), StandardCharsets.UTF_8));
        if (withCompanies) {
            query.append("&associations=companies");
        }
        if (after != null) {
            query.append("&after=").append(URLEncoder.encode(after, StandardCharsets.UTF_8));
        }
        JsonNode answer = send(source, token, HttpMethod.GET, uri("/crm/v3/objects/" + object + query), null, calls);
        return page(answer, "list");
    }

    /**
     * The company of each record of a list page that names one among its associations ({@code associations.companies
     * .results}): the primary one ({@code deal_to_company}) when there is one, else the first.
     */
    static Map<String, String> associatedCompanies(List<JsonNode> records) {
        Map<String, String> companies = new HashMap<>();
        for (JsonNode record : records) {
            String chosen = null;
            for (JsonNode to : record.path("associations").path("companies").path("results")) {
                String company = to.path("id").asString("");
                if (company.isBlank()) {
                    continue;
                }
                boolean primary = to.path("type").asString("").endsWith("_to_company");
                if (chosen == null || primary) {
                    chosen = company;
                }
                if (primary) {
                    break;
                }
            }
            String id = record.path("id").asString("");
            if (!id.isBlank() && chosen != null) {
                companies.put(id, chosen);
            }
        }
        return companies;
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
        JsonNode answer = send(
                source,
                token,
                HttpMethod.POST,
                uri("/crm/v4/associations/deals/companies/batch/read"),
                body.toString(),
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
            send(
                    source,
                    token,
                    HttpMethod.POST,
                    uri("/crm/v3/properties/companies" + (group ? "/groups" : "")),
                    definition.toString(),
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
        return send(
                source, token, HttpMethod.POST, uri("/crm/v3/objects/companies/batch/update"), body.toString(), calls);
    }

    /** Where the administrator gives consent: HubSpot's authorization page for this app, these scopes and state. */
    String authorizeUrl(String clientId, String redirectUri, String scopes, String state) {
        return properties.authorizeUrl() + "?client_id=" + encode(clientId) + "&redirect_uri=" + encode(redirectUri)
                + "&scope=" + encode(scopes) + "&state=" + encode(state);
    }

    /**
     * The tokens HubSpot gives for an authorization code ({@code POST /oauth/v1/token}, {@code
     * grant_type=authorization_code}).
     */
    Session exchangeCode(String clientId, String clientSecret, String redirectUri, String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("redirect_uri", redirectUri);
        form.put("code", code);
        return session(http.sendForm(uri("/oauth/v1/token"), form, null), null);
    }

    /** A new access token for an app's refresh token ({@code POST /oauth/v1/token}, {@code grant_type=refresh_token}). */
    Session refresh(App app) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", app.clientId());
        form.put("client_secret", app.clientSecret());
        form.put("refresh_token", app.refreshToken());
        return session(http.sendForm(uri("/oauth/v1/token"), form, null), app.refreshToken());
    }

    /**
     * The source is an OAuth app's: its requests carry the app's access token (the one given, if any), refreshed
     * before it expires and once when HubSpot answers 401, instead of a private app's token.
     */
    void use(UUID source, App app, @Nullable Session session) {
        App before = apps.put(source, app);
        if (session != null) {
            sessions.put(source, session);
        } else if (before != null && !before.equals(app)) {
            sessions.remove(source);
        }
    }

    /** The source's credentials changed: the next request starts afresh. */
    void forget(UUID source) {
        apps.remove(source);
        sessions.remove(source);
    }

    /**
     * Sends a request of the source within its allowance: with the private app's token, or with the OAuth app's
     * access token, asked again and sent once more when HubSpot answers 401 (the token expired or was revoked).
     */
    private JsonNode send(
            UUID source, String token, HttpMethod method, URI uri, @Nullable String body, VendorHttp.Calls calls) {
        App app = apps.get(source);
        if (app == null) {
            return http.send(method, uri, headers(token), body, allowance(source), calls);
        }
        Session session = session(source, app, null);
        try {
            return http.send(method, uri, headers(session.accessToken()), body, allowance(source), calls);
        } catch (VendorHttp.Refused e) {
            if (e.status() != 401) {
                throw e;
            }
            Session fresh = session(source, app, session);
            return http.send(method, uri, headers(fresh.accessToken()), body, allowance(source), calls);
        }
    }

    /**
     * The source's access token: the one held while it has more than {@value #EARLY_SECONDS} seconds left and is not
     * {@code refused}, else a new one (one refresh however many requests ask at once).
     */
    private synchronized Session session(UUID source, App app, @Nullable Session refused) {
        Session held = sessions.get(source);
        boolean fresh = held != null
                && !held.equals(refused)
                && held.expiresAt().isAfter(clock.instant().plusSeconds(EARLY_SECONDS));
        if (fresh) {
            return held;
        }
        Session renewed = refresh(app);
        sessions.put(source, renewed);
        return renewed;
    }

    private Session session(JsonNode answer, @Nullable String refreshToken) {
        String access = answer.path("access_token").asString("");
        if (access.isBlank()) {
            throw new VendorHttp.Refused(200, "HubSpot's token endpoint answered no access token");
        }
        String refresh = answer.path("refresh_token").asString("");
        if (refresh.isBlank() && refreshToken == null) {
            throw new VendorHttp.Refused(200, "HubSpot's token endpoint answered no refresh token");
        }
        long seconds = answer.path("expires_in").asLong(1800);
        return new Session(access, clock.instant().plusSeconds(seconds), refresh.isBlank() ? refreshToken : refresh);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
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

    /**
     * Every request of the source, searches included: the private app's requests in 10 seconds less {@value #MARGIN},
     * evenly spaced. The limiter gives one permit in each of its intervals, anywhere in it, so 10 seconds can hold two
     * more than its rate; the other two allow for requests reaching HubSpot a little earlier or later than sent.
     */
    private RateLimiter<Object> allowance(UUID source) {
        return http.limiter(source + ":all", properties.requestsPerTenSeconds() - MARGIN, Duration.ofSeconds(10));
    }

    /** Requests in 10 seconds left unused, so that HubSpot never counts more than its limit in any 10 seconds. */
    static final int MARGIN = 4;

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
