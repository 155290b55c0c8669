package dev.steward.insight;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One person's alert rule: a CEL condition watched per account ({@code account}), or a threshold on an executive figure
 * ({@code figure}); the channels it is delivered on, and, for a figure, whether its threshold is crossed now (an
 * account rule keeps that per account). It fires once per crossing: when the condition starts to hold, not while it
 * goes on holding.
 *
 * @param baselineAt when the first evaluation of the rule's current condition finished ({@code null}: not yet; until
 *     then it reports nothing but its initial state)
 * @param holding a figure rule's threshold is crossed now (always false for an account rule)
 * @param lastValue a figure rule's value at its last evaluation ({@code null}: no data)
 * @param lastProblem why the last evaluation could not decide, or {@code null}
 */
record AlertRule(
        UUID id,
        UUID ownerId,
        String name,
        Kind kind,
        @Nullable String condition,
        @Nullable Scope scope,
        @Nullable AlertFigure figure,
        @Nullable String tier,
        @Nullable UUID figureOwnerId,
        @Nullable Operator operator,
        @Nullable BigDecimal threshold,
        Set<Channel> channels,
        Delivery delivery,
        @Nullable String webhookTopic,
        boolean enabled,
        @Nullable Instant baselineAt,
        boolean holding,
        @Nullable BigDecimal lastValue,
        @Nullable Instant evaluatedAt,
        @Nullable String lastProblem,
        Instant createdAt,
        Instant updatedAt) {

    /** What a rule watches. */
    enum Kind {
        /** A CEL condition, per account. */
        account,
        /** A threshold on an executive figure. */
        figure
    }

    /** Whose accounts an account rule watches. */
    enum Scope {
        /** The owner's book: the accounts they own (a manager: with their team's). */
        book,
        /** Every account. */
        all
    }

    /** Which side of its threshold a figure crosses to. */
    enum Operator {
        above,
        below;

        /** Whether the value is past the threshold: strictly above, or strictly below. */
        boolean crossed(BigDecimal value, BigDecimal threshold) {
            int compared = value.compareTo(threshold);
            return this == above ? compared > 0 : compared < 0;
        }
    }

    /** Where a firing goes. Email always lands in the in-app list too, as every notification does. */
    enum Channel {
        in_app,
        email,
        webhook
    }

    /** When email goes: at once, or in the owner's daily digest. */
    enum Delivery {
        immediate,
        digest
    }

    /** The webhook event kind of its firings: {@code alert.<topic>}, {@code alert.fired} without one. */
    String webhookKind() {
        return "alert." + (webhookTopic == null ? "fired" : webhookTopic);
    }

    /** Whether a change to the rule starts it over: a new condition or threshold is reported afresh. */
    boolean watchesTheSameAs(AlertRule other) {
        return kind == other.kind
                && java.util.Objects.equals(condition, other.condition)
                && scope == other.scope
                && figure == other.figure
                && java.util.Objects.equals(tier, other.tier)
                && java.util.Objects.equals(figureOwnerId, other.figureOwnerId)
                && operator == other.operator
                && (threshold == null
                        ? other.threshold == null
                        : other.threshold != null && threshold.compareTo(other.threshold) == 0);
    }
}
