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
 * healthScore, healthTrend (accounts not scored yet come last either way). {@code owners} keeps the accounts of any of
 * these people (a manager's team), besides {@code ownerId}'s one person. {@code healthBasis} says which color the
 * health filter reads: the one shown ({@link HealthBasis#SHOWN}, an override's where one applies, the default) or the
 * computed one ({@link HealthBasis#COMPUTED}, overrides aside).
 */
public record AccountQuery(
        String search,
        String tier,
        UUID ownerId,
        List<UUID> owners,
        LifecycleStage lifecycleStage,
        BigDecimal minArr,
        BigDecimal maxArr,
        UUID parentId,
        List<String> health,
        HealthBasis healthBasis,
        String segment,
        String stage,
        String sort,
        Integer limit,
        String cursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** The page sizes of the lists of accounts, contacts, contracts and opportunities. */
    public static final dev.steward.core.PageLimit LIMIT = new dev.steward.core.PageLimit(DEFAULT_LIMIT, MAX_LIMIT);

    /** Which color the health filter reads. */
    public enum HealthBasis {
        /** The color shown: an override's where one applies, else the computed one. */
        SHOWN,
        /** The color the scorecard computed, whatever an override says. */
        COMPUTED
    }

    public AccountQuery {
        owners = owners == null ? List.of() : List.copyOf(owners);
        health = health == null ? List.of() : List.copyOf(health);
        healthBasis = healthBasis == null ? HealthBasis.SHOWN : healthBasis;
    }

    /** A query of one owner (or none), reading the color shown. */
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
            String stage,
            String sort,
            Integer limit,
            String cursor) {
        this(
                search,
                tier,
                ownerId,
                List.of(),
                lifecycleStage,
                minArr,
                maxArr,
                parentId,
                health,
                HealthBasis.SHOWN,
                segment,
                stage,
                sort,
                limit,
                cursor);
    }

    /** Whether any filter is set (the cursor and order aside): then the list counts what matches. */
    public boolean filtered() {
        return (search != null && !search.isBlank())
                || (tier != null && !tier.isBlank())
                || ownerId != null
                || !owners.isEmpty()
                || lifecycleStage != null
                || minArr != null
                || maxArr != null
                || parentId != null
                || !health.isEmpty()
                || (segment != null && !segment.isBlank())
                || (stage != null && !stage.isBlank());
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
