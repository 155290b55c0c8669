package dev.steward.ingest.freshdesk;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Steward calls Freshdesk ({@code steward.freshdesk.*}). Freshdesk limits the calls a minute per account by plan
 * (each source names its plan); Steward takes a share of its plan's limit, so that the account's other integrations
 * keep theirs.
 *
 * @param apiUrl where every source's requests go instead of {@code https://<domain>.freshdesk.com} (tests)
 * @param shareOfPlan the share of the plan's calls a minute a source's pull takes (0.5: half)
 * @param maxPages the most pages Freshdesk lists of tickets from one {@code updated_since} (300); past it a pull goes on
 *     from the latest {@code updated_at} it read
 * @param maxRetries how many times a request that failed on Freshdesk's side (5xx, no answer) or was told to wait (429)
 *     is sent again before the pull fails
 * @param backoff the wait before the first retry after a 5xx or no answer (or a 429 that names no wait); doubled each
 *     time, with ±25% jitter
 * @param maxBackoff the longest wait between two retries after a 5xx or no answer
 * @param maxRetryAfter the longest wait a 429's {@code Retry-After} asks for that is waited out; a longer one fails the
 *     pull (the next resumes)
 * @param timeout how long one request may take
 */
@ConfigurationProperties("steward.freshdesk")
record FreshdeskProperties(
        @Nullable String apiUrl,
        Double shareOfPlan,
        Integer maxPages,
        Integer maxRetries,
        Duration backoff,
        Duration maxBackoff,
        Duration maxRetryAfter,
        Duration timeout) {

    FreshdeskProperties {
        apiUrl = apiUrl == null || apiUrl.isBlank() ? null : apiUrl.strip();
        shareOfPlan = shareOfPlan == null ? 0.5 : shareOfPlan;
        maxPages = maxPages == null ? 300 : maxPages;
        maxRetries = maxRetries == null ? 5 : maxRetries;
        backoff = backoff == null ? Duration.ofSeconds(2) : backoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(2) : maxBackoff;
        maxRetryAfter = maxRetryAfter == null ? Duration.ofMinutes(10) : maxRetryAfter;
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        if (shareOfPlan <= 0 || shareOfPlan > 1 || maxPages < 1 || maxRetries < 0) {
            throw new IllegalArgumentException("steward.freshdesk.share-of-plan must be above 0 and at most 1,"
                    + " max-pages at least 1, max-retries at least 0");
        }
    }
}
