package dev.steward.lifecycle;

import java.util.List;

/** Whether a segment document may be published, and if not, every problem with its line and column. */
public record SegmentValidation(boolean valid, List<SegmentProblem> problems) {

    public SegmentValidation {
        problems = List.copyOf(problems);
    }
}
