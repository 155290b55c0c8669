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
    private volatile Summary summary;

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

    /** The counts per kind; computed once per snapshot, since they change only when it is rebuilt. */
    Summary summary() {
        Instant asOf = asOf();
        Summary cached = summary;
        if (cached == null || !asOf.equals(cached.asOf())) {
            cached = snapshot.summary(asOf, properties);
            summary = cached;
        }
        // Counted from the accounts each time: it changes with every re-score, not with the snapshot.
        return cached.withNoScorecard(customer.withoutScorecard());
    }

    Page<AccountRow> accounts(FreshnessSnapshot.Query query) {
        return snapshot.accounts(query, asOf(), properties);
    }

    List<SourceRow> sources() {
        return snapshot.sources(clock.instant());
    }

    DataQualityProperties properties() {
        return properties;
    }

    /**
     * The scheduled rebuild ({@link DataQualityJobs}, once across instances every refresh interval): skipped when the
     * snapshot was rebuilt within the last half interval, e.g. on request.
     */
    void refreshOnSchedule() {
        Instant recently = clock.instant().minus(properties.refreshInterval().dividedBy(2));
        if (snapshot.refreshedAt().filter(at -> at.isAfter(recently)).isEmpty()) {
            refresh();
        }
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
        // Usage dated after today (a sender's wrong clock) must not make an account's usage look fresh.
        usage.latestDays(LocalDate.now(clock.withZone(ZoneOffset.UTC)))
                .forEach((account, day) -> usageDays.put(account, startOf(day)));
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
        long gathered = System.nanoTime();
        Instant now = clock.instant();
        boolean rebuilt = Boolean.TRUE.equals(transactions.execute(status -> {
            // A rebuild asked for on one instance while the scheduled one runs on another: one of them is enough.
            if (!snapshot.tryLock()) {
                return false;
            }
            snapshot.replace(rows, now);
            return true;
        }));
        if (rebuilt) {
            // Two rebuilds may carry the same time (a fixed clock, a fast second rebuild): count anew either way.
            summary = null;
        }
        if (rebuilt) {
            log.info(
                    "Data-quality snapshot rebuilt for {} accounts: gathered in {} ms, written in {} ms",
                    rows.size(),
                    (gathered - started) / 1_000_000,
                    (System.nanoTime() - gathered) / 1_000_000);
        }
        return summary();
    }

    /**
     * When the snapshot was taken: fresh and stale are judged as of then, so that the counts and the table agree. The
     * first request on an empty snapshot builds it rather than showing nothing.
     */
    private Instant asOf() {
        return snapshot.refreshedAt().orElseGet(() -> {
            refresh();
            return snapshot.refreshedAt().orElseThrow();
        });
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
