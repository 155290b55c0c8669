package dev.steward.lifecycle;

import dev.steward.core.Conditions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The journey in force with each stage's entry rule compiled, and its exit rule ({@code null} where it has none);
 * empty when no journey is published.
 */
record JourneyRules(JourneyDocument document, List<Conditions.Compiled> entries, List<Conditions.Compiled> exits) {

    static JourneyRules none() {
        return new JourneyRules(null, List.of(), List.of());
    }

    static JourneyRules of(JourneyDocument document, Conditions conditions) {
        List<Conditions.Compiled> entries = new ArrayList<>();
        List<Conditions.Compiled> exits = new ArrayList<>();
        document.stages().forEach(stage -> {
            entries.add(conditions.compile(stage.entry()));
            exits.add(stage.exit() == null ? null : conditions.compile(stage.exit()));
        });
        return new JourneyRules(document, entries, Collections.unmodifiableList(exits));
    }

    boolean isEmpty() {
        return document == null;
    }

    /** The stage an account with these values belongs in: the last, in the journey's order, whose entry rule holds. */
    JourneyDocument.Stage decide(Map<String, Object> values) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).evaluate(values).holds()) {
                return document.stages().get(i);
            }
        }
        return null;
    }

    /** Whether the stage has an exit rule: only then can a hold by hand in it end before its day. */
    boolean hasExit(String stage) {
        return exit(stage) != null;
    }

    /**
     * Whether the exit rule of the stage holds for an account with these values, ending a hold by hand in it; false for
     * a stage without one, or not in the journey.
     */
    boolean exits(String stage, Map<String, Object> values) {
        Conditions.Compiled exit = exit(stage);
        return exit != null && exit.evaluate(values).holds();
    }

    private Conditions.Compiled exit(String stage) {
        if (document == null) {
            return null;
        }
        for (int i = 0; i < exits.size(); i++) {
            if (document.stages().get(i).key().equals(stage)) {
                return exits.get(i);
            }
        }
        return null;
    }
}
