package dev.steward.backtest;

import java.time.LocalDate;
import java.util.List;

/**
 * What to backtest. Every part is optional: the versions default to the published scorecards (a version given here
 * takes the place of the published one of the same name), the as-of days to the first of each month over the 24
 * months whose shortest horizon ends within the data (or the first of each month from {@code from} to {@code to}), the
 * horizons to 30, 90 and 180 days, the segment to every account, and the objective suggested thresholds maximise to
 * "balanced" (recall of Red minus the share of retained accounts that were Red; or "f1" of Red; or "accuracy"). A
 * {@code snapshot} (a labelled snapshot's name) backtests its one day against its labels instead, over its horizon.
 * {@code splitBy} names the segments (of the lifecycle module) whose figures are reported apart, each account counted
 * in the segments it was in when each as-of day ended: every published rule segment when not given, none when empty.
 */
public record BacktestRequest(
        String name,
        List<ScorecardRef> scorecards,
        List<LocalDate> asOfDates,
        LocalDate from,
        LocalDate to,
        List<Integer> horizons,
        String segment,
        String objective,
        String snapshot,
        List<String> splitBy) {

    /** A request split by every published rule segment. */
    public BacktestRequest(
            String name,
            List<ScorecardRef> scorecards,
            List<LocalDate> asOfDates,
            LocalDate from,
            LocalDate to,
            List<Integer> horizons,
            String segment,
            String objective,
            String snapshot) {
        this(name, scorecards, asOfDates, from, to, horizons, segment, objective, snapshot, null);
    }

    /** A scorecard version to test, published or draft. */
    public record ScorecardRef(String name, int version) {}
}
