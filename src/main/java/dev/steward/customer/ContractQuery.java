package dev.steward.customer;

import java.util.UUID;

/**
 * Filters and order for listing contracts. {@code sort} is a field name, prefixed with {@code -} for descending:
 * startDate, endDate, arr, createdAt, updatedAt.
 */
public record ContractQuery(UUID accountId, ContractStatus status, String sort, Integer limit, String cursor) {}
