package dev.steward.lifecycle;

/**
 * One reason a lifecycle document (a segment, the journey) cannot be published: where (1-based line and column in the YAML, {@code null} when
 * not tied to a place), which field, and why.
 */
public record SegmentProblem(Integer line, Integer column, String field, String reason) {

    @Override
    public String toString() {
        return (line == null ? "" : "line " + line + ", column " + column + ": ") + field + ": " + reason;
    }
}
