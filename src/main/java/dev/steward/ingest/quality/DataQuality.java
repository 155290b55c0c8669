package dev.steward.ingest.quality;

import dev.steward.activity.ActivityFreshness;
import dev.steward.core.Page;
import dev.steward.customer.AccountId;
import dev.steward.customer.CustomerFreshness;
import dev.steward.ingest.quality.DataQualityReport.AccountRow;
import dev.steward.ingest.quality.DataQualityReport.SourceRow;
import dev.steward.ingest.quality.DataQualityReport.Summary;
import dev.steward.usage.UsageFreshness;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The data-quality report: which kinds of data each account has and how fresh they are, and whether each source
 * delivers as often as expected. The per-account part reads a snapshot that is rebuilt every few minutes (and on
 * request) from the owning modules' set-based reads, so that it pages and filters quickly over any number of
 * accounts.
 */
@Service
@EnableConfigurationProperties(DataQualityProperties.class)
class DataQuality {

    private static final Logger log = LoggerFactory.getLogger(DataQuality.class);

    private final FreshnessSnapshot snapshot;
    private final CustomerFreshness customer;
    private final ActivityFreshness activity;
    private final UsageFreshness usage;
    private final DataQualityProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    DataQuality(
            FreshnessSnapshot snapshot,
            CustomerFreshness customer,
            ActivityFreshness activity,
            UsageFreshness usage,
            DataQualityProperties properties,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.snapshot = snapshot;
        this.customer = customer;
        this.activity = activity;
        this.usage = usage;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    Summary summary() {
        ensureSnapshot();
        return snapshot.summary(clock.instant(), properties);
    }

    Page<AccountRow> accounts(FreshnessSnapshot.Query query) {
        ensureSnapshot();
        return snapshot.accounts(query, clock.instant(), properties);
    }

    List<SourceRow> sources() {
        return snapshot.sources(clock.instant());
    }

    DataQualityProperties properties() {
        return properties;
    }

    /** Rebuilds the snapshot on each instance's schedule; instances that find another one rebuilding skip a turn. */
    @Scheduled(
            initialDelayString = "${steward.data-quality.refresh-interval:PT10M}",
            fixedDelayString = "${steward.data-quality.refresh-interval:PT10M}")
    void refreshOnSchedule() {
        refresh();
    }

    /** Gathers every account's latest fact per kind from the modules that own them and replaces the snapshot. */
    Summary refresh() {
        long started = System.nanoTime();
        Map<AccountId, String> names = customer.accountNames();
        Map<DataKind, Map<AccountId, Instant>> latest = new EnumMap<>(DataKind.class);
        latest.put(
                DataKind.crm,
                newest(
                        customer.latestContactChanges(),
                        customer.latestContractChanges(),
                        customer.latestOpportunityChanges()));
        Map<AccountId, Instant> usageDays = new HashMap<>();
        usage.latestDays().forEach((account, day) -> usageDays.put(account, startOf(day)));
        latest.put(DataKind.usage, usageDays);
        latest.put(DataKind.support, activity.latestTickets());
        latest.put(DataKind.billing, newest(activity.latestInvoices(), customer.latestContractChanges()));
        latest.put(
                DataKind.engagement,
                newest(activity.latestMeetings(), activity.latestSurveyResponses(), activity.latestSentiments()));
        List<FreshnessSnapshot.Row> rows = new ArrayList<>(names.size());
        names.forEach((account, name) -> {
            Map<DataKind, Instant> kinds = new EnumMap<>(DataKind.class);
            latest.forEach((kind, times) -> {
                Instant at = times.get(account);
                if (at != null) {
                    kinds.put(kind, at);
                }
            });
            rows.add(new FreshnessSnapshot.Row(account.value(), name, kinds));
        });
        Instant now = clock.instant();
        boolean rebuilt = Boolean.TRUE.equals(transactions.execute(status -> {
            if (!snapshot.tryLock()) {
                return false;
            }
            snapshot.replace(rows, now);
            return true;
        }));
        if (rebuilt) {
            log.info(
                    "Data-quality snapshot rebuilt for {} accounts in {} ms",
                    rows.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return snapshot.summary(now, properties);
    }

    /** The first request after a start on an empty snapshot builds it rather than showing nothing. */
    private void ensureSnapshot() {
        if (snapshot.refreshedAt().isEmpty()) {
            refresh();
        }
    }

    /** A usage day counts from its start, so that yesterday's usage is a day old this morning. */
    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    @SafeVarargs
    private static Map<AccountId, Instant> newest(Map<AccountId, Instant>... sources) {
        Map<AccountId, Instant> newest = new HashMap<>();
        for (Map<AccountId, Instant> source : sources) {
            source.forEach((account, at) -> newest.merge(account, at, (a, b) -> a.isAfter(b) ? a : b));
        }
        return newest;
    }
}
