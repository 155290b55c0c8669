package dev.steward.customer;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * Filters and order for listing accounts. {@code sort} is a field name, prefixed with {@code -} for descending:
 * name, arr, employees, renewalDate, createdAt, updatedAt.
 */
public record AccountQuery(
        String search,
        String tier,
        UUID ownerId,
        LifecycleStage lifecycleStage,
        BigDecimal minArr,
        BigDecimal maxArr,
        UUID parentId,
        String sort,
        Integer limit,
        String cursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public static AccountQuery firstPage() {
        return new AccountQuery(null, null, null, null, null, null, null, null, null, null);
    }

    public int effectiveLimit() {
        return limit == null ? DEFAULT_LIMIT : Math.max(1, Math.min(limit, MAX_LIMIT));
    }
}
