package dev.steward.ingest.salesforce;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.steward.ingest.salesforce.SalesforceStore.Credentials;
import dev.steward.ingest.salesforce.SalesforceStore.Settings;
import dev.steward.ingest.sync.VendorHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Salesforce's OAuth 2 token endpoint and REST API as Steward calls them: an access token for a connection (from its
 * refresh token, or from a JWT signed with its private key), SOQL queries ({@code query}, {@code queryAll}) page by
 * page over {@code nextRecordsUrl}, the org's limits, and sObject Collections updates. A request answered 401 (the
 * session expired or was revoked) gets a new access token and is sent once more; a 429 or 503 is waited out for its
 * {@code Retry-After} and a 5xx retried with backoff (see {@link VendorHttp}). Every answer's {@code Sforce-Limit-Info}
 * ({@code api-usage=used/allowance}) is kept as the org's latest usage.
 */
@Component
class SalesforceApi {

    /** An access token and the org's own address, as the token endpoint answers them. */
    record Session(
            String accessToken,
            String instanceUrl,
            @Nullable String refreshToken,
            @Nullable String organizationId) {}

    /** One page of a query: its records and where the next page is (null: this was the last). */
    record Page(List<JsonNode> records, @Nullable String next) {}

    /** The org's daily API requests: used of the allowance. */
    record Usage(long used, long allowance) {}

    /** {@code api-usage=18/5000} (not {@code per-app-api-usage}) in a {@code Sforce-Limit-Info} header. */
    private static final Pattern API_USAGE = Pattern.compile("(?:^|[;,\\s])api-usage=(\\d+)/(\\d+)");

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /**
     * A connected org as one pull calls it: its settings and credentials, the latest usage Salesforce reported.
     * Access tokens are kept per source between pulls, and replaced when Salesforce no longer takes one.
     */
    final class Org {
        private final UUID source;
        private final Settings settings;
        private final Credentials credentials;
        private volatile @Nullable Usage usage;

        private Org(UUID source, Settings settings, Credentials credentials) {
            this.source = source;
            this.settings = settings;
            this.credentials = credentials;
        }

        @Nullable
        Usage usage() {
            return usage;
        }
    }

    private final VendorHttp http;
    private final SalesforceProperties properties;
    private final Clock clock;
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();

    SalesforceApi(SalesforceProperties properties, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.http = new VendorHttp(
                new VendorHttp.Settings(
                        "Salesforce",
                        "steward.salesforce",
                        properties.maxRetries(),
                        properties.backoff(),
                        properties.maxBackoff(),
                        properties.maxRetryAfter(),
                        properties.timeout()),
                json,
                clock,
                SalesforceApi::message);
    }

    Org org(UUID source, Settings settings, Credentials credentials) {
        return new Org(source, settings, credentials);
    }

    /**
     * An access token from the connection's credentials: its refresh token ({@code grant_type=refresh_token}) or a
     * JWT naming its consumer key and user, signed with its private key ({@code grant_type=}{@value #JWT_BEARER}).
     */
    Session authorize(Settings settings, Credentials credentials) {
        Map<String, String> form = new LinkedHashMap<>();
        switch (settings.flow()) {
            case web_server -> {
                form.put("grant_type", "refresh_token");
                form.put("refresh_token", require(credentials.refreshToken(), "refresh token"));
                form.put("client_id", settings.clientId());
                form.put("client_secret", require(credentials.clientSecret(), "client secret"));
            }
            case jwt_bearer -> {
                form.put("grant_type", JWT_BEARER);
                form.put("assertion", assertion(settings, require(credentials.privateKey(), "private key")));
            }
        }
        return session(token(settings.loginUrl(), form), settings.instanceUrl());
    }

    /** The tokens Salesforce gives for an authorization code ({@code grant_type=authorization_code}). */
    Session exchangeCode(Settings settings, String clientSecret, String code, String redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("client_id", settings.clientId());
        form.put("client_secret", clientSecret);
        form.put("redirect_uri", redirectUri);
        return session(token(settings.loginUrl(), form), settings.instanceUrl());
    }

    /** Where the administrator gives consent: Salesforce's authorization endpoint for this connection. */
    static String authorizeUrl(Settings settings, String redirectUri, String state) {
        return settings.loginUrl() + "/services/oauth2/authorize?response_type=code&client_id="
                + encode(settings.clientId()) + "&redirect_uri=" + encode(redirectUri)
                + "&scope=" + encode("api refresh_token") + "&state=" + encode(state);
    }

    /**
     * Tries a session: the org's limits ({@code GET /services/data/<version>/limits}); answers its daily API requests.
     */
    Usage check(Session session) {
        VendorHttp.Response answer = http.exchange(
                HttpMethod.GET,
                URI.create(session.instanceUrl() + "/services/data/" + properties.apiVersion() + "/limits"),
                bearer(session),
                null,
                null,
                null);
        JsonNode daily = answer.body().path("DailyApiRequests");
        Usage reported = usage(answer.headers());
        if (daily.path("Max").isIntegralNumber()) {
            long max = daily.path("Max").asLong();
            return new Usage(max - daily.path("Remaining").asLong(max), max);
        }
        if (reported == null) {
            throw new VendorHttp.Refused(200, "Salesforce's limits name no daily API requests");
        }
        return reported;
    }

    /** Forgets the access token of a source (its credentials changed): the next request asks for a new one. */
    void forget(UUID source) {
        sessions.remove(source);
    }

    /** The first page of a SOQL query ({@code query}; {@code queryAll} when {@code all}: deleted records too). */
    Page query(Org org, String soql, boolean all, VendorHttp.Calls calls) {
        return page(
                org,
                "/services/data/" + properties.apiVersion() + (all ? "/queryAll" : "/query") + "?q=" + encode(soql),
                calls);
    }

    /**
     * What an object's fields are ({@code GET /services/data/<version>/sobjects/<object>/describe}): its {@code fields},
     * each with its API name, label, type and whether it is a custom field.
     */
    JsonNode describe(Org org, String object, VendorHttp.Calls calls) {
        return send(
                org,
                HttpMethod.GET,
                "/services/data/" + properties.apiVersion() + "/sobjects/" + object + "/describe",
                null,
                calls);
    }

    /** The page a previous page's {@code nextRecordsUrl} names. */
    Page next(Org org, String nextRecordsUrl, VendorHttp.Calls calls) {
        if (!nextRecordsUrl.startsWith("/services/data/")) {
            throw new VendorHttp.Refused(200, "Salesforce named a next page outside its API: " + nextRecordsUrl);
        }
        return page(org, nextRecordsUrl, calls);
    }

    /**
     * Updates up to 200 records ({@code PATCH /services/data/<version>/composite/sobjects}, {@code allOrNone} false);
     * answers Salesforce's result of each, in the order sent ({@code id}, {@code success}, {@code errors}).
     */
    JsonNode update(Org org, ArrayNode records, VendorHttp.Calls calls) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("allOrNone", false);
        body.set("records", records);
        return send(
                org,
                HttpMethod.PATCH,
                "/services/data/" + properties.apiVersion() + "/composite/sobjects",
                body,
                calls);
    }

    private Page page(Org org, String path, VendorHttp.Calls calls) {
        JsonNode answer = send(org, HttpMethod.GET, path, null, calls);
        JsonNode records = answer.path("records");
        if (!records.isArray()) {
            throw new VendorHttp.Refused(200, "Salesforce's query answered no list of records: " + excerpt(answer));
        }
        List<JsonNode> found = new ArrayList<>();
        records.forEach(found::add);
        String next = answer.path("done").asBoolean(true)
                ? null
                : answer.path("nextRecordsUrl").asString("");
        return new Page(found, next == null || next.isBlank() ? null : next);
    }

    /** The address of a resource of the REST API's version: {@code /services/data/v62.0} and {@code resource}. */
    String path(String resource) {
        return "/services/data/" + properties.apiVersion() + resource;
    }

    /**
     * A GET whose answer is no JSON (a Bulk API 2.0 job's results in CSV), handed to {@code reader} as it arrives with
     * its headers; a 401 gets a new session and one more try, and the answer's {@code Sforce-Limit-Info} is kept.
     */
    <T> T read(Org org, String path, String accept, VendorHttp.Calls calls, VendorHttp.BodyReader<T> reader) {
        Session session = sessions.computeIfAbsent(org.source, s -> authorize(org.settings, org.credentials));
        try {
            return read(org, session, path, accept, calls, reader);
        } catch (VendorHttp.Refused e) {
            if (e.status() != 401) {
                throw e;
            }
            Session fresh = authorize(org.settings, org.credentials);
            sessions.put(org.source, fresh);
            return read(org, fresh, path, accept, calls, reader);
        }
    }

    private <T> T read(
            Org org,
            Session session,
            String path,
            String accept,
            VendorHttp.Calls calls,
            VendorHttp.BodyReader<T> reader) {
        Map<String, String> headers = new LinkedHashMap<>(bearer(session));
        headers.put(HttpHeaders.ACCEPT, accept);
        return http.stream(URI.create(session.instanceUrl() + path), headers, null, calls, (answered, body) -> {
            Usage reported = usage(answered);
            if (reported != null) {
                org.usage = reported;
            }
            return reader.read(answered, body);
        });
    }

    /** Sends a request with the org's session; a 401 gets a new session and one more try. */
    JsonNode send(Org org, HttpMethod method, String path, @Nullable JsonNode body, VendorHttp.Calls calls) {
        Session session = sessions.computeIfAbsent(org.source, s -> authorize(org.settings, org.credentials));
        try {
            return exchange(org, session, method, path, body, calls);
        } catch (VendorHttp.Refused e) {
            if (e.status() != 401) {
                throw e;
            }
            Session fresh = authorize(org.settings, org.credentials);
            sessions.put(org.source, fresh);
            return exchange(org, fresh, method, path, body, calls);
        }
    }

    private JsonNode exchange(
            Org org, Session session, HttpMethod method, String path, @Nullable JsonNode body, VendorHttp.Calls calls) {
        VendorHttp.Response answer = http.exchange(
                method,
                URI.create(session.instanceUrl() + path),
                bearer(session),
                body == null ? null : body.toString(),
                null,
                calls);
        Usage reported = usage(answer.headers());
        if (reported != null) {
            org.usage = reported;
        }
        return answer.body();
    }

    private JsonNode token(String loginUrl, Map<String, String> form) {
        return http.sendForm(URI.create(loginUrl + "/services/oauth2/token"), form, null);
    }

    private static Session session(JsonNode token, String instanceUrl) {
        String accessToken = token.path("access_token").asString("");
        if (accessToken.isBlank()) {
            throw new VendorHttp.Refused(200, "Salesforce's token endpoint answered no access token");
        }
        String instance = token.path("instance_url").asString("");
        String id = token.path("id").asString("");
        Matcher org = Pattern.compile("/id/([a-zA-Z0-9]{15,18})/").matcher(id);
        String refresh = token.path("refresh_token").asString("");
        return new Session(
                accessToken,
                instance.isBlank() ? instanceUrl : instance.replaceAll("/+$", ""),
                refresh.isBlank() ? null : refresh,
                org.find() ? org.group(1) : null);
    }

    /** A JWT for the bearer flow: issued by the consumer key for the user, to the login server, for three minutes. */
    String assertion(Settings settings, String privateKeyPem) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.clientId())
                .subject(require(settings.username(), "username"))
                .audience(audience(settings.loginUrl()))
                .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(3))))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        try {
            jwt.sign(new RSASSASigner(privateKey(privateKeyPem)));
        } catch (JOSEException e) {
            throw new VendorHttp.Refused(0, "the private key cannot sign a JWT: " + e.getMessage());
        }
        return jwt.serialize();
    }

    /**
     * Whom a JWT is for: Salesforce's login server ({@code https://login.salesforce.com}, or {@code
     * https://test.salesforce.com} for a sandbox) even when the token is asked of a My Domain; an Experience Cloud
     * site's own address otherwise.
     */
    static String audience(String loginUrl) {
        String host = String.valueOf(URI.create(loginUrl).getHost()).toLowerCase(java.util.Locale.ROOT);
        if (host.equals("test.salesforce.com") || host.endsWith(".sandbox.my.salesforce.com")) {
            return "https://test.salesforce.com";
        }
        if (host.equals("login.salesforce.com") || host.endsWith(".my.salesforce.com")) {
            return "https://login.salesforce.com";
        }
        return loginUrl;
    }

    /**
     * An RSA private key in PEM, PKCS #8 ({@code -----BEGIN PRIVATE KEY-----}); refused with the reason otherwise.
     */
    static PrivateKey privateKey(String pem) {
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("is a PKCS #1 key (BEGIN RSA PRIVATE KEY): convert it to PKCS #8 with"
                    + " openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "is not an RSA private key in PEM (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----)");
        }
    }

    /** The org's daily API requests a {@code Sforce-Limit-Info} header reports; null when it reports none. */
    static @Nullable Usage usage(HttpHeaders headers) {
        for (String header : headers.getOrEmpty("Sforce-Limit-Info")) {
            Matcher m = API_USAGE.matcher(header);
            if (m.find()) {
                return new Usage(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            }
        }
        return null;
    }

    private static Map<String, String> bearer(Session session) {
        return Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + session.accessToken());
    }

    private static String require(@Nullable String value, String what) {
        if (value == null || value.isBlank()) {
            throw new VendorHttp.Refused(0, "the connection has no " + what);
        }
        return value;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Salesforce's error in its words: the REST API's {@code [{"message": "…", "errorCode": "…"}]}, or the token
     * endpoint's {@code {"error": "…", "error_description": "…"}}.
     */
    static @Nullable String message(JsonNode body) {
        JsonNode first = body.isArray() ? body.path(0) : body;
        String message = first.path("message").asString("");
        String code = first.path("errorCode").asString("");
        if (!message.isBlank()) {
            return code.isBlank() ? message : message + " (" + code + ")";
        }
        String description = first.path("error_description").asString("");
        String error = first.path("error").asString("");
        if (!description.isBlank()) {
            return error.isBlank() ? description : description + " (" + error + ")";
        }
        return error.isBlank() ? null : error;
    }

    private static String excerpt(JsonNode body) {
        String text = body.toString();
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }
}
