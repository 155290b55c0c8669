package dev.steward.customer;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * Filters and order for listing accounts. {@code health} keeps accounts whose current health color is one of these
 * (green, yellow, red, black), with {@code churned}, former customers, which have no color, and with {@code unscored},
 * customers without a health score; {@code segment} keeps the members of the named segment (see {@link
 * AccountSegments}); {@code stage} keeps the accounts in the journey stage with this key now (see {@link
 * JourneyStages}), and {@code lifecycleStage} those whose older, hand-typed stage field reads this. {@code sort} is a
 * field name, prefixed with {@code -} for descending: name, arr, employees, renewalDate, createdAt, updatedAt,
 * healthScore, healthTrend (accounts not scored yet come last either way).
 */
public record AccountQuery(
        String search,
        String tier,
        UUID ownerId,
        LifecycleStage lifecycleStage,
        BigDecimal minArr,
        BigDecimal maxArr,
        UUID parentId,
        List<String> health,
        String segment,
        String stage,
        String sort,
        Integer limit,
        String cursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** The page sizes of the lists of accounts, contacts, contracts and opportunities. */
    public static final dev.steward.core.PageLimit LIMIT = new dev.steward.core.PageLimit(DEFAULT_LIMIT, MAX_LIMIT);

    public AccountQuery {
        health = health == null ? List.of() : List.copyOf(health);
    }

    /** A query without a journey stage filter. */
    public AccountQuery(
            String search,
            String tier,
            UUID ownerId,
            LifecycleStage lifecycleStage,
            BigDecimal minArr,
            BigDecimal maxArr,
            UUID parentId,
            List<String> health,
            String segment,
            String sort,
            Integer limit,
            String cursor) {
        this(
                search,
                tier,
                ownerId,
                lifecycleStage,
                minArr,
                maxArr,
                parentId,
                health,
                segment,
                null,
                sort,
                limit,
                cursor);
    }

    /** A query without a segment or journey stage filter. */
    public AccountQuery(
            String search,
            String tier,
            UUID ownerId,
            LifecycleStage lifecycleStage,
            BigDecimal minArr,
            BigDecimal maxArr,
            UUID parentId,
            List<String> health,
            String sort,
            Integer limit,
            String cursor) {
        this(search, tier, ownerId, lifecycleStage, minArr, maxArr, parentId, health, null, null, sort, limit, cursor);
    }

    /** A query without a health, segment or journey stage filter. */
    public AccountQuery(
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
        this(
                search,
                tier,
                ownerId,
                lifecycleStage,
                minArr,
                maxArr,
                parentId,
                List.of(),
                null,
                null,
                sort,
                limit,
                cursor);
    }

    public static AccountQuery firstPage() {
        return new AccountQuery(null, null, null, null, null, null, null, null, null, null);
    }

    public int effectiveLimit() {
        return LIMIT.of(limit);
    }
}
