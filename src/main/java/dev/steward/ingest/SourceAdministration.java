package dev.steward.ingest;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.usage.UsageMetric;
import dev.steward.usage.UsageRecorder;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Sets sources up and reports on them: creates sources with checked settings, changes settings, tells what a source
 * delivered (volume per day, rejections, held and quarantined events), and replays or discards quarantined events.
 */
@Service
class SourceAdministration {

    static final int DAYS_SHOWN = 14;
    static final int REJECTIONS_SHOWN = 20;

    private final Sources sources;
    private final WriteKeys writeKeys;
    private final HeldEvents held;
    private final UsageRecorder usage;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final SegmentQuarantine quarantine;
    private final SegmentEvents events;
    private final SegmentJobs processing;
    private final TransactionTemplate transactions;

    SourceAdministration(
            Sources sources,
            WriteKeys writeKeys,
            HeldEvents held,
            UsageRecorder usage,
            JdbcClient jdbc,
            Clock clock,
            SegmentQuarantine quarantine,
            SegmentEvents events,
            SegmentJobs processing,
            PlatformTransactionManager transactionManager) {
        this.sources = sources;
        this.writeKeys = writeKeys;
        this.held = held;
        this.usage = usage;
        this.jdbc = jdbc;
        this.clock = clock;
        this.quarantine = quarantine;
        this.events = events;
        this.processing = processing;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** A quarantined event as the API and the page show it. */
    record QuarantinedEvent(
            String messageId,
            String type,
            String userId,
            String anonymousId,
            String groupId,
            String name,
            Instant timestamp,
            Instant receivedAt,
            String traits,
            String reason,
            Instant quarantinedAt) {

        static QuarantinedEvent of(SegmentQuarantine.Quarantined q) {
            StoredEvent e = q.event();
            return new QuarantinedEvent(
                    e.messageId(),
                    e.type(),
                    e.userId(),
                    e.anonymousId(),
                    e.groupId(),
                    e.name(),
                    e.occurredAt(),
                    e.receivedAt(),
                    e.traits(),
                    q.reason(),
                    q.quarantinedAt());
        }
    }

    /** The source's quarantined events, newest first. */
    List<QuarantinedEvent> quarantined(String name, int limit) {
        Source source = sources.get(name);
        return quarantine.latest(source.id(), limit).stream()
                .map(QuarantinedEvent::of)
                .toList();
    }

    /**
     * Puts quarantined events (those with the messageIds, or all when null) back in the processor's queue, to be
     * applied as if just received, e.g. after the source's mapping was fixed or Steward upgraded; one that fails again
     * is quarantined again with the new reason. Returns how many were replayed.
     */
    int replay(String name, Collection<String> messageIds) {
        Source source = sources.get(name);
        Integer replayed = transactions.execute(status -> {
            List<StoredEvent> taken = quarantine.take(source.id(), messageIds);
            events.requeue(source.id(), taken, clock.instant());
            return taken.size();
        });
        if (replayed != null && replayed > 0) {
            processing.soon();
        }
        return replayed == null ? 0 : replayed;
    }

    /** Drops quarantined events (those with the messageIds, or all when null); returns how many. */
    int discard(String name, Collection<String> messageIds) {
        Source source = sources.get(name);
        return quarantine.take(source.id(), messageIds).size();
    }

    /** What a client sends to create a source. */
    record NewSource(String name, Source.Kind kind, JsonNode settings, Integer expectedIntervalHours) {}

    /** What arrived from a source on one day. */
    record Receipt(LocalDate day, long accepted, long rejected) {}

    /** A source with what it delivered: the data sources page and {@code GET /api/v1/sources/{name}/status}. */
    record Status(
            Source source,
            List<WriteKey> writeKeys,
            Instant lastReceivedAt,
            List<Receipt> days,
            long accepted,
            long rejected,
            List<Rejection> latestRejections,
            long held,
            long quarantined) {}

    Source create(NewSource request) {
        List<FieldError> errors = new ArrayList<>();
        String name = request.name() == null ? "" : request.name().trim();
        if (!name.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
            errors.add(FieldError.of(
                    "name",
                    "'" + name + "' is not a source name: lower case letters, digits, '_', '.' and '-', starting with a"
                            + " letter or digit, at most 63 characters (e.g. web-app)"));
        }
        if (request.kind() == null) {
            errors.add(FieldError.of("kind", "is required: one of segment, csv, stripe, api"));
        }
        if (request.expectedIntervalHours() != null && request.expectedIntervalHours() <= 0) {
            errors.add(FieldError.of("expectedIntervalHours", "must be a positive number of hours"));
        }
        if (request.kind() != null && request.kind().tracksEvents() && request.settings() != null) {
            errors.addAll(settingsProblems(request.settings()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return sources.create(name, request.kind(), request.settings(), request.expectedIntervalHours());
    }

    /** Replaces a source's settings, after checking them as its kind requires. */
    Source updateSettings(String name, JsonNode settings) {
        Source source = sources.get(name);
        if (source.kind().tracksEvents()) {
            List<FieldError> errors = settingsProblems(settings);
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
        }
        return sources.updateSettings(name, settings);
    }

    /** What is wrong with settings for a Segment source; empty when they are fine. */
    List<FieldError> settingsProblems(JsonNode settings) {
        return SegmentSettings.problems(settings, metricKeys());
    }

    /** The keys of the usage metric catalog, in its order: what events and pages may count as. */
    Set<String> metricKeys() {
        return usage.metrics().stream()
                .map(UsageMetric::key)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    Status status(String name) {
        Source source = sources.get(name);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate first = today.minusDays(DAYS_SHOWN - 1);
        Map<LocalDate, Receipt> byDay = new LinkedHashMap<>();
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            byDay.put(day, new Receipt(day, 0, 0));
        }
        jdbc.sql("""
                        select day, sum(accepted), sum(rejected) from ingest_receipt_daily
                        where source_id = ? and day >= ? group by day order by day""")
                .params(source.id(), first)
                .query((rs, n) -> {
                    LocalDate day = rs.getObject(1, LocalDate.class);
                    byDay.put(day, new Receipt(day, rs.getLong(2), rs.getLong(3)));
                    return null;
                })
                .list();
        Timestamp latest = jdbc.sql("select max(last_received_at) from ingest_receipt_daily where source_id = ?")
                .param(source.id())
                .query(Timestamp.class)
                .optional()
                .orElse(null);
        List<Receipt> days = new ArrayList<>(byDay.values());
        return new Status(
                source,
                writeKeys.list(name),
                latest == null ? null : latest.toInstant(),
                days,
                days.stream().mapToLong(Receipt::accepted).sum(),
                days.stream().mapToLong(Receipt::rejected).sum(),
                sources.latestRejections(source, REJECTIONS_SHOWN),
                held.count(source.id()),
                quarantine.count(source.id()));
    }
}
