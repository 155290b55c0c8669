package dev.steward.lifecycle;

import java.util.List;

/**
 * The customer journey: lifecycle stages in order, each with an entry rule (CEL) and optionally an exit rule. An account
 * is in the last stage, in this order, whose entry rule holds for it; in none when none holds. An account moved into a
 * stage by hand stays there until the hold's day, or until the stage's exit rule holds for it.
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

    /**
     * A stage: its key (kept in facts and the API), the name people read, when an account is in it, and optionally
     * ({@code null}: none) when a hold by hand in it ends before its day.
     */
    record Stage(String key, String name, String description, String entry, String exit) {}

    Stage stage(String key) {
        return stages.stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
    }
}
