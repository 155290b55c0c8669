package dev.steward.usage;

import dev.steward.core.BulkResult;
import dev.steward.core.BulkResult.RecordResult;
import dev.steward.core.BulkUpserts;
import dev.steward.core.BulkUpserts.Candidate;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.BulkAccountNames;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Records and reads product usage per account, metric and day; the usage module's API. A value written again for
 * the same account, metric and day replaces the one stored, so every write can be repeated safely.
 */
@Service
public class UsageRecorder {

    /** The source that account external ids belong to when a client names none. */
    public static final String DEFAULT_SOURCE = "api";

    /** Rows staged per COPY before they are merged, which bounds the staging table however long the import. */
    static final int IMPORT_CHUNK = 200_000;

    /**
     * Months of a metric (31 values each in memory) an import gathers before folding them into usage_month: bounds
     * its memory (some 60 MB) however many rows come, while an import of rows in any order folds each month rarely.
     */
    static final int FOLD_AT = 200_000;

    private final UsageDays days;
    private final UsageMonths months;
    private final UsageMetrics metrics;
    private final AccountManagement accounts;
    private final BulkUpserts bulk;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;

    UsageRecorder(
            UsageDays days,
            UsageMonths months,
            UsageMetrics metrics,
            AccountManagement accounts,
            BulkUpserts bulk,
            PlatformTransactionManager transactionManager,
            ApplicationEventPublisher events) {
        this.days = days;
        this.months = months;
        this.metrics = metrics;
        this.accounts = accounts;
        this.bulk = bulk;
        this.transactions = new TransactionTemplate(transactionManager);
        this.events = events;
    }

    /** The metric catalog, by key. */
    public List<UsageMetric> metrics() {
        return List.copyOf(metrics.all().values());
    }

    /**
     * The first and last day each metric has a value for any account; a metric of the catalog without any value has
     * none.
     */
    public Map<String, UsageSpan> spans() {
        return months.spans();
    }

    /** Adds a metric to the catalog; a key that already exists is a conflict. */
    public UsageMetric addMetric(UsageMetric metric) {
        return metrics.add(metric);
    }

    /** Writes an account's values (all or none: any invalid row refuses the request). */
    public BulkResult record(AccountId account, List<UsageInput> values) {
        accounts.get(account);
        List<UsageInput> forAccount = values.stream()
                .map(v -> new UsageInput(account.value(), null, v.day(), v.metric(), v.value()))
                .toList();
        return upsert(DEFAULT_SOURCE, forAccount, true);
    }

    /** Bulk upsert of records built in code; the key of a record is its account, metric and day. */
    public BulkResult upsert(String source, List<UsageInput> records, boolean atomic) {
        return bulk.upsert(
                records, Set.of(), atomic, UsageRecorder::keyOf, this::rules, candidates -> write(source, candidates));
    }

    /** Bulk upsert of a JSON body: {@code {"records": [...]}}. */
    public BulkResult upsert(String source, JsonNode body, boolean atomic) {
        return bulk.upsert(
                body,
                atomic,
                UsageInput.class,
                UsageRecorder::keyOf,
                this::rules,
                candidates -> write(source, candidates));
    }

    /** The account's daily values per metric, oldest first; metric, from and to may each be null (no limit). */
    public List<UsageSeries> series(AccountId account, String metric, LocalDate from, LocalDate to) {
        accounts.get(account);
        if (metric != null && !metrics.known(metric)) {
            throw new InvalidInputException(List.of(metrics.unknown(metric)));
        }
        Map<String, UsageMetric> catalog = metrics.all();
        List<UsageSeries> series = new ArrayList<>();
        days.series(account.value(), metric, from, to).forEach((key, points) -> {
            UsageMetric known = catalog.get(key);
            series.add(new UsageSeries(key, known == null ? null : known.unit(), points));
        });
        return series;
    }

    /**
     * The accounts' daily usage of these metrics from {@code from} to {@code to} (inclusive), by account, read from
     * monthly rows so that a window of many accounts costs a few rows per account and metric.
     */
    public Map<UUID, UsageWindow> windows(
            Collection<UUID> accounts, Collection<String> metricKeys, LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        return months.read(accounts, metricKeys, from, to);
    }

    /**
     * Loads daily values fast through PostgreSQL COPY, in chunks so that memory stays bounded however many rows
     * come: a chunk is appended straight to the table when none of its rows is stored already (the usual case: new
     * days of usage), else it goes through a staging table and is merged, leaving values that are already stored
     * unchanged alone. Runs in one transaction: an invalid row (unknown account or metric, a negative or non-finite
     * value, the same account, metric and day twice in a chunk) refuses the whole import; a key repeated in a later
     * chunk takes the later value.
     *
     * @return how many rows were inserted or changed; 0 when the same rows are imported again
     */
    public long importDaily(Stream<DailyUsage> rows) {
        Long changed = transactions.execute(status -> {
            Set<String> known = metrics.reloaded().keySet();
            Set<AccountId> checked = new HashSet<>();
            WrittenUsage written = new WrittenUsage();
            ImportChunks writer = new ImportChunks(days);
            try (ChunksAhead chunks = new ChunksAhead(rows.iterator(), known, IMPORT_CHUNK)) {
                for (UsageChunk chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
                    chunk.addTo(written);
                    Set<AccountId> unchecked = new HashSet<>();
                    Set<UUID> accountsInChunk = chunk.accounts();
                    accountsInChunk.forEach(id -> unchecked.add(new AccountId(id)));
                    unchecked.removeAll(checked);
                    requireAccounts(unchecked);
                    checked.addAll(unchecked);
                    if (written.pendingMetricMonths() > FOLD_AT) {
                        months.fold(written);
                    }
                    writer.write(chunk, accountsInChunk);
                    chunks.written(chunk);
                }
            }
            if (!written.isEmpty()) {
                months.refresh(written);
                events.publishEvent(new UsageRecorded(written.accounts()));
            }
            return writer.changed();
        });
        return changed == null ? 0 : changed;
    }

    private void requireAccounts(Set<AccountId> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Set<AccountId> missing = new HashSet<>(ids);
        missing.removeAll(accounts.existing(ids));
        if (!missing.isEmpty()) {
            throw new InvalidInputException(
                    "account",
                    "no account with id " + missing.iterator().next()
                            + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : ""));
        }
    }

    private static String keyOf(UsageInput input) {
        String account = input.accountId() != null ? input.accountId().toString() : "ext:" + input.accountExternalId();
        return account + "/" + input.metric() + "/" + input.day();
    }

    private List<FieldError> rules(UsageInput input) {
        List<FieldError> errors = new ArrayList<>();
        if (input.metric() != null && !input.metric().isBlank() && !metrics.known(input.metric())) {
            errors.add(metrics.unknown(input.metric()));
        }
        BulkAccountNames.checkNamedOnce(input.accountId(), input.accountExternalId(), errors);
        return errors;
    }

    private List<RecordResult> write(String source, List<Candidate<UsageInput>> candidates) {
        BulkAccountNames named = BulkAccountNames.lookup(
                accounts,
                source,
                candidates.stream().map(c -> c.record().accountId()).toList(),
                candidates.stream().map(c -> c.record().accountExternalId()).toList());
        List<RecordResult> results = new ArrayList<>();
        List<UsageDays.Row> rows = new ArrayList<>();
        List<Candidate<UsageInput>> accepted = new ArrayList<>();
        Map<String, Integer> firstIndexOfRow = new HashMap<>();
        for (Candidate<UsageInput> candidate : candidates) {
            UsageInput input = candidate.record();
            AccountId found = named.find(input.accountId(), input.accountExternalId());
            UUID account = found == null ? null : found.value();
            if (account == null) {
                FieldError error = named.missing(input.accountId(), input.accountExternalId());
                results.add(RecordResult.rejected(candidate.index(), candidate.externalId(), List.of(error)));
                continue;
            }
            UsageDays.Row row = new UsageDays.Row(account, input.metric(), input.day(), input.value());
            // The same account may be named by id in one record and by external id in another.
            Integer first = firstIndexOfRow.putIfAbsent(row.key(), candidate.index());
            if (first != null) {
                results.add(RecordResult.rejected(
                        candidate.index(),
                        candidate.externalId(),
                        List.of(FieldError.of(
                                "day",
                                "the same account, metric and day appears more than once in this batch (first at index "
                                        + first + ")"))));
                continue;
            }
            rows.add(row);
            accepted.add(candidate);
        }
        Map<String, BulkResult.Status> written = days.upsert(rows);
        if (!rows.isEmpty()) {
            WrittenUsage spans = new WrittenUsage();
            rows.forEach(
                    r -> spans.add(r.accountId(), r.metric(), r.day(), r.value().doubleValue()));
            events.publishEvent(new UsageRecorded(spans.accounts()));
            months.refresh(spans);
        }
        for (int i = 0; i < rows.size(); i++) {
            Candidate<UsageInput> candidate = accepted.get(i);
            results.add(RecordResult.stored(
                    candidate.index(),
                    candidate.externalId(),
                    written.get(rows.get(i).key()),
                    null));
        }
        return results;
    }
}
