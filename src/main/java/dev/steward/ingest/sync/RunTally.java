package dev.steward.ingest.sync;

import dev.steward.core.BulkResult;
import dev.steward.core.FieldError;
import dev.steward.ingest.Rejection;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What one pull run of a vendor's API did so far, and its first errors; a page at a time: records read, what storing
 * them answered, the records refused (named by id, or by their place in the page), and those removed or passed over.
 * The errors of the current page are also reported to the source's freshness and quality figures.
 */
public final class RunTally {

    public long read;
    public long created;
    public long updated;
    public long unchanged;
    public long rejected;
    public long deleted;
    public long skipped;

    private final List<SyncRuns.RowError> errors = new ArrayList<>();
    private final List<SyncRuns.RowError> pageErrors = new ArrayList<>();
    private int pageRecords;
    private long storedBeforePage;

    /** Starts a page of {@code records} records. */
    public void page(int records) {
        read += records;
        pageRecords = records;
        pageErrors.clear();
        storedBeforePage = created + updated;
    }

    /** A record the pull rejects (it is counted, and kept with the run among the first errors). */
    public void reject(SyncRuns.RowError error) {
        rejected++;
        if (errors.size() < SyncRuns.KEPT_ERRORS) {
            errors.add(error);
        }
        pageErrors.add(error);
    }

    /**
     * A record that cannot be read: named {@code kind id} when it has an id, else by its place in the page; its value
     * is the refused field's, else an excerpt of the record.
     */
    public void reject(String kind, @Nullable String id, JsonNode record, int page, int index, RecordRefused e) {
        reject(id != null ? kind + " " + id : kind + " " + (index + 1) + " of page " + page + " (no id)", record, e);
    }

    /** A record that cannot be read, named by {@code where}; its value is the refused field's, else an excerpt. */
    public void reject(String where, JsonNode record, RecordRefused e) {
        String value = e.value() != null ? e.value() : excerpt(record);
        reject(new SyncRuns.RowError(where, e.field(), value, e.getMessage()));
    }

    /**
     * A record that cannot be read, named by its {@code id} (a whole number or a text, as vendors' ids are) when it
     * has one, else by its place in the page.
     */
    public void reject(String kind, JsonNode record, int page, int index, RecordRefused e) {
        JsonNode id = record.path("id");
        String named = id.isIntegralNumber() && id.asLong() > 0
                ? Long.toString(id.asLong())
                : id.isString() && !id.asString().isBlank() && id.asString().length() <= 100
                        ? id.asString().strip()
                        : null;
        reject(kind, named, record, page, index, e);
    }

    /**
     * Something the run could not see that is no record's fault (a span of time the vendor no longer answers for),
     * named by {@code where}: kept with the run's first errors, without counting a record rejected.
     */
    public void warn(String where, String reason) {
        if (errors.size() < SyncRuns.KEPT_ERRORS) {
            errors.add(new SyncRuns.RowError(where, null, null, reason));
        }
    }

    /** Counts what storing a batch answered; records refused there are rejected, named by {@code where}. */
    public void stored(BulkResult result, Function<String, String> where) {
        created += result.created();
        updated += result.updated();
        unchanged += result.unchanged();
        rejectedIn(result, where);
    }

    /**
     * Rejects the records a batch refused, named by {@code where}, without counting the others (a batch that goes
     * with records counted already, as a conversation's rating with it).
     */
    public void rejectedIn(BulkResult result, Function<String, String> where) {
        for (BulkResult.RecordResult r : result.results()) {
            if (r.status() == BulkResult.Status.rejected) {
                FieldError first = r.errors().isEmpty() ? null : r.errors().get(0);
                reject(new SyncRuns.RowError(
                        where.apply(r.externalId()),
                        first == null ? null : first.field(),
                        null,
                        r.errors().stream()
                                .map(FieldError::reason)
                                .reduce((a, b) -> a + "; " + b)
                                .orElse("rejected")));
            }
        }
    }

    /**
     * Ends a page: what it stored (created or updated; records read again unchanged are received, not stored again, as
     * a Segment message sent twice) and rejected counts toward the source's freshness and quality figures.
     */
    public void endPage(Sources sources, Source source) {
        long stored = created + updated - storedBeforePage;
        if (pageRecords > 0 || stored > 0 || !pageErrors.isEmpty()) {
            sources.received(
                    source,
                    stored,
                    pageErrors.stream()
                            .map(e -> new Rejection(e.where(), e.field(), e.reason(), e.value()))
                            .toList());
        }
    }

    public SyncRuns.Counts counts(long apiCalls) {
        return new SyncRuns.Counts(read, created, updated, unchanged, rejected, deleted, skipped, apiCalls);
    }

    /** Ends the run: partial when records were rejected, else succeeded. */
    public void succeed(SyncRuns runs, UUID run, VendorHttp.Calls calls, @Nullable String watermark, Instant at) {
        runs.finish(
                run,
                rejected > 0 ? SyncRuns.State.partial : SyncRuns.State.succeeded,
                counts(calls.count()),
                watermark,
                errors,
                null,
                at);
    }

    /** Ends the run as failed, saying why and where the next pull resumes. */
    public void fail(
            SyncRuns runs,
            UUID run,
            VendorHttp.Calls calls,
            @Nullable String watermark,
            String why,
            String resumes,
            Instant at) {
        runs.finish(run, SyncRuns.State.failed, counts(calls.count()), watermark, errors, why + "; " + resumes, at);
    }

    private static String excerpt(JsonNode record) {
        String text = record.toString();
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }
}
