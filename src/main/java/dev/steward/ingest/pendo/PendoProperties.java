package dev.steward.ingest.pendo;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Steward calls Pendo ({@code steward.pendo.*}). Pendo throttles each subscription's API with a leaky bucket and
 * answers 429 past it; Steward keeps well under it by default, so that the subscription's other integrations keep
 * theirs.
 *
 * @param apiUrl where every source's requests go instead of its region's {@code https://app.pendo.io} (tests)
 * @param callsPerMinute requests a minute, per source
 * @param daysPerRequest days of events one aggregation asks for (its {@code timeSeries} count): a day at a time keeps
 *     each answer small however large the subscription
 * @param maxRetries how many times a request that failed on Pendo's side (5xx, no answer) or was told to wait (429) is
 *     sent again before the pull fails
 * @param backoff the wait before the first retry; doubled each time, with ±25% jitter
 * @param maxBackoff the longest wait between two retries after a 5xx or no answer
 * @param maxRetryAfter the longest wait a 429 asks for ({@code Retry-After}) that is waited out; a longer one fails the
 *     pull (the next resumes)
 * @param timeout how long one request may take (aggregations over a busy day take a while)
 */
@ConfigurationProperties("steward.pendo")
record PendoProperties(
        @Nullable String apiUrl,
        Integer callsPerMinute,
        Integer daysPerRequest,
        Integer maxRetries,
        Duration backoff,
        Duration maxBackoff,
        Duration maxRetryAfter,
        Duration timeout) {

    PendoProperties {
        apiUrl = apiUrl == null || apiUrl.isBlank() ? null : apiUrl.strip();
        callsPerMinute = callsPerMinute == null ? 120 : callsPerMinute;
        daysPerRequest = daysPerRequest == null ? 1 : daysPerRequest;
        maxRetries = maxRetries == null ? 5 : maxRetries;
        backoff = backoff == null ? Duration.ofSeconds(2) : backoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(2) : maxBackoff;
        maxRetryAfter = maxRetryAfter == null ? Duration.ofMinutes(10) : maxRetryAfter;
        timeout = timeout == null ? Duration.ofMinutes(2) : timeout;
        if (callsPerMinute < 1 || maxRetries < 0 || daysPerRequest < 1 || daysPerRequest > 31) {
            throw new IllegalArgumentException("steward.pendo.calls-per-minute must be at least 1, max-retries at least"
                    + " 0, days-per-request from 1 to 31");
        }
    }
}
