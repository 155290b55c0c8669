package dev.steward.customer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/**
 * A customer account as stored: its segment attributes, owner, place in the hierarchy, ids in other systems, the ARR
 * and next renewal derived from its contracts, its current health as last scored ({@code null} before that) or, for a
 * former customer, since when and why it churned instead ({@code null} while it is a customer), or, for a customer
 * without a score, why not ({@code unscored}). {@code stage} is the
 * journey stage the lifecycle module's rules (or a person, by hand) put it in, {@code null} while it is in none;
 * {@code lifecycleStage} is the older stage field as typed or imported, kept as recorded and decided by nothing.
 */
public record Account(
        AccountId id,
        String name,
        AccountId parentId,
        String tier,
        String industry,
        String region,
        Integer employees,
        UUID ownerId,
        JourneyStage stage,
        LifecycleStage lifecycleStage,
        Map<String, Object> customFields,
        Map<String, String> externalIds,
        BigDecimal arr,
        LocalDate renewalDate,
        Health health,
        Churn churn,
        Unscored unscored,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    /**
     * The account's current health as the health module last scored it: the score and color that count (an
     * override's, when one applies), the change of the computed score over 30 days ({@code null} without a score
     * then), whether an override is in force, and the score and color the scorecard computed (the same as the first
     * two without an override).
     */
    public record Health(
            double score,
            String color,
            Double trend30,
            boolean overridden,
            double computedScore,
            String computedColor) {

        /** The health of an account without an override. */
        public Health(double score, String color, Double trend30) {
            this(score, color, trend30, false, score, color);
        }
    }

    /**
     * Why a customer has no health score: {@code no-scorecard} when no published scorecard applied to it at its last
     * re-score (the reason names the scorecards and what they apply to), {@code pending} while it waits for its first
     * re-score (a new account is scored within seconds of its creation).
     */
    public record Unscored(String status, String reason) {

        /** No published scorecard applied to the account when it was last re-scored. */
        public static final String NO_SCORECARD = "no-scorecard";

        /** The account has not been re-scored since it was created. */
        public static final String PENDING = "pending";
    }

    /** Monthly recurring revenue: ARR spread over twelve months. */
    @com.fasterxml.jackson.annotation.JsonProperty("mrr")
    public BigDecimal mrr() {
        return arr.divide(BigDecimal.valueOf(12), 2, RoundingMode.HALF_UP);
    }
}
