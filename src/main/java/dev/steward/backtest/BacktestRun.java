package dev.steward.backtest;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A backtest as stored: what it tests, how far it has got, and (once done) its results; listings leave the results
 * out.
 */
public record BacktestRun(
        UUID id,
        String name,
        List<BacktestRequest.ScorecardRef> scorecards,
        List<LocalDate> asOfDates,
        List<Integer> horizons,
        String segment,
        Status status,
        int daysDone,
        int daysTotal,
        String error,
        String createdBy,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        BacktestResults results) {

    /** Where a run is: waiting for its turn, scoring as-of days, finished, or stopped by an error. */
    public enum Status {
        QUEUED,
        RUNNING,
        DONE,
        FAILED;

        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** "Enterprise v3, SMB v2" or "published scorecards". */
    public String scorecardLabel() {
        return scorecards.isEmpty()
                ? "published scorecards"
                : String.join(
                        ", ",
                        scorecards.stream()
                                .map(s -> s.name() + " v" + s.version())
                                .toList());
    }

    /** The results for a horizon, if the run has them. */
    public java.util.Optional<BacktestResults.HorizonResult> horizon(int days) {
        return results == null
                ? java.util.Optional.empty()
                : results.horizons().stream()
                        .filter(h -> h.horizonDays() == days)
                        .findFirst();
    }
}
