package dev.steward.lifecycle;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.steward.core.Conditions;
import dev.steward.customer.Account;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variables a segment condition reads: {@code account.*} (segment attributes, ARR, owner, days to renewal, custom
 * fields), {@code health.*} (current score, color, 30-day trend, coverage, whole days in that color, and the latest
 * score's {@code dimensions} and {@code measures} by name: each dimension's score, each measure's raw value),
 * {@code attribute.<name>} (each account attribute's latest value) and {@code segments} (the names of the other
 * segments the account is in). A value the account does not have is absent, and a condition that reads it does not
 * hold.
 */
final class SegmentVariables {

    static final String SEGMENTS = "segments";

    static final Map<String, CelType> ACCOUNT = fields(
            "name", SimpleType.STRING,
            "tier", SimpleType.STRING,
            "industry", SimpleType.STRING,
            "region", SimpleType.STRING,
            "employees", SimpleType.INT,
            "arr", SimpleType.DOUBLE,
            "lifecycleStage", SimpleType.STRING,
            "owner", SimpleType.STRING,
            "daysToRenewal", SimpleType.INT,
            "daysSinceStart", SimpleType.INT,
            "churned", SimpleType.BOOL,
            "customFields", MapType.create(SimpleType.STRING, SimpleType.DYN));

    static final Map<String, CelType> HEALTH = fields(
            "score", SimpleType.DOUBLE,
            "color", SimpleType.STRING,
            "trend", SimpleType.DOUBLE,
            "coverage", SimpleType.DOUBLE,
            "daysInColor", SimpleType.INT,
            "dimensions", MapType.create(SimpleType.STRING, SimpleType.DOUBLE),
            "measures", MapType.create(SimpleType.STRING, SimpleType.DOUBLE));

    /** What a journey's entry rules read besides a segment condition's: the stage the account is in, and for how long. */
    static final String STAGE = "stage";

    static final Map<String, CelType> STAGE_FIELDS = fields("current", SimpleType.STRING, "days", SimpleType.INT);

    /** What entry rules read of the onboarding milestones: all done, how many done, how many overdue. */
    static final String ONBOARDING = "onboarding";

    static final Map<String, CelType> ONBOARDING_FIELDS =
            fields("done", SimpleType.BOOL, "completed", SimpleType.INT, "overdue", SimpleType.INT);

    private SegmentVariables() {}

    /** The declarations conditions are compiled against, with one {@code attribute.*} field per attribute name. */
    static Conditions declare(Collection<String> attributeNames) {
        Map<String, CelType> attributes = new LinkedHashMap<>();
        attributeNames.forEach(name -> attributes.put(name, SimpleType.DOUBLE));
        return Conditions.declare()
                .record("account", ACCOUNT)
                .record("health", HEALTH)
                .record("attribute", attributes)
                .value(SEGMENTS, ListType.create(SimpleType.STRING))
                .build();
    }

    /**
     * The declarations a journey's entry rules are compiled against: a segment condition's, with {@code stage.current}
     * (the key of the stage the account is in), {@code stage.days} (days since it entered it) and
     * {@code onboarding.done}, {@code onboarding.completed} and {@code onboarding.overdue} (its milestones).
     */
    static Conditions declareForStages(Collection<String> attributeNames) {
        Map<String, CelType> attributes = new LinkedHashMap<>();
        attributeNames.forEach(name -> attributes.put(name, SimpleType.DOUBLE));
        return Conditions.declare()
                .record("account", ACCOUNT)
                .record("health", HEALTH)
                .record("attribute", attributes)
                .value(SEGMENTS, ListType.create(SimpleType.STRING))
                .record(STAGE, STAGE_FIELDS)
                .record(ONBOARDING, ONBOARDING_FIELDS)
                .build();
    }

    /**
     * The account's values for an entry rule: {@link #of} with the stage it is in ({@code null}: none) and its days,
     * and its onboarding milestones: whether all are done, how many are, how many are overdue.
     */
    static Map<String, Object> withStage(
            Map<String, Object> values, String stage, Long days, boolean done, long completed, long overdue) {
        Map<String, Object> current = new HashMap<>();
        put(current, "current", stage);
        put(current, "days", days);
        values.put(STAGE, current);
        values.put(ONBOARDING, Map.of("done", done, "completed", completed, "overdue", overdue));
        return values;
    }

    /** The account's values for a condition, on the given day, with the segments it is in so far. */
    static Map<String, Object> of(AccountFacts facts, LocalDate today, List<String> segments) {
        Account a = facts.account();
        Map<String, Object> account = new HashMap<>();
        put(account, "name", a.name());
        put(account, "tier", a.tier());
        put(account, "industry", a.industry());
        put(account, "region", a.region());
        put(account, "employees", a.employees() == null ? null : a.employees().longValue());
        put(account, "arr", a.arr() == null ? null : a.arr().doubleValue());
        put(
                account,
                "lifecycleStage",
                a.lifecycleStage() == null ? null : a.lifecycleStage().name().toLowerCase(Locale.ROOT));
        put(account, "owner", facts.ownerEmail());
        put(account, "daysToRenewal", a.renewalDate() == null ? null : ChronoUnit.DAYS.between(today, a.renewalDate()));
        put(
                account,
                "daysSinceStart",
                facts.firstContractStart() == null ? null : ChronoUnit.DAYS.between(facts.firstContractStart(), today));
        put(account, "churned", a.churn() != null);
        account.put("customFields", cel(a.customFields() == null ? Map.of() : a.customFields()));
        Map<String, Object> health = new HashMap<>();
        if (a.health() != null) {
            health.put("score", a.health().score());
            put(health, "color", a.health().color());
            put(health, "trend", a.health().trend30());
            put(
                    health,
                    "daysInColor",
                    facts.healthColorSince() == null ? null : ChronoUnit.DAYS.between(facts.healthColorSince(), today));
        }
        put(health, "coverage", facts.coverage());
        if (!facts.dimensions().isEmpty()) {
            health.put("dimensions", facts.dimensions());
        }
        if (!facts.measures().isEmpty()) {
            health.put("measures", facts.measures());
        }
        Map<String, Object> values = new HashMap<>();
        values.put("account", account);
        values.put("health", health);
        values.put("attribute", new HashMap<>(facts.attributes()));
        values.put(SEGMENTS, List.copyOf(segments));
        return values;
    }

    /** A JSON value as CEL holds it: whole numbers as long, other numbers as double, maps and lists throughout. */
    private static Object cel(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.scale() <= 0 ? (Object) decimal.longValue() : (Object) decimal.doubleValue();
        }
        if (value instanceof java.math.BigInteger || value instanceof Float) {
            return value instanceof Float f ? (Object) f.doubleValue() : (Object) ((Number) value).longValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new HashMap<>();
            map.forEach((k, v) -> {
                if (v != null) {
                    copy.put(String.valueOf(k), cel(v));
                }
            });
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(v == null ? "" : cel(v)));
            return copy;
        }
        return value;
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static Map<String, CelType> fields(Object... pairs) {
        Map<String, CelType> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put((String) pairs[i], (CelType) pairs[i + 1]);
        }
        return fields;
    }
}
