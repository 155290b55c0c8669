package dev.steward.ingest;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Segment-compatible tracking API ({@code steward.ingest.*}).
 *
 * @param processInterval how long the processor waits after a run before it looks for new events again
 * @param retentionDays how long raw events are kept (their daily rollups stay)
 * @param retentionCron when raw events past their retention are dropped (cron, UTC; every hour at :20 by default)
 * @param eventTime how far before and after the time it is received an event may have happened
 * @param partitions how many day partitions of raw events one request may add, and may exist in all
 */
@ConfigurationProperties("steward.ingest")
record IngestProperties(
        Duration processInterval,
        Integer retentionDays,
        String retentionCron,
        EventTime eventTime,
        Partitions partitions) {

    /**
     * The window of accepted event times around the receive time, after correcting the sender's clock.
     *
     * @param past how old an event may be (historical imports older than this are refused)
     * @param future how far ahead of the receive time an event may be
     */
    record EventTime(Duration past, Duration future) {

        EventTime {
            past = past == null ? Duration.ofDays(730) : past;
            future = future == null ? Duration.ofDays(1) : future;
            if (past.isNegative() || future.isNegative()) {
                throw new IllegalArgumentException("steward.ingest.event-time.past and .future must not be negative");
            }
        }
    }

    /**
     * @param newPerRequest the most day partitions one request may create; events of further new days are refused
     * @param max the most day partitions there may be; events of new days beyond that are refused
     */
    record Partitions(Integer newPerRequest, Integer max) {

        Partitions {
            newPerRequest = newPerRequest == null ? 31 : newPerRequest;
            max = max == null ? 1000 : max;
            if (newPerRequest < 1 || max < 1) {
                throw new IllegalArgumentException("steward.ingest.partitions.* must be at least 1");
            }
        }
    }

    IngestProperties {
        processInterval = processInterval == null ? Duration.ofSeconds(1) : processInterval;
        retentionDays = retentionDays == null ? 90 : retentionDays;
        retentionCron = retentionCron == null || retentionCron.isBlank() ? "0 20 * * * *" : retentionCron;
        eventTime = eventTime == null ? new EventTime(null, null) : eventTime;
        partitions = partitions == null ? new Partitions(null, null) : partitions;
        if (retentionDays < 1) {
            throw new IllegalArgumentException(
                    "steward.ingest.retention-days must be at least 1, got " + retentionDays);
        }
        if (partitions.max() < retentionDays + 2) {
            throw new IllegalArgumentException("steward.ingest.partitions.max (" + partitions.max()
                    + ") must exceed steward.ingest.retention-days (" + retentionDays + ") by at least 2");
        }
    }
}
