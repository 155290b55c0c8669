package dev.steward.lifecycle;

import java.util.List;

/**
 * The customer journey: lifecycle stages in order, each with an entry rule (CEL). An account is in the last stage, in
 * this order, whose entry rule holds for it; in none when none holds.
 */
record JourneyDocument(String name, String description, List<Stage> stages, List<Milestone> milestones) {

    JourneyDocument {
        stages = List.copyOf(stages);
        milestones = List.copyOf(milestones);
    }

    /**
     * An onboarding milestone: due a number of days after the account's first contract started; the one marked
     * {@code firstValue} is when the customer first got value (time to value is measured to its completion).
     */
    record Milestone(String key, String name, int dueDays, boolean firstValue) {}

    /** A stage: its key (kept in facts and the API), the name people read, and when an account is in it. */
    record Stage(String key, String name, String description, String entry) {}

    Stage stage(String key) {
        return stages.stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
    }
}
