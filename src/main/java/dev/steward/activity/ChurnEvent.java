package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/** An account (or part of it) churned: when, why and how much ARR was lost. */
public record ChurnEvent(
        UUID id,
        AccountId accountId,
        String source,
        String externalId,
        LocalDate churnedOn,
        ReasonCategory reasonCategory,
        String reason,
        BigDecimal arrLost) {

    /** Why the customer left, in categories that can be counted and compared. */
    public enum ReasonCategory {
        product_fit,
        support,
        champion_left,
        budget,
        competitor,
        other
    }
}
