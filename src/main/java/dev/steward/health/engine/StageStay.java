package dev.steward.health.engine;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One stay of an account in a lifecycle stage, as measures read it: the stage's key, when the account entered it and
 * when it left ({@code null} while it is in).
 */
public record StageStay(
        String stage, Instant entered, @Nullable Instant left) {

    public StageStay {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(entered, "entered");
    }

    /** Whether the account was in this stage at the instant: entered by then and not yet left. */
    boolean heldAt(Instant at) {
        return entered.isBefore(at) && (left == null || !left.isBefore(at));
    }
}
