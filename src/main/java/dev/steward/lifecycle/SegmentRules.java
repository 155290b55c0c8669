package dev.steward.lifecycle;

import dev.steward.core.Conditions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The published segments, compiled and ordered so that a segment whose condition reads another's membership ({@code
 * "Other" in segments}) is decided after it; refuses a set in which segments refer to each other in a circle.
 */
final class SegmentRules {

    /** A published segment: its id, document and, for a rule segment, its compiled condition. */
    record Rule(UUID id, SegmentDocument document, Conditions.Compiled condition) {

        String name() {
            return document.name();
        }
    }

    private final List<Rule> ordered;
    private final List<Rule> rules;

    private SegmentRules(List<Rule> ordered) {
        this.ordered = List.copyOf(ordered);
        this.rules =
                this.ordered.stream().filter(rule -> rule.document().isRule()).toList();
    }

    /** The segments in the order they are decided: those a condition refers to before it. */
    List<Rule> ordered() {
        return ordered;
    }

    /** The rule segments, in order. */
    List<Rule> rules() {
        return rules;
    }

    static SegmentRules of(List<Rule> rules) {
        Map<String, Rule> byName = new LinkedHashMap<>();
        rules.forEach(rule -> byName.put(rule.name(), rule));
        List<Rule> ordered = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>();
        for (Rule rule : rules) {
            visit(rule, byName, state, ordered, new ArrayList<>());
        }
        return new SegmentRules(ordered);
    }

    /**
     * The circle of references the documents make, as the names along it ({@code A → B → A}), or {@code null} when
     * there is none.
     */
    static List<String> circle(Map<String, Set<String>> references) {
        Map<String, Integer> state = new HashMap<>();
        for (String name : references.keySet()) {
            List<String> found = circle(name, references, state, new ArrayList<>());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static List<String> circle(
            String name, Map<String, Set<String>> references, Map<String, Integer> state, List<String> path) {
        Integer seen = state.get(name);
        if (seen != null && seen == 2) {
            return null;
        }
        if (seen != null) {
            List<String> found = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            found.add(name);
            return found;
        }
        state.put(name, 1);
        path.add(name);
        for (String other : references.getOrDefault(name, Set.of())) {
            if (references.containsKey(other)) {
                List<String> found = circle(other, references, state, path);
                if (found != null) {
                    return found;
                }
            }
        }
        path.remove(path.size() - 1);
        state.put(name, 2);
        return null;
    }

    private static void visit(
            Rule rule, Map<String, Rule> byName, Map<String, Integer> state, List<Rule> ordered, List<String> path) {
        Integer seen = state.get(rule.name());
        if (seen != null) {
            // 1: a circle, which publishing refuses; the segment is decided without waiting for itself.
            return;
        }
        state.put(rule.name(), 1);
        for (String other : SegmentDocuments.references(rule.document().condition())) {
            Rule referenced = byName.get(other);
            if (referenced != null) {
                visit(referenced, byName, state, ordered, path);
            }
        }
        state.put(rule.name(), 2);
        ordered.add(rule);
    }
}
