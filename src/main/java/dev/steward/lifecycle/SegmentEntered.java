package dev.steward.lifecycle;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.List;

/**
 * These accounts entered the segment at that time (its condition came to hold, or they were added by hand); published
 * once per segment and evaluation so that re-evaluating every account stays a few events.
 */
public record SegmentEntered(String segment, List<AccountId> accounts, Instant at) {

    public SegmentEntered {
        accounts = List.copyOf(accounts);
    }
}
