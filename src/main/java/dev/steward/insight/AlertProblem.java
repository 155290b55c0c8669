package dev.steward.insight;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One reason an alert rule cannot be saved: which field, why, and for a condition where in it (1-based line and
 * column, {@code null} otherwise).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AlertProblem(
        String field, @Nullable Integer line, @Nullable Integer column, String reason) {

    static AlertProblem of(String field, String reason) {
        return new AlertProblem(field, null, null, reason);
    }

    @Override
    public String toString() {
        return field + ": " + (line == null ? "" : "line " + line + ", column " + column + ": ") + reason;
    }
}
