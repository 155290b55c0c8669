package dev.steward.health.engine;

/**
 * One reason a scorecard document cannot be published: where (1-based line and column, {@code null} when the problem
 * is not tied to a place in a document, such as two scorecards sharing a priority), which field, and why.
 */
public record ScorecardProblem(Integer line, Integer column, String field, String reason) {

    @Override
    public String toString() {
        return (line == null ? "" : "line " + line + ", column " + column + ": ") + field + ": " + reason;
    }
}
