package dev.steward.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes raw Segment events older than {@code steward.ingest.retention-days} (90 by default) by dropping their day
 * partitions, once they are applied, and forgets their messageIds. The daily rollups and held events stay.
 */
@Component
class SegmentRetention {

    private static final Logger log = LoggerFactory.getLogger(SegmentRetention.class);

    private final SegmentEvents events;
    private final Clock clock;
    private final int retentionDays;
    private final TransactionTemplate transactions;

    SegmentRetention(
            SegmentEvents events,
            Clock clock,
            @Value("${steward.ingest.retention-days:90}") int retentionDays,
            PlatformTransactionManager transactionManager) {
        if (retentionDays < 1) {
            throw new IllegalArgumentException(
                    "steward.ingest.retention-days must be at least 1, got " + retentionDays);
        }
        this.events = events;
        this.clock = clock;
        this.retentionDays = retentionDays;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Scheduled(cron = "0 20 * * * *", zone = "UTC")
    void scheduled() {
        int dropped = removeExpired();
        if (dropped > 0) {
            log.info("Dropped {} day(s) of Segment events older than {} days", dropped, retentionDays);
        }
    }

    /** Drops the partitions of days before the retention period whose events are all applied; returns how many. */
    int removeExpired() {
        LocalDate oldestKept = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(retentionDays);
        int dropped = 0;
        for (LocalDate day : events.existingPartitions()) {
            if (!day.isBefore(oldestKept)) {
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
