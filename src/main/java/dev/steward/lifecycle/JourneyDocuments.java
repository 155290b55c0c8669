package dev.steward.lifecycle;

import dev.steward.core.Conditions;
import dev.steward.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads and checks the journey document (YAML): every problem at once, each at its line and column, including those
 * inside a stage's entry or exit rule.
 */
final class JourneyDocuments {

    static final int MAXIMUM_LENGTH = 64 * 1024;
    static final int MAXIMUM_STAGES = 20;
    static final int MAXIMUM_MILESTONES = 30;
    static final int MAXIMUM_DUE_DAYS = 365;

    private static final List<String> KEYS = List.of("name", "description", "stages", "milestones");
    private static final List<String> MILESTONE_KEYS = List.of("key", "name", "dueDays", "firstValue");
    private static final List<String> STAGE_KEYS = List.of("key", "name", "description", "entry", "exit");
    private static final Pattern STAGE_KEY = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    private static final Comparator<SegmentProblem> BY_PLACE = Comparator.comparing(
                    SegmentProblem::line, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(SegmentProblem::column, Comparator.nullsLast(Comparator.naturalOrder()));

    private final Conditions conditions;

    /** Documents whose entry rules are checked against these declarations ({@link SegmentVariables#declareForStages}). */
    JourneyDocuments(Conditions conditions) {
        this.conditions = conditions;
    }

    /** A journey document as read: the document ({@code null} unless it is valid) and every problem, by place. */
    record Check(JourneyDocument document, List<SegmentProblem> problems) {

        boolean isValid() {
            return document != null && problems.isEmpty();
        }
    }

    Check read(String yaml) {
        List<SegmentProblem> problems = new ArrayList<>();
        MappingNode mapping = mapping(yaml, "a journey", "name, description and stages", problems);
        if (mapping == null) {
            return new Check(null, problems);
        }
        Node root = mapping;
        Map<String, Node> fields = fields(mapping, KEYS, "", "A journey has", problems);
        Mark top = root.getStartMark();
        String name = scalar(fields, "name", "", problems);
        if (name == null || name.isBlank()) {
            problems.add(place(fields, "name", top, "name", "is required and must not be blank"));
        } else if (name.length() > 100) {
            problems.add(place(fields, "name", top, "name", "has " + name.length() + " characters; at most 100"));
        }
        String description = scalar(fields, "description", "", problems);
        List<JourneyDocument.Stage> stages = new ArrayList<>();
        Node list = fields.get("stages");
        if (list == null) {
            problems.add(SegmentDocuments.at(
                    top, "stages", "is required: the stages in order, each with key, name and entry"));
        } else if (!(list instanceof SequenceNode sequence)
                || sequence.getValue().isEmpty()) {
            problems.add(SegmentDocuments.at(
                    list.getStartMark(), "stages", "must be a list of stages, each with key, name and entry"));
        } else if (sequence.getValue().size() > MAXIMUM_STAGES) {
            problems.add(SegmentDocuments.at(
                    list.getStartMark(),
                    "stages",
                    "has " + sequence.getValue().size() + " stages; at most " + MAXIMUM_STAGES));
        } else {
            Set<String> keys = new HashSet<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < sequence.getValue().size(); i++) {
                JourneyDocument.Stage stage = stage(yaml, sequence.getValue().get(i), i, keys, names, problems);
                if (stage != null) {
                    stages.add(stage);
                }
            }
        }
        List<JourneyDocument.Milestone> milestones = new ArrayList<>();
        Node checklist = fields.get("milestones");
        if (checklist != null) {
            if (!(checklist instanceof SequenceNode sequence)) {
                problems.add(SegmentDocuments.at(
                        checklist.getStartMark(),
                        "milestones",
                        "must be a list of milestones, each with key, name and dueDays"));
            } else if (sequence.getValue().size() > MAXIMUM_MILESTONES) {
                problems.add(SegmentDocuments.at(
                        checklist.getStartMark(),
                        "milestones",
                        "has " + sequence.getValue().size() + " milestones; at most " + MAXIMUM_MILESTONES));
            } else {
                Set<String> keys = new HashSet<>();
                for (int i = 0; i < sequence.getValue().size(); i++) {
                    JourneyDocument.Milestone milestone =
                            milestone(sequence.getValue().get(i), i, keys, problems);
                    if (milestone != null) {
                        milestones.add(milestone);
                    }
                }
                List<String> firstValue = milestones.stream()
                        .filter(JourneyDocument.Milestone::firstValue)
                        .map(JourneyDocument.Milestone::key)
                        .toList();
                if (firstValue.size() > 1) {
                    problems.add(SegmentDocuments.at(
                            checklist.getStartMark(),
                            "milestones",
                            "marks " + firstValue + " as firstValue; at most one milestone is when the customer"
                                    + " first got value"));
                }
            }
        }
        problems.sort(BY_PLACE);
        return new Check(
                problems.isEmpty()
                        ? new JourneyDocument(name, description == null ? "" : description, stages, milestones)
                        : null,
                problems);
    }

    private JourneyDocument.Stage stage(
            String yaml, Node node, int index, Set<String> keys, Set<String> names, List<SegmentProblem> problems) {
        String field = "stages[" + index + "]";
        if (!(node instanceof MappingNode mapping)) {
            problems.add(SegmentDocuments.at(node.getStartMark(), field, "must be a mapping with key, name and entry"));
            return null;
        }
        int before = problems.size();
        Map<String, Node> fields = fields(mapping, STAGE_KEYS, field + ".", "A stage has", problems);
        Mark start = node.getStartMark();
        String key = key(fields, start, field, "stage", "onboarding", keys, problems);
        String name = scalar(fields, "name", field + ".", problems);
        if (name == null || name.isBlank()) {
            problems.add(place(fields, "name", start, field + ".name", "is required and must not be blank"));
        } else if (name.length() > 60) {
            problems.add(
                    place(fields, "name", start, field + ".name", "has " + name.length() + " characters; at most 60"));
        } else if (!names.add(name.toLowerCase(java.util.Locale.ROOT))) {
            problems.add(
                    place(fields, "name", start, field + ".name", "'" + name + "' is the name of an earlier stage"));
        }
        String description = scalar(fields, "description", field + ".", problems);
        String entry = scalar(fields, "entry", field + ".", problems);
        if (entry == null || entry.isBlank()) {
            problems.add(place(
                    fields,
                    "entry",
                    start,
                    field + ".entry",
                    "is required: a CEL expression that is true while an account is in this stage, such as"
                            + " account.daysToRenewal <= 120"));
        } else {
            rule(yaml, fields, "entry", entry, field, problems);
        }
        String exit = scalar(fields, "exit", field + ".", problems);
        if (exit != null && exit.isBlank()) {
            problems.add(place(
                    fields,
                    "exit",
                    start,
                    field + ".exit",
                    "must not be blank: leave it out, or give a CEL expression that is true once a hold by hand in"
                            + " this stage should end, such as account.daysToRenewal > 120"));
        } else if (exit != null) {
            rule(yaml, fields, "exit", exit, field, problems);
        }
        return problems.size() > before
                ? null
                : new JourneyDocument.Stage(key, name, description == null ? "" : description, entry, exit);
    }

    /** Compiles a stage's entry or exit rule; its problems are placed at their line and column in the document. */
    private void rule(
            String yaml,
            Map<String, Node> fields,
            String key,
            String rule,
            String field,
            List<SegmentProblem> problems) {
        if (!(fields.get(key) instanceof ScalarNode node)) {
            return;
        }
        for (Conditions.Problem problem : conditions.compile(rule).problems()) {
            SegmentProblem placed =
                    SegmentDocuments.inYaml(yaml, node, rule, problem.line(), problem.column(), problem.reason());
            problems.add(new SegmentProblem(placed.line(), placed.column(), field + "." + key, placed.reason()));
        }
    }

    private static JourneyDocument.Milestone milestone(
            Node node, int index, Set<String> keys, List<SegmentProblem> problems) {
        String field = "milestones[" + index + "]";
        if (!(node instanceof MappingNode mapping)) {
            problems.add(
                    SegmentDocuments.at(node.getStartMark(), field, "must be a mapping with key, name and dueDays"));
            return null;
        }
        int before = problems.size();
        Map<String, Node> fields = fields(mapping, MILESTONE_KEYS, field + ".", "A milestone has", problems);
        Mark start = node.getStartMark();
        String key = key(fields, start, field, "milestone", "kickoff", keys, problems);
        String name = scalar(fields, "name", field + ".", problems);
        if (name == null || name.isBlank() || name.length() > 80) {
            problems.add(place(fields, "name", start, field + ".name", "is required, at most 80 characters"));
        }
        String due = scalar(fields, "dueDays", field + ".", problems);
        int dueDays = 0;
        try {
            dueDays = due == null ? -1 : Integer.parseInt(due.strip());
        } catch (NumberFormatException e) {
            dueDays = -1;
        }
        if (dueDays < 0 || dueDays > MAXIMUM_DUE_DAYS) {
            problems.add(place(
                    fields,
                    "dueDays",
                    start,
                    field + ".dueDays",
                    (due == null ? "is required" : "is '" + due + "'") + ": the whole days after the first contract"
                            + " started by which it is due, 0 to " + MAXIMUM_DUE_DAYS));
        }
        String firstValue = scalar(fields, "firstValue", field + ".", problems);
        if (firstValue != null && !firstValue.equals("true") && !firstValue.equals("false")) {
            problems.add(place(fields, "firstValue", start, field + ".firstValue", "must be true or false"));
        }
        return problems.size() > before
                ? null
                : new JourneyDocument.Milestone(key, name, dueDays, "true".equals(firstValue));
    }

    /**
     * The document's top-level mapping, after its size (at most {@value #MAXIMUM_LENGTH} characters: refused before it
     * is read) and YAML are checked; {@code null}, with the problem added, when it is empty, unreadable or not a
     * mapping of {@code fields}.
     */
    static MappingNode mapping(String yaml, String what, String fields, List<SegmentProblem> problems) {
        if (yaml.length() > MAXIMUM_LENGTH) {
            throw new InvalidInputException(
                    "document",
                    "has " + yaml.length() / 1024 + " KB; " + what + " may have at most " + MAXIMUM_LENGTH / 1024
                            + " KB");
        }
        Node root = SegmentDocuments.compose(yaml, problems);
        if (!problems.isEmpty()) {
            return null;
        }
        if (root == null) {
            problems.add(new SegmentProblem(1, 1, "", "the document is empty"));
            return null;
        }
        if (!(root instanceof MappingNode mapping)) {
            problems.add(SegmentDocuments.at(root.getStartMark(), "", "must be a mapping with " + fields));
            return null;
        }
        return mapping;
    }

    /** The item's key: required, a key's shape, not the key of an earlier item; {@code null} when it is none. */
    static String key(
            Map<String, Node> fields,
            Mark start,
            String field,
            String item,
            String example,
            Set<String> keys,
            List<SegmentProblem> problems) {
        String key = scalar(fields, "key", field + ".", problems);
        String problem = key == null
                ? "is required, such as " + example
                : !STAGE_KEY.matcher(key).matches()
                        ? "is '" + key + "'; a key is 1 to 40 lower-case letters, digits and _, starting with a letter"
                        : !keys.add(key) ? "'" + key + "' is the key of an earlier " + item : null;
        if (problem != null) {
            problems.add(place(fields, "key", start, field + ".key", problem));
        }
        return key;
    }

    static Map<String, Node> fields(
            MappingNode mapping, List<String> allowed, String prefix, String has, List<SegmentProblem> problems) {
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
            if (!allowed.contains(key)) {
                String nearest = Conditions.nearest(key, allowed);
                problems.add(SegmentDocuments.at(
                        tuple.getKeyNode().getStartMark(),
                        prefix + key,
                        "unknown key" + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " " + has + " "
                                + allowed));
            } else if (fields.put(key, tuple.getValueNode()) != null) {
                problems.add(SegmentDocuments.at(tuple.getKeyNode().getStartMark(), prefix + key, "is given twice"));
            }
        }
        return fields;
    }

    static String scalar(Map<String, Node> fields, String key, String prefix, List<SegmentProblem> problems) {
        Node node = fields.get(key);
        if (node == null) {
            return null;
        }
        if (!(node instanceof ScalarNode scalar)) {
            problems.add(SegmentDocuments.at(node.getStartMark(), prefix + key, "must be text"));
            fields.remove(key);
            return null;
        }
        return scalar.getValue();
    }

    static SegmentProblem place(Map<String, Node> fields, String key, Mark otherwise, String field, String reason) {
        Node node = fields.get(key);
        return SegmentDocuments.at(node == null ? otherwise : node.getStartMark(), field, reason);
    }
}
