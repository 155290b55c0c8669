package dev.steward.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The parts of the API a key may be given, each for reading or for writing. A request's area follows from its path:
 * an account's records and its health are {@link #ACCOUNTS}; what happened with it (tickets, notes, meetings,
 * invoices, survey answers, churn events, its timeline, CTAs) is {@link #ACTIVITY}; product usage is {@link #USAGE};
 * everything else — scorecards, segments, lifecycle, playbooks, books, data sources and connectors, imports, users,
 * keys, reports, backtests, audit — is {@link #CONFIGURATION}, and so is any path not named here.
 */
public enum ApiArea {
    @JsonProperty("accounts")
    ACCOUNTS,
    @JsonProperty("activity")
    ACTIVITY,
    @JsonProperty("usage")
    USAGE,
    @JsonProperty("configuration")
    CONFIGURATION;

    private static final String API = "/api/v1/";

    private static final Set<String> ACCOUNT_RECORDS =
            Set.of("accounts", "contacts", "contracts", "opportunities", "account-attributes", "health");

    private static final Set<String> ACTIVITY_RECORDS = Set.of(
            "churn-events",
            "invoices",
            "meetings",
            "notes",
            "sentiments",
            "survey-responses",
            "tickets",
            "timeline",
            "ctas");

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ApiArea> named(String value) {
        return Arrays.stream(values()).filter(a -> a.value().equals(value)).findFirst();
    }

    /** The area of a request to this path (without the context path). */
    static ApiArea of(String path) {
        if (!path.startsWith(API)) {
            return CONFIGURATION;
        }
        String[] parts = path.substring(API.length()).split("/");
        String first = parts[0];
        if (first.equals("usage")) {
            return USAGE;
        }
        if (ACTIVITY_RECORDS.contains(first)) {
            return ACTIVITY;
        }
        if (first.equals("accounts") && parts.length >= 3) {
            // /api/v1/accounts/{id}/<what>: the account's usage and activity are their own areas.
            String what = parts[2];
            if (what.equals("usage")) {
                return USAGE;
            }
            if (ACTIVITY_RECORDS.contains(what)) {
                return ACTIVITY;
            }
        }
        return ACCOUNT_RECORDS.contains(first) ? ACCOUNTS : CONFIGURATION;
    }
}
