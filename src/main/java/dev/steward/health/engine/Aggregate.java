package dev.steward.health.engine;

/** How a metric's facts within the lookback window become one number; the names are those written in scorecards. */
public enum Aggregate {
    sum,
    average,
    count,
    distinct,
    latest,
    days_since,
    /** Change of the window's sum against the window before it, as a fraction (-0.25 is a 25% drop). */
    pct_change,
    /** Distinct active users in the window divided by licensed seats. */
    ratio_to_seats,
    /** Distinct keys of a metric family used in the window divided by the keys in the family. */
    distinct_ratio
}
