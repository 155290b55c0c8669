package dev.steward.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes raw Segment events older than {@code steward.ingest.retention-days} (90 by default) by dropping their day
 * partitions, once they are applied, and forgets their messageIds. Day partitions later than the accepted window
 * reaches ({@code steward.ingest.event-time.future}) hold only events stored before that window existed; they are
 * dropped too once applied. The daily rollups and held events stay. Run every hour by {@link SegmentJobs}.
 */
@Component
class SegmentRetention {

    private final SegmentEvents events;
    private final Clock clock;
    private final int retentionDays;
    private final Duration future;
    private final TransactionTemplate transactions;

    SegmentRetention(
            SegmentEvents events,
            Clock clock,
            IngestProperties properties,
            PlatformTransactionManager transactionManager) {
        this.events = events;
        this.clock = clock;
        this.retentionDays = properties.retentionDays();
        this.future = properties.eventTime().future();
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Drops the partitions of days before the retention period, and of days after the latest an event may now fall
     * on, whose events are all applied; returns how many.
     */
    int removeExpired() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate oldestKept = today.minusDays(retentionDays);
        LocalDate latestKept =
                clock.instant().plus(future).atOffset(ZoneOffset.UTC).toLocalDate();
        int dropped = 0;
        for (LocalDate day : events.existingPartitions()) {
            if (!day.isBefore(oldestKept) && !day.isAfter(latestKept)) {
                continue;
            }
            Boolean done = transactions.execute(status -> {
                // Not while the processor may be reading the day's events.
                events.lockProcessing();
                if (events.unprocessed(day)) {
                    return false;
                }
                events.dropPartition(day);
                return true;
            });
            if (Boolean.TRUE.equals(done)) {
                dropped++;
            }
        }
        events.forgetMessages(clock.instant().minus(Duration.ofDays(retentionDays)));
        return dropped;
    }
}
