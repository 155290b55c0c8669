package dev.steward.ingest.zendesk;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Steward calls Zendesk ({@code steward.zendesk.*}). The limits default to what Zendesk documents, kept below:
 * 10 requests a minute to the incremental exports, and 200 a minute in all on the smallest plan (Team), of which
 * Steward takes half so that the account's other integrations keep theirs.
 *
 * @param apiUrl where every source's requests go instead of {@code https://<subdomain>.zendesk.com} (tests)
 * @param exportsPerMinute requests a minute to the incremental export endpoints, per source
 * @param callsPerMinute requests a minute to every other endpoint (users/me, satisfaction ratings), per source
 * @param maxRetries how many times a request that failed on Zendesk's side (5xx, no answer) or was told to wait (429)
 *     is sent again before the pull fails
 * @param backoff the wait before the first retry after a 5xx or no answer; doubled each time, with ±25% jitter
 * @param maxBackoff the longest wait between two retries after a 5xx or no answer
 * @param maxRetryAfter the longest {@code Retry-After} waited out; a longer one fails the pull (the next resumes)
 * @param timeout how long one request may take
 */
@ConfigurationProperties("steward.zendesk")
record ZendeskProperties(
        @Nullable String apiUrl,
        Integer exportsPerMinute,
        Integer callsPerMinute,
        Integer maxRetries,
        Duration backoff,
        Duration maxBackoff,
        Duration maxRetryAfter,
        Duration timeout) {

    ZendeskProperties {
        apiUrl = apiUrl == null || apiUrl.isBlank() ? null : apiUrl.strip();
        exportsPerMinute = exportsPerMinute == null ? 10 : exportsPerMinute;
        callsPerMinute = callsPerMinute == null ? 100 : callsPerMinute;
        maxRetries = maxRetries == null ? 5 : maxRetries;
        backoff = backoff == null ? Duration.ofSeconds(2) : backoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(2) : maxBackoff;
        maxRetryAfter = maxRetryAfter == null ? Duration.ofMinutes(10) : maxRetryAfter;
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        if (exportsPerMinute < 1 || callsPerMinute < 1 || maxRetries < 0) {
            throw new IllegalArgumentException(
                    "steward.zendesk.exports-per-minute and calls-per-minute must be at least 1, max-retries at least 0");
        }
    }
}
