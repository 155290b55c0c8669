package dev.steward.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The customers that no published scorecard applies to, and so are never scored, grouped by the account attributes
 * that decide which scorecard applies ({@code decidedBy}: those the published conditions read, or the segment when
 * they read none of them). Former customers are not scored anyway: they are counted apart.
 */
public record UnassignedAccounts(
        int accounts, BigDecimal arr, int formerCustomers, List<String> decidedBy, List<Group> groups) {

    public UnassignedAccounts {
        decidedBy = List.copyOf(decidedBy);
        groups = List.copyOf(groups);
    }

    /**
     * The customers that share these values of the deciding attributes ({@code null}: the account has none): how many
     * and their ARR, a condition that selects them for a new scorecard's {@code appliesTo} and a name for it that is
     * free, the accounts list filtered to them ({@code listPath}, absent when the list cannot filter by these
     * attributes) and the same list in the API.
     */
    public record Group(
            // An attribute the accounts do not have is shown as null, not left out.
            @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
            Map<String, String> attributes,

            String label,
            int accounts,
            BigDecimal arr,
            String appliesTo,
            String suggestedName,
            String listPath,
            String apiPath) {

        public Group {
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }
    }
}
