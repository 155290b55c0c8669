package dev.steward.lifecycle;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A segment's members now ({@code asOf} {@code null}) or at the end of a past day: how many, their ARR today, and
 * each with when it entered (and left, if it has since).
 */
public record SegmentMembers(String segment, LocalDate asOf, int count, BigDecimal arr, List<Member> members) {

    public SegmentMembers {
        members = List.copyOf(members);
    }

    /** One member; {@code leftAt} is set when the account has left the segment since the day asked about. */
    public record Member(UUID accountId, String name, BigDecimal arr, Instant enteredAt, Instant leftAt) {}
}
