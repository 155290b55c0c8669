package dev.steward.ingest.hubspot;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Steward calls HubSpot ({@code steward.hubspot.*}). HubSpot allows a private app 100 requests in any 10 seconds,
 * and its CRM search 4 requests a second per token; a pull spends those limits between its searches and its other
 * requests so that together they never pass either.
 *
 * @param apiUrl where every source's requests go instead of {@code https://api.hubapi.com} (tests)
 * @param requestsPerTenSeconds the requests HubSpot allows a private app in any 10 seconds (100)
 * @param searchesPerSecond the searches HubSpot allows a token a second (4)
 * @param maxResults the most results HubSpot's search answers to one query (10,000); past it a pull asks again from the
 *     last modification time it read
 * @param maxRetries how many times a request that failed on HubSpot's side (5xx, no answer) or was told to wait (429)
 *     is sent again before the pull fails
 * @param backoff the wait before the first retry after a 5xx or no answer (or a 429 that names no wait); doubled each
 *     time, with ±25% jitter
 * @param maxBackoff the longest wait between two retries after a 5xx or no answer
 * @param maxRetryAfter the longest wait a 429's {@code Retry-After} asks for that is waited out; a longer one fails the
 *     pull (the next resumes)
 * @param timeout how long one request may take
 * @param authorizeUrl HubSpot's consent page for OAuth apps ({@code https://app.hubspot.com/oauth/authorize})
 * @param authorizationTime how long an administrator has to give consent in HubSpot (OAuth apps)
 */
@ConfigurationProperties("steward.hubspot")
record HubspotProperties(
        @Nullable String apiUrl,
        Integer requestsPerTenSeconds,
        Integer searchesPerSecond,
        Integer maxResults,
        Integer maxRetries,
        Duration backoff,
        Duration maxBackoff,
        Duration maxRetryAfter,
        Duration timeout,
        @Nullable String authorizeUrl,
        Duration authorizationTime) {

    HubspotProperties {
        apiUrl = apiUrl == null || apiUrl.isBlank() ? "https://api.hubapi.com" : apiUrl.strip();
        requestsPerTenSeconds = requestsPerTenSeconds == null ? 100 : requestsPerTenSeconds;
        searchesPerSecond = searchesPerSecond == null ? 4 : searchesPerSecond;
        maxResults = maxResults == null ? 10_000 : maxResults;
        maxRetries = maxRetries == null ? 5 : maxRetries;
        backoff = backoff == null ? Duration.ofSeconds(2) : backoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(2) : maxBackoff;
        maxRetryAfter = maxRetryAfter == null ? Duration.ofMinutes(10) : maxRetryAfter;
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        authorizeUrl = authorizeUrl == null || authorizeUrl.isBlank()
                ? "https://app.hubspot.com/oauth/authorize"
                : authorizeUrl.strip();
        authorizationTime = authorizationTime == null ? Duration.ofHours(1) : authorizationTime;
        if (searchesPerSecond < 1
                || requestsPerTenSeconds <= searchesPerSecond * 10
                || maxResults < 100
                || maxRetries < 0) {
            throw new IllegalArgumentException("steward.hubspot.searches-per-second must be at least 1 and"
                    + " requests-per-ten-seconds above ten times it, max-results at least 100, max-retries at least 0");
        }
    }
}
