package dev.steward.ingest.intercom;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Steward calls Intercom ({@code steward.intercom.*}). Intercom documents 10,000 requests a minute per app and
 * 25,000 per workspace, spread over 10-second windows; Steward takes a tenth of the app's by default, so that the
 * workspace's other integrations keep theirs.
 *
 * @param apiUrl where every source's requests go instead of its region's {@code https://api.intercom.io} (tests)
 * @param version the {@code Intercom-Version} asked for: the shapes Steward reads are those of this version
 * @param callsPerMinute requests a minute, per source
 * @param maxRetries how many times a request that failed on Intercom's side (5xx, no answer) or was told to wait (429)
 *     is sent again before the pull fails
 * @param backoff the wait before the first retry after a 5xx or no answer (or a 429 that names no wait); doubled each
 *     time, with ±25% jitter
 * @param maxBackoff the longest wait between two retries after a 5xx or no answer
 * @param maxRetryAfter the longest wait a 429 asks for ({@code Retry-After}, or until {@code X-RateLimit-Reset}) that is
 *     waited out; a longer one fails the pull (the next resumes)
 * @param timeout how long one request may take
 */
@ConfigurationProperties("steward.intercom")
record IntercomProperties(
        @Nullable String apiUrl,
        String version,
        Integer callsPerMinute,
        Integer maxRetries,
        Duration backoff,
        Duration maxBackoff,
        Duration maxRetryAfter,
        Duration timeout) {

    IntercomProperties {
        apiUrl = apiUrl == null || apiUrl.isBlank() ? null : apiUrl.strip();
        version = version == null || version.isBlank() ? "2.11" : version.strip();
        callsPerMinute = callsPerMinute == null ? 1000 : callsPerMinute;
        maxRetries = maxRetries == null ? 5 : maxRetries;
        backoff = backoff == null ? Duration.ofSeconds(2) : backoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(2) : maxBackoff;
        maxRetryAfter = maxRetryAfter == null ? Duration.ofMinutes(10) : maxRetryAfter;
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        if (callsPerMinute < 1 || maxRetries < 0) {
            throw new IllegalArgumentException(
                    "steward.intercom.calls-per-minute must be at least 1, max-retries at least 0");
        }
    }
}
