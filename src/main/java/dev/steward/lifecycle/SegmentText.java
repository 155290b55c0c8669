package dev.steward.lifecycle;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/** One version of a segment with its YAML exactly as saved and the problems found when it was saved. */
public record SegmentText(@JsonUnwrapped SegmentVersion version, String yaml, List<SegmentProblem> problems) {

    public SegmentText {
        problems = List.copyOf(problems);
    }
}
