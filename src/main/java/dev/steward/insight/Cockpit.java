package dev.steward.insight;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A CSM's morning in one answer: whose book it is (one CSM's, or a manager's team's), what to do today ranked with
 * the reason each item is there and why it ranks where it does, the book's health by color in accounts and ARR, and
 * the ARR at risk. The trend and the week's events are asked for apart ({@link CockpitHistory}): they read much more
 * and matter less at nine in the morning.
 */
public record Cockpit(
        LocalDate day,
        List<Person> owners,
        long accounts,
        BigDecimal arr,
        List<Priority> priorities,
        int totalPriorities,
        List<KindCount> priorityCounts,
        List<ColorShare> distribution,
        AtRisk atRisk,
        List<String> rankingRule) {

    /** Someone whose book the cockpit shows. */
    public record Person(UUID id, String name, String email) {}

    /**
     * One thing to do: its place in the list, its kind (see {@link CockpitPriorities.Kind}), the account and its
     * owner, ARR and color, why it is on the list ({@code reason}), how its place was decided ({@code rankedBy}: the
     * kind's tier and the weight within it), and what to open: the account, or the CTA.
     */
    public record Priority(
            int rank,
            String kind,
            int tier,
            UUID accountId,
            String accountName,
            UUID ownerId,
            BigDecimal arr,
            String color,
            String reason,
            BigDecimal weight,
            String rankedBy,
            String link,
            UUID ctaId) {}

    /** How many priorities of a kind the book has, beyond those listed too. */
    public record KindCount(String kind, String label, long count) {}

    /** A color's accounts and their ARR now; {@code unscored} for accounts without a score yet. */
    public record ColorShare(String color, long accounts, BigDecimal arr) {}

    /** ARR at risk: Red and Yellow accounts' ARR; Black (too little data to say) apart. */
    public record AtRisk(BigDecimal total, BigDecimal red, BigDecimal yellow, BigDecimal black) {}
}
