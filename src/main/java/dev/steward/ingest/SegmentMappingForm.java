package dev.steward.ingest;

import dev.steward.core.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Segment source's mapping as the page edits it: one row per tracked event, page or screen, or group trait, each
 * naming what it fills (a usage metric, or an account field) and, for events and pages, whether that metric is a
 * key feature. Rows become the same settings the API takes as JSON, checked by the same rules; every problem is
 * given back on the row it is about.
 */
record SegmentMappingForm(List<Row> rows) {

    /** What a row maps: a track event's name, a page or screen name, or a group trait. */
    enum Kind {
        events("Track event"),
        pages("Page or screen"),
        traits("Group trait");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One mapping: from a name in Segment's messages to a Steward field; keyFeature only for events and pages. */
    record Row(Kind kind, String from, String to, boolean keyFeature) {}

    /** The settings the rows make, or the problems, each with the row (0-based) it is about; -1 for the whole form. */
    record Checked(ObjectNode settings, Map<Integer, List<String>> problems) {

        boolean valid() {
            return problems.isEmpty();
        }

        /** The problems of one row, for the page. */
        public List<String> of(int row) {
            return problems.getOrDefault(row, List.of());
        }
    }

    /** The rows of a source's current settings: events, then pages, then traits (the defaults when none were set). */
    static SegmentMappingForm of(JsonNode settings) {
        SegmentSettings read = SegmentSettings.of(settings);
        List<Row> rows = new ArrayList<>();
        read.events()
                .forEach((event, metric) -> rows.add(
                        new Row(Kind.events, event, metric, read.keyFeatures().contains(metric))));
        read.pages()
                .forEach((page, metric) -> rows.add(
                        new Row(Kind.pages, page, metric, read.keyFeatures().contains(metric))));
        read.traits().forEach((trait, field) -> rows.add(new Row(Kind.traits, trait, field, false)));
        return new SegmentMappingForm(rows);
    }

    /**
     * The rows as settings, with the settings the form does not edit ({@code accounts}, {@code groupKey}) kept from {@code current}.
     * Blank rows are left out; a name mapped twice in one kind, a trait sent to a metric or an event to an account
     * field, and whatever {@link SegmentSettings#problems} finds are problems of their row.
     */
    Checked check(JsonNode current, Set<String> knownMetrics) {
        Map<Integer, List<String>> problems = new LinkedHashMap<>();
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        ObjectNode events = settings.putObject("events");
        ObjectNode pages = settings.putObject("pages");
        Set<String> keyFeatures = new java.util.LinkedHashSet<>();
        ObjectNode traits = settings.putObject("traits");
        Map<String, Integer> rowOf = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            String from = row.from() == null ? "" : row.from().strip();
            String to = row.to() == null ? "" : row.to().strip();
            if (from.isEmpty() && to.isEmpty()) {
                continue;
            }
            if (row.kind() == null) {
                add(problems, i, "choose what the row maps: a track event, a page or screen, or a group trait");
                continue;
            }
            if (from.isEmpty()) {
                add(problems, i, "name the " + row.kind().label().toLowerCase() + " this row maps");
                continue;
            }
            if (to.isEmpty()) {
                add(problems, i, "choose the Steward field '" + from + "' fills");
                continue;
            }
            if (!seen.add(row.kind() + "\u0000" + from)) {
                add(problems, i, row.kind().label() + " '" + from + "' is mapped twice; keep one row for it");
                continue;
            }
            boolean accountField = SegmentSettings.ACCOUNT_FIELDS.contains(to);
            if (row.kind() == Kind.traits && !accountField) {
                add(
                        problems,
                        i,
                        "a group trait fills an account field (" + SegmentSettings.ACCOUNT_FIELDS_IN_ORDER
                                + "), not the usage metric '" + to + "'");
                continue;
            }
            if (row.kind() != Kind.traits && accountField && !knownMetrics.contains(to)) {
                add(
                        problems,
                        i,
                        row.kind().label().toLowerCase() + "s count as a usage metric; '" + to
                                + "' is an account field, which group traits fill");
                continue;
            }
            ObjectNode map = row.kind() == Kind.events ? events : row.kind() == Kind.pages ? pages : traits;
            map.put(from, to);
            rowOf.put(row.kind().name() + "." + from, i);
            if (row.keyFeature() && row.kind() != Kind.traits) {
                keyFeatures.add(to);
                rowOf.putIfAbsent("keyFeature." + to, i);
            }
        }
        keyFeatures.forEach(settings.putArray("keyFeatures")::add);
        for (String kept : List.of("accounts", "groupKey")) {
            if (current != null && current.has(kept)) {
                settings.set(kept, current.get(kept));
            }
        }
        for (FieldError error : SegmentSettings.problems(settings, knownMetrics)) {
            add(problems, rowOf(error, settings, rowOf), error.reason());
        }
        return new Checked(settings, problems);
    }

    private static int rowOf(FieldError error, ObjectNode settings, Map<String, Integer> rowOf) {
        String field = error.field();
        if (field == null) {
            return -1;
        }
        if (field.startsWith("keyFeatures[")) {
            int index = Integer.parseInt(field.substring("keyFeatures[".length(), field.length() - 1));
            return rowOf.getOrDefault(
                    "keyFeature." + settings.get("keyFeatures").get(index).asString(), -1);
        }
        return rowOf.getOrDefault(field, -1);
    }

    private static void add(Map<Integer, List<String>> problems, int row, String problem) {
        problems.computeIfAbsent(row, r -> new ArrayList<>()).add(problem);
    }
}
