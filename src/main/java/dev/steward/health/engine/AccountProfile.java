package dev.steward.health.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The account attributes a scorecard's {@code appliesTo} condition can read as {@code account.*}, and the segments it
 * was in on the day scored (of those the scorecards name) as {@code segments}; an attribute that is {@code null} is
 * absent, so a condition that reads it does not hold.
 */
public record AccountProfile(
        String tier,
        String industry,
        String region,
        Long employees,
        String lifecycleStage,
        Double arr,
        Map<String, Object> customFields,
        Set<String> segments) {

    public AccountProfile {
        customFields = customFields == null ? Map.of() : Map.copyOf(customFields);
        segments = segments == null ? Set.of() : Set.copyOf(segments);
    }

    /** An account in no segment a scorecard names. */
    public AccountProfile(
            String tier,
            String industry,
            String region,
            Long employees,
            String lifecycleStage,
            Double arr,
            Map<String, Object> customFields) {
        this(tier, industry, region, employees, lifecycleStage, arr, customFields, Set.of());
    }

    /** The same account in these segments (of those the scorecards name) on the day scored. */
    public AccountProfile inSegments(Set<String> names) {
        return new AccountProfile(tier, industry, region, employees, lifecycleStage, arr, customFields, names);
    }

    Map<String, Object> asCelValue() {
        Map<String, Object> account = new HashMap<>();
        putIfPresent(account, AccountConditions.TIER, tier);
        putIfPresent(account, AccountConditions.INDUSTRY, industry);
        putIfPresent(account, AccountConditions.REGION, region);
        putIfPresent(account, AccountConditions.EMPLOYEES, employees);
        putIfPresent(account, AccountConditions.LIFECYCLE_STAGE, lifecycleStage);
        putIfPresent(account, AccountConditions.ARR, arr);
        account.put(AccountConditions.CUSTOM_FIELDS, customFields);
        return account;
    }

    private static void putIfPresent(Map<String, Object> account, String key, Object value) {
        if (value != null) {
            account.put(key, value);
        }
    }
}
