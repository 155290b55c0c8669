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

    /** How daily values combine over a window: summed, or the highest day (for counts of distinct users). */
    public enum Aggregation {
        sum,
        max
    }
}
