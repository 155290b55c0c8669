package dev.steward.ingest.export;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Steward pulls Amplitude's and Mixpanel's exports ({@code steward.event-exports.*}). Mixpanel documents 60 raw
 * export queries an hour and 3 a second per project; Amplitude documents no number, only its 429, so Steward asks for
 * one day a minute. Amplitude makes an hour of data available for export two hours after it ends.
 *
 * @param amplitudeUrl where every Amplitude source's requests go instead of its region's {@code https://amplitude.com}
 *     (tests)
 * @param mixpanelUrl where every Mixpanel source's requests go instead of its region's {@code https://data.mixpanel.com}
 *     (tests)
 * @param amplitudeCallsPerHour export requests an hour, per Amplitude source
 * @param mixpanelCallsPerHour export requests an hour, per Mixpanel source (Mixpanel's limit is 60)
 * @param settle how long after a day ends (UTC) it is taken as complete, and pulled
 * @param batch events stored at a time: what a pull holds in memory, whatever the size of a day
 * @param maxRetries how many times a request that failed on the vendor's side (5xx, no answer) or was told to wait
 *     (429) is sent again before the pull fails
 * @param backoff the wait before the first retry (or after a 429 that names no wait); doubled each time, ±25% jitter
 * @param maxBackoff the longest wait between two retries after a 5xx or no answer
 * @param maxRetryAfter the longest wait a 429 asks for that is waited out; a longer one fails the pull (the next
 *     resumes)
 * @param timeout how long the vendor may take to start answering a request
 */
@ConfigurationProperties("steward.event-exports")
record EventExportProperties(
        @Nullable String amplitudeUrl,
        @Nullable String mixpanelUrl,
        Integer amplitudeCallsPerHour,
        Integer mixpanelCallsPerHour,
        Duration settle,
        Integer batch,
        Integer maxRetries,
        Duration backoff,
        Duration maxBackoff,
        Duration maxRetryAfter,
        Duration timeout) {

    EventExportProperties {
        amplitudeUrl = amplitudeUrl == null || amplitudeUrl.isBlank() ? null : amplitudeUrl.strip();
        mixpanelUrl = mixpanelUrl == null || mixpanelUrl.isBlank() ? null : mixpanelUrl.strip();
        amplitudeCallsPerHour = amplitudeCallsPerHour == null ? 60 : amplitudeCallsPerHour;
        mixpanelCallsPerHour = mixpanelCallsPerHour == null ? 60 : mixpanelCallsPerHour;
        settle = settle == null ? Duration.ofHours(3) : settle;
        batch = batch == null ? 1000 : batch;
        maxRetries = maxRetries == null ? 5 : maxRetries;
        backoff = backoff == null ? Duration.ofSeconds(5) : backoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(5) : maxBackoff;
        maxRetryAfter = maxRetryAfter == null ? Duration.ofMinutes(30) : maxRetryAfter;
        timeout = timeout == null ? Duration.ofMinutes(10) : timeout;
        if (amplitudeCallsPerHour < 1 || mixpanelCallsPerHour < 1 || maxRetries < 0) {
            throw new IllegalArgumentException(
                    "steward.event-exports.*-calls-per-hour must be at least 1, max-retries" + " at least 0");
        }
        if (batch < 1 || batch > 2000) {
            throw new IllegalArgumentException("steward.event-exports.batch must be from 1 to 2000, got " + batch);
        }
        if (settle.isNegative()) {
            throw new IllegalArgumentException("steward.event-exports.settle must not be negative");
        }
    }
}
