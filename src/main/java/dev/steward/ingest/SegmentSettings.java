package dev.steward.ingest;

import dev.steward.core.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a Segment source's events mean: which tracked events and which pages or screens count as which usage metric,
 * which of those metrics are the product's key features, which group traits fill which account field, and which
 * account fields the source may set at all.
 *
 * @param events track event name → metric key, e.g. {@code "Report Created" → "feature.reports"}
 * @param pages page or screen name → metric key
 * @param keyFeatures metric keys that count as key features ({@code key_features_used} counts those used on a day)
 * @param traits group trait → account field (name, tier, industry, region, employees)
 * @param accounts whether group calls may create accounts, and which fields they may change on accounts that exist
 * @param groupKey the Amplitude group type or Mixpanel group key whose value is the account's id (groupId), for events
 *     sent to the Amplitude and Mixpanel endpoints
 */
record SegmentSettings(
        Map<String, String> events,
        Map<String, String> pages,
        Set<String> keyFeatures,
        Map<String, String> traits,
        AccountWrites accounts,
        String groupKey) {

    static final String DEFAULT_GROUP_KEY = "company_id";

    /**
     * What a source's group calls may do to accounts. A write key sits in browser code, where anyone can read it and
     * send group calls with it: by default a source creates the accounts it sees and keeps their segment fields up to
     * date, but does not rename an account that exists; the name comes from the CRM unless an administrator lets this
     * source set it.
     *
     * @param create whether a group call for a groupId no account has creates the account
     * @param update the account fields a group call may change on an account that exists
     */
    record AccountWrites(boolean create, Set<String> update) {

        static final AccountWrites DEFAULT =
                new AccountWrites(true, new LinkedHashSet<>(List.of("tier", "industry", "region", "employees")));

        /** Whether a group call may set this field on an account that exists. */
        public boolean mayUpdate(String field) {
            return update.contains(field);
        }
    }

    /** Every tracked event, page and screen view. */
    static final String EVENTS = "events";

    static final String ACTIVE_USERS = "active_users";
    static final String ACTIVE_USERS_7D = "active_users_7d";
    static final String ACTIVE_USERS_30D = "active_users_30d";
    static final String KEY_FEATURES_USED = "key_features_used";

    /** Metrics the processor computes itself, which no event may be mapped to. */
    static final Set<String> COMPUTED =
            Set.of(EVENTS, ACTIVE_USERS, ACTIVE_USERS_7D, ACTIVE_USERS_30D, KEY_FEATURES_USED);

    static final List<String> ACCOUNT_FIELDS_IN_ORDER = List.of("name", "tier", "industry", "region", "employees");

    static final Set<String> ACCOUNT_FIELDS = Set.copyOf(ACCOUNT_FIELDS_IN_ORDER);

    static final Map<String, String> DEFAULT_TRAITS = orderedMap(
            "name", "name", "industry", "industry", "employees", "employees", "plan", "tier", "region", "region");

    private static final Set<String> SETTINGS =
            Set.of("events", "pages", "keyFeatures", "traits", "accounts", "groupKey");

    /** The settings of a source, already validated when they were saved; what is missing takes its default. */
    static SegmentSettings of(JsonNode settings) {
        Map<String, String> traits = strings(settings, "traits");
        return new SegmentSettings(
                strings(settings, "events"),
                strings(settings, "pages"),
                new LinkedHashSet<>(list(settings, "keyFeatures")),
                settings != null && settings.has("traits") ? traits : DEFAULT_TRAITS,
                accountWrites(settings == null ? null : settings.get("accounts")),
                groupKey(settings));
    }

    private static String groupKey(JsonNode settings) {
        JsonNode key = settings == null ? null : settings.get("groupKey");
        return key != null && key.isString() && !key.asString().isBlank() ? key.asString() : DEFAULT_GROUP_KEY;
    }

    private static AccountWrites accountWrites(JsonNode accounts) {
        if (accounts == null || !accounts.isObject()) {
            return AccountWrites.DEFAULT;
        }
        JsonNode create = accounts.get("create");
        JsonNode update = accounts.get("update");
        Set<String> fields = new LinkedHashSet<>();
        if (update != null && update.isArray()) {
            update.forEach(f -> {
                if (f.isString()) {
                    fields.add(f.asString());
                }
            });
        }
        return new AccountWrites(
                create == null || !create.isBoolean() ? AccountWrites.DEFAULT.create() : create.asBoolean(),
                update == null || !update.isArray() ? AccountWrites.DEFAULT.update() : fields);
    }

    /** What is wrong with settings someone wants to save, each with the setting and the reason; empty when fine. */
    static List<FieldError> problems(JsonNode settings, Set<String> knownMetrics) {
        List<FieldError> errors = new ArrayList<>();
        if (settings == null || !settings.isObject()) {
            errors.add(FieldError.of(
                    null,
                    "settings must be a JSON object such as {\"events\": {\"Report Created\":"
                            + " \"feature.reports\"}}"));
            return errors;
        }
        for (String name : settings.propertyNames()) {
            if (!SETTINGS.contains(name)) {
                errors.add(FieldError.of(name, "is not a setting of a Segment source; the settings are " + SETTINGS));
            }
        }
        Set<String> mapped = new LinkedHashSet<>();
        for (String map : List.of("events", "pages")) {
            JsonNode node = settings.get(map);
            if (node == null || node.isNull()) {
                continue;
            }
            if (!node.isObject()) {
                errors.add(FieldError.of(map, "must be an object of name → metric key"));
                continue;
            }
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String field = map + "." + entry.getKey();
                JsonNode metric = entry.getValue();
                if (!metric.isString()) {
                    errors.add(FieldError.of(field, "must be a metric key (a string), got " + metric));
                } else if (COMPUTED.contains(metric.asString())) {
                    errors.add(FieldError.of(
                            field,
                            "'" + metric.asString() + "' is computed from all events; map events to a metric that"
                                    + " counts them, such as feature.reports"));
                } else if (!knownMetrics.contains(metric.asString())) {
                    errors.add(FieldError.of(
                            field,
                            "unknown metric '" + metric.asString() + "'; add it to the catalog first (POST"
                                    + " /api/v1/usage/metrics) or use one of " + knownMetrics));
                } else {
                    mapped.add(metric.asString());
                }
            }
        }
        JsonNode features = settings.get("keyFeatures");
        if (features != null && !features.isNull()) {
            if (!features.isArray()) {
                errors.add(FieldError.of("keyFeatures", "must be a list of metric keys"));
            } else {
                for (int i = 0; i < features.size(); i++) {
                    JsonNode feature = features.get(i);
                    String field = "keyFeatures[" + i + "]";
                    if (!feature.isString()) {
                        errors.add(FieldError.of(field, "must be a metric key (a string), got " + feature));
                    } else if (!mapped.contains(feature.asString())) {
                        errors.add(FieldError.of(
                                field,
                                "'" + feature.asString() + "' is not the metric of any event or page in this"
                                        + " source's mapping " + mapped));
                    }
                }
            }
        }
        JsonNode traits = settings.get("traits");
        if (traits != null && !traits.isNull()) {
            if (!traits.isObject()) {
                errors.add(FieldError.of("traits", "must be an object of group trait → account field"));
            } else {
                for (Map.Entry<String, JsonNode> entry : traits.properties()) {
                    JsonNode field = entry.getValue();
                    if (!field.isString() || !ACCOUNT_FIELDS.contains(field.asString())) {
                        errors.add(FieldError.of(
                                "traits." + entry.getKey(),
                                "must name an account field, one of " + ACCOUNT_FIELDS + "; got " + field));
                    }
                }
            }
        }
        JsonNode groupKey = settings.get("groupKey");
        if (groupKey != null
                && !groupKey.isNull()
                && (!groupKey.isString() || groupKey.asString().isBlank())) {
            errors.add(FieldError.of(
                    "groupKey",
                    "must name the Amplitude group type or Mixpanel group key that holds the account's id, such as"
                            + " \"company_id\"; got " + groupKey));
        }
        JsonNode accounts = settings.get("accounts");
        if (accounts != null && !accounts.isNull()) {
            if (!accounts.isObject()) {
                errors.add(FieldError.of(
                        "accounts",
                        "must be an object such as {\"create\": true, \"update\": [\"tier\", \"employees\"]}"));
            } else {
                for (Map.Entry<String, JsonNode> entry : accounts.properties()) {
                    String field = "accounts." + entry.getKey();
                    JsonNode value = entry.getValue();
                    switch (entry.getKey()) {
                        case "create" -> {
                            if (!value.isBoolean()) {
                                errors.add(FieldError.of(field, "must be true or false, got " + value));
                            }
                        }
                        case "update" -> {
                            if (!value.isArray()) {
                                errors.add(FieldError.of(
                                        field, "must be a list of account fields, one of " + ACCOUNT_FIELDS));
                            } else {
                                for (int i = 0; i < value.size(); i++) {
                                    JsonNode f = value.get(i);
                                    if (!f.isString() || !ACCOUNT_FIELDS.contains(f.asString())) {
                                        errors.add(FieldError.of(
                                                field + "[" + i + "]",
                                                "must name an account field, one of " + ACCOUNT_FIELDS + "; got " + f));
                                    }
                                }
                            }
                        }
                        default ->
                            errors.add(FieldError.of(
                                    field, "is not an accounts setting; the settings are create and update"));
                    }
                }
            }
        }
        return errors;
    }

    /** The metric a tracked event counts as, or null. */
    String metricOfEvent(String event) {
        return event == null ? null : events.get(event);
    }

    /** The metric a page or screen view counts as, or null. */
    String metricOfPage(String page) {
        return page == null ? null : pages.get(page);
    }

    private static Map<String, String> strings(JsonNode settings, String name) {
        Map<String, String> map = new LinkedHashMap<>();
        JsonNode node = settings == null ? null : settings.get(name);
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getValue().isString()) {
                    map.put(e.getKey(), e.getValue().asString());
                }
            });
        }
        return map;
    }

    private static List<String> list(JsonNode settings, String name) {
        List<String> list = new ArrayList<>();
        JsonNode node = settings == null ? null : settings.get(name);
        if (node != null && node.isArray()) {
            node.forEach(n -> {
                if (n.isString()) {
                    list.add(n.asString());
                }
            });
        }
        return list;
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
