package dev.steward.ingest.zendesk;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RateLimiter;
import dev.failsafe.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
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

    /** Zendesk refused a request, or could not be reached: the sentence to show, with Zendesk's own words. */
    static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status Zendesk answered with; 0 when it could not be reached. */
        int status() {
            return status;
        }
    }

    /** The person the credentials sign in as; {@code id} is null for Zendesk's anonymous user. */
    record Me(@Nullable Long id, String name, @Nullable String email, String role) {}

    /** The requests one run sent, retries and refused ones included: what counts against Zendesk's limits. */
    static final class Calls {
        private final AtomicLong count = new AtomicLong();

        long count() {
            return count.get();
        }
    }

    /** What Zendesk answered to one attempt. */
    private record Answer(int status, @Nullable Duration retryAfter, String body) {}

    private final RestClient http;
    private final ObjectMapper json;
    private final ZendeskProperties properties;
    private final RetryPolicy<Answer> waitAsTold;
    private final RetryPolicy<Answer> backOff;
    private final Map<String, RateLimiter<Object>> limiters = new ConcurrentHashMap<>();

    ZendeskApi(ZendeskProperties properties, ObjectMapper json) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(properties.timeout());
        this.http = RestClient.builder().requestFactory(requests).build();
        this.json = json;
        this.properties = properties;
        this.waitAsTold = RetryPolicy.<Answer>builder()
                .handleIf((answer, failure) -> failure == null && answer.status() == 429)
                .abortIf((answer, failure) -> failure == null && answer.status() == 429 && tooLong(answer))
                .withDelayFn(context -> {
                    Answer last = context.getLastResult();
                    return last != null && last.retryAfter() != null ? last.retryAfter() : properties.backoff();
                })
                .withMaxRetries(properties.maxRetries())
                .build();
        this.backOff = RetryPolicy.<Answer>builder()
                .handleIf((answer, failure) ->
                        failure != null ? failure instanceof RestClientException : answer.status() >= 500)
                .withBackoff(properties.backoff(), max(properties.backoff(), properties.maxBackoff()))
                .withJitter(0.25)
                .withMaxRetries(properties.maxRetries())
                .build();
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
    JsonNode get(UUID source, Credentials credentials, Budget budget, String pathAndQuery, Calls calls) {
        RateLimiter<Object> limiter = limiters.computeIfAbsent(
                source + "/" + budget,
                key -> RateLimiter.smoothBuilder(
                                budget == Budget.exports ? properties.exportsPerMinute() : properties.callsPerMinute(),
                                Duration.ofMinutes(1))
                        .build());
        return get(credentials, pathAndQuery, limiter, calls);
    }

    private JsonNode get(
            Credentials credentials,
            String pathAndQuery,
            @Nullable RateLimiter<Object> limiter,
            @Nullable Calls calls) {
        URI uri = URI.create(baseUrl(credentials) + pathAndQuery);
        Answer answer;
        try {
            answer = Failsafe.with(waitAsTold, backOff).get(() -> {
                if (limiter != null) {
                    limiter.acquirePermit();
                }
                if (calls != null) {
                    calls.count.incrementAndGet();
                }
                return http.get()
                        .uri(uri)
                        .header(HttpHeaders.AUTHORIZATION, credentials.authorization())
                        .header(HttpHeaders.ACCEPT, "application/json")
                        .exchange(
                                (request, response) -> new Answer(
                                        response.getStatusCode().value(),
                                        retryAfter(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)),
                                        StreamUtils.copyToString(response.getBody(), StandardCharsets.UTF_8)),
                                true);
            });
        } catch (RestClientException e) {
            throw new Refused(
                    0,
                    "Zendesk could not be reached at " + uri.getHost() + " (" + (properties.maxRetries() + 1)
                            + " tries): " + e.getMostSpecificCause().getMessage());
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new Refused(0, "the pull was interrupted (Steward is stopping)");
            }
            throw new Refused(0, "Zendesk could not be reached: " + e.getCause());
        }
        if (answer.status() == 429) {
            throw new Refused(
                    429,
                    tooLong(answer)
                            ? "Zendesk asked to wait " + answer.retryAfter().toSeconds() + " s before the next request,"
                                    + " longer than steward.zendesk.max-retry-after ("
                                    + properties.maxRetryAfter().toSeconds() + " s)"
                            : "Zendesk kept answering 429 Too Many Requests (" + (properties.maxRetries() + 1)
                                    + " tries)");
        }
        if (answer.status() >= 300) {
            throw new Refused(answer.status(), message(answer));
        }
        try {
            return json.readTree(answer.body().isEmpty() ? "{}" : answer.body());
        } catch (JacksonException e) {
            throw new Refused(answer.status(), "Zendesk's answer was not JSON: " + e.getOriginalMessage());
        }
    }

    private String baseUrl(Credentials credentials) {
        return properties.apiUrl() != null
                ? properties.apiUrl().replaceAll("/+$", "")
                : "https://" + credentials.subdomain() + ".zendesk.com";
    }

    private boolean tooLong(Answer answer) {
        return answer.retryAfter() != null && answer.retryAfter().compareTo(properties.maxRetryAfter()) > 0;
    }

    /** Zendesk's error in its words: {@code {"error": "…", "description": "…"}} or {@code {"error": {"title", "message"}}}. */
    private String message(Answer answer) {
        try {
            JsonNode error = json.readTree(answer.body()).path("error");
            if (error.isString()) {
                String description =
                        json.readTree(answer.body()).path("description").asString("");
                return description.isBlank() ? error.asString() : error.asString() + ": " + description;
            }
            String message = error.path("message").asString(error.path("title").asString(""));
            if (!message.isBlank()) {
                return message;
            }
        } catch (JacksonException ignored) {
            // not Zendesk's error object (an HTML page from a proxy, a closed account): say the status
        }
        return "Zendesk answered " + answer.status();
    }

    private static @Nullable Duration retryAfter(@Nullable String header) {
        if (header == null || !header.strip().matches("\\d{1,9}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(header.strip()));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
