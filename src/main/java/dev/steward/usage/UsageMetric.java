package dev.steward.usage;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A metric in the catalog, such as {@code logins} or {@code feature.reports}, and how its daily values combine. */
public record UsageMetric(
        @NotBlank
        @Size(max = 100)
        @Pattern(
                regexp = "[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*",
                message = "must be lower case words joined by '_' or '.', such as feature.reports")
        String key,

        @NotBlank @Size(max = 200) String name,
        @Size(max = 2000) String description,
        @NotBlank @Size(max = 50) String unit,
        @NotNull Aggregation aggregation) {

    /**
     * Key prefixes that name facts of other kinds in scorecards (tickets, invoices, meetings, contacts, contracts,
     * surveys, sentiment, account attributes): a usage metric named so would be read as the other fact, so none may be.
     */
    public static final java.util.List<String> RESERVED_PREFIXES = java.util.List.of(
            "tickets.",
            "invoices.",
            "meetings.",
            "contacts.",
            "contracts.",
            "surveys.",
            "sentiment.",
            "attribute.",
            "lifecycle.");

    /** Why this key may not name a usage metric, or {@code null} when it may. */
    public static String reservedReason(String key) {
        for (String prefix : RESERVED_PREFIXES) {
            if (key != null && key.startsWith(prefix)) {
                return "keys starting with '" + prefix + "' name facts of another kind in scorecards; choose another"
                        + " prefix (reserved: " + RESERVED_PREFIXES + ")";
            }
        }
        return null;
    }

    /** How daily values combine over a window: summed, or the highest day (for counts of distinct users). */
    public enum Aggregation {
        sum,
        max
    }
}
