package dev.steward.lifecycle;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.List;

/** These accounts left the segment at that time (its condition stopped holding, or they were removed by hand). */
public record SegmentLeft(String segment, List<AccountId> accounts, Instant at) {

    public SegmentLeft {
        accounts = List.copyOf(accounts);
    }
}
