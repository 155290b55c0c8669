package dev.steward.health;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.steward.health.engine.Color;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.UUID;

/**
 * A CSM's "I disagree with this score": on a day the model said {@code modelColor} ({@code modelScore} under {@code
 * scorecard} v{@code scorecardVersion}, as stored that day), and the CSM says it should have been {@code
 * suggestedColor}, because of {@code reason}. Open until an administrator reviews it: {@code decision}, {@code
 * reviewNote}, {@code reviewedBy} and {@code reviewedAt} are then set. Reviewing records a judgement; it never changes
 * a score (an override does that).
 */
public record ScoreDisagreement(
        UUID id,
        UUID account,
        LocalDate day,
        Color modelColor,
        double modelScore,
        String scorecard,
        int scorecardVersion,
        Color suggestedColor,
        String reason,
        UUID authorId,
        String authorLogin,
        String author,
        Instant createdAt,
        Decision decision,
        String reviewNote,
        String reviewedBy,
        Instant reviewedAt) {

    /** The longest reason or review note kept, in characters. */
    public static final int MAX_TEXT = 2000;

    /** An administrator's judgement of a disagreement. */
    public enum Decision {
        /** The CSM has a point; an override, if wanted, is set apart. */
        ACCEPTED,
        /** The score stands, for the reason in the note. */
        DISMISSED;

        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether it still waits for a review. */
    public boolean open() {
        return decision == null;
    }

    /** "open" until reviewed, then "reviewed": what the review queue filters by. */
    @JsonProperty("status")
    public String status() {
        return open() ? "open" : "reviewed";
    }

    /** Whether the CSM said the account was worse off than the model did (Red is worse than Yellow, than Green). */
    public boolean csmSaidWorse() {
        return rank(suggestedColor) < rank(modelColor);
    }

    private static int rank(Color color) {
        return switch (color) {
            case RED -> 0;
            case YELLOW -> 1;
            case GREEN -> 2;
            case BLACK -> throw new IllegalStateException("a disagreement is never about a black score");
        };
    }
}
