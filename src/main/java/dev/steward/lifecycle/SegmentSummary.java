package dev.steward.lifecycle;

import java.math.BigDecimal;

/**
 * A segment in the list: its name and description (from the published version, or the newest draft before that),
 * type, published and newest version numbers, and its current members' count and ARR.
 */
public record SegmentSummary(
        String name,
        String description,
        String type,
        Integer publishedVersion,
        int newestVersion,
        long members,
        BigDecimal arr) {}
