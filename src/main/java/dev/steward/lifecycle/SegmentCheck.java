package dev.steward.lifecycle;

import java.util.List;

/**
 * A segment document as read and checked: the document ({@code null} when it could not be read) and every problem,
 * ordered by line.
 */
public record SegmentCheck(SegmentDocument document, List<SegmentProblem> problems) {

    public SegmentCheck {
        problems = List.copyOf(problems);
    }

    /** Whether the document may be published: it was read and nothing is wrong with it. */
    public boolean isValid() {
        return document != null && problems.isEmpty();
    }
}
