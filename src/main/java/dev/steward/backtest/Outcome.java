package dev.steward.backtest;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What became of an account within a backtest's horizon after an as-of day. */
public enum Outcome {
    /** A churn event, or its last contract ended without renewal. */
    CHURNED,
    /** A contract came up and was renewed (at the same, a higher or a lower ARR), and nothing churned. */
    RENEWED,
    /** Neither: still a customer, with nothing up for renewal. */
    NONE;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
