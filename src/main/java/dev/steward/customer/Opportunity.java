package dev.steward.customer;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A sales opportunity at a customer account as stored: new business, a renewal or an expansion, with its amount,
 * stage and close date. {@code createdAt} is when it was opened in its source system.
 */
public record Opportunity(
        OpportunityId id,
        AccountId accountId,
        String name,
        OpportunityType type,
        BigDecimal amount,
        String stage,
        LocalDate closeDate,
        String source,
        String externalId,
        long version,
        Instant createdAt,
        Instant updatedAt) {}
