package dev.steward.lifecycle;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.List;

/**
 * Accounts moved from one lifecycle stage to another, by the journey's entry rules or by hand, in the transaction
 * that recorded it. {@code from} or {@code to} is {@code null} for no stage.
 */
public record StageChanged(List<Change> changes, Instant at) {

    public StageChanged {
        changes = List.copyOf(changes);
    }

    /** One account's move: its stage keys before and after, and whether a rule or a person moved it. */
    public record Change(AccountId account, String from, String to, String cause) {}
}
