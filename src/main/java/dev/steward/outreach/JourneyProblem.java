package dev.steward.outreach;

/**
 * One reason a journey cannot be published: where (1-based line and column in its YAML, {@code null} when not tied to
 * a place), which field, and why.
 */
public record JourneyProblem(Integer line, Integer column, String field, String reason) {

    @Override
    public String toString() {
        return (line == null ? "" : "line " + line + ", column " + column + ": ") + field + ": " + reason;
    }
}
