package dev.steward.lifecycle;

import java.util.List;

/**
 * The customer journey: lifecycle stages in order, each with an entry rule (CEL). An account is in the last stage, in
 * this order, whose entry rule holds for it; in none when none holds.
 */
record JourneyDocument(String name, String description, List<Stage> stages) {

    JourneyDocument {
        stages = List.copyOf(stages);
    }

    /** A stage: its key (kept in facts and the API), the name people read, and when an account is in it. */
    record Stage(String key, String name, String description, String entry) {}

    Stage stage(String key) {
        return stages.stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
    }
}
