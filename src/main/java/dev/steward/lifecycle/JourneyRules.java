package dev.steward.lifecycle;

import dev.steward.core.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The journey in force with each stage's entry rule compiled; empty when no journey is published. */
record JourneyRules(JourneyDocument document, List<Conditions.Compiled> entries) {

    static JourneyRules none() {
        return new JourneyRules(null, List.of());
    }

    static JourneyRules of(JourneyDocument document, Conditions conditions) {
        List<Conditions.Compiled> entries = new ArrayList<>();
        document.stages().forEach(stage -> entries.add(conditions.compile(stage.entry())));
        return new JourneyRules(document, entries);
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
}
