package dev.steward.lifecycle;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * What a segment document would select on current data: its problems, or how many of the accounts evaluated match,
 * their ARR and the largest of them by ARR; {@code undecided} counts accounts on which the condition failed for
 * another reason than a missing value (with the first such error).
 */
public record SegmentPreview(
        boolean valid,
        List<SegmentProblem> problems,
        String type,
        Integer evaluated,
        Integer matched,
        BigDecimal arr,
        List<Sample> sample,
        Integer undecided,
        String firstError) {

    public SegmentPreview {
        problems = List.copyOf(problems);
        sample = sample == null ? List.of() : List.copyOf(sample);
    }

    /** One matching account. */
    public record Sample(UUID accountId, String name, BigDecimal arr) {}
}
