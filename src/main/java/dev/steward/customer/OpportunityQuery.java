package dev.steward.customer;

import java.util.UUID;

/**
 * Filters and order for listing opportunities. {@code sort} is a field name, prefixed with {@code -} for
 * descending: closeDate, amount, name, createdAt, updatedAt.
 */
public record OpportunityQuery(
        UUID accountId, OpportunityType type, String stage, String sort, Integer limit, String cursor) {}
