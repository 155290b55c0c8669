package dev.steward.ingest.quality;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** What the data-quality report says: per account and kind, per kind over all accounts, and per source. */
public final class DataQualityReport {

    private DataQualityReport() {}

    /** Whether an account has a kind of data and whether its latest fact is recent enough. */
    public enum State {
        fresh,
        stale,
        missing
    }

    /** One kind of data of one account: the time of its latest fact (none when missing) and its state. */
    public record KindFreshness(State state, Instant latest) {}

    /** An account's row of the report. */
    public record AccountRow(UUID accountId, String name, Map<DataKind, KindFreshness> kinds) {}

    /** One kind over all accounts: how many have it fresh, stale or not at all, and what stale means. */
    public record KindSummary(String label, String facts, long fresh, long stale, long missing, long staleAfterDays) {}

    /**
     * The report's head: when its snapshot was taken and the counts per kind; and, as of the accounts' last re-score
     * rather than the snapshot, how many customers no published scorecard applies to, so that they are never scored.
     */
    public record Summary(Instant asOf, long accounts, Map<DataKind, KindSummary> kinds, NoScorecard noScorecard) {

        /** The same head with the count of customers no scorecard applies to as it is now. */
        Summary withNoScorecard(long accounts) {
            return new Summary(asOf, this.accounts, kinds, NoScorecard.of(accounts));
        }
    }

    /**
     * Customers no published scorecard applied to at their last re-score: how many, the accounts list filtered to them
     * ({@code listPath}) and where to fix it ({@code fixPath}: the Scorecards page's section on them).
     */
    public record NoScorecard(long accounts, String listPath, String fixPath) {

        static NoScorecard of(long accounts) {
            return new NoScorecard(accounts, "/accounts?health=no-scorecard", "/scorecards#unassigned");
        }
    }

    /**
     * A source's freshness: when it last delivered anything, against how often it is expected to; quiet when it has
     * been silent for longer than that. Quarantined events were acknowledged but could not be applied: they wait on the
     * source's page to be replayed or discarded.
     */
    public record SourceRow(
            String name,
            String kind,
            Integer expectedIntervalHours,
            Instant lastReceivedAt,
            Long hoursSinceLastReceived,
            boolean quiet,
            String status,
            long acceptedLast7Days,
            long rejectedLast7Days,
            long quarantined) {}
}
