package dev.steward.lifecycle;

import dev.steward.core.Conditions;
import dev.steward.core.InvalidInputException;
import dev.steward.core.YamlText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads and checks segment documents (YAML): every problem at once, each with the line and column it was written at,
 * including those inside the CEL condition (placed in the YAML, not just in the expression).
 */
final class SegmentDocuments {

    /** A segment is a few lines; longer documents are refused before they are parsed. */
    static final int MAXIMUM_LENGTH = 64 * 1024;

    private static final Set<String> KEYS = new LinkedHashSet<>(List.of("name", "description", "type", "condition"));

    private static final Comparator<SegmentProblem> BY_PLACE = Comparator.comparing(
                    SegmentProblem::line, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(SegmentProblem::column, Comparator.nullsLast(Comparator.naturalOrder()));

    private final Conditions conditions;
    private final Set<String> segmentNames;

    /**
     * Documents checked against these declarations (see {@link SegmentVariables}) and the names of the segments there
     * are, which a condition may refer to.
     */
    SegmentDocuments(Conditions conditions, Set<String> segmentNames) {
        this.conditions = conditions;
        this.segmentNames = Set.copyOf(segmentNames);
    }

    /**
     * Reads and checks a document kept under a segment's name ({@code null}: any name): the document's own name must
     * be that name, or the stored history would mix two segments.
     */
    SegmentCheck read(String yaml, String expectedName) {
        if (yaml.length() > MAXIMUM_LENGTH) {
            throw new InvalidInputException(
                    "document",
                    "has " + yaml.length() / 1024 + " KB; a segment may have at most " + MAXIMUM_LENGTH / 1024 + " KB");
        }
        List<SegmentProblem> problems = new ArrayList<>();
        Node root = compose(yaml, problems);
        if (!problems.isEmpty()) {
            return new SegmentCheck(null, problems);
        }
        if (root == null) {
            return new SegmentCheck(null, List.of(new SegmentProblem(1, 1, "", "the document is empty")));
        }
        if (!(root instanceof MappingNode mapping)) {
            return new SegmentCheck(
                    null,
                    List.of(at(root.getStartMark(), "", "must be a mapping with name, description and condition")));
        }
        Map<String, ScalarNode> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
            if (!KEYS.contains(key)) {
                String nearest = Conditions.nearest(key, KEYS);
                problems.add(at(
                        tuple.getKeyNode().getStartMark(),
                        key,
                        "unknown key" + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " A segment has "
                                + KEYS));
            } else if (!(tuple.getValueNode() instanceof ScalarNode value)) {
                problems.add(at(tuple.getValueNode().getStartMark(), key, "must be text"));
            } else if (fields.put(key, value) != null) {
                problems.add(at(tuple.getKeyNode().getStartMark(), key, "is given twice"));
            }
        }
        Mark top = root.getStartMark();
        String name = text(fields, "name");
        if (name == null || name.isBlank()) {
            problems.add(place(fields, "name", top, "is required and must not be blank"));
        } else if (name.length() > 100) {
            problems.add(place(fields, "name", top, "has " + name.length() + " characters; at most 100"));
        } else if (expectedName != null && !expectedName.equals(name)) {
            problems.add(place(
                    fields,
                    "name",
                    top,
                    "is '" + name + "' but this is segment '" + expectedName
                            + "'; save a new segment under its own name"));
        }
        String description = text(fields, "description");
        String type = text(fields, "type");
        SegmentDocument.Kind kind = SegmentDocument.Kind.RULE;
        if (type != null) {
            try {
                kind = SegmentDocument.Kind.valueOf(type.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(place(
                        fields,
                        "type",
                        top,
                        "is '" + type + "'; use rule (members follow the condition)"
                                + " or static (members are added by hand)"));
            }
        }
        String condition = text(fields, "condition");
        if (kind == SegmentDocument.Kind.STATIC) {
            if (condition != null) {
                problems.add(place(
                        fields,
                        "condition",
                        top,
                        "a static segment has no condition: its members are added by hand; remove it or write"
                                + " type: rule"));
            }
        } else if (condition == null || condition.isBlank()) {
            problems.add(place(
                    fields,
                    "condition",
                    top,
                    "is required: a CEL expression that is true for the members, such as account.tier == \"SMB\""));
        } else {
            checkCondition(yaml, fields.get("condition"), condition, name, problems);
        }
        problems.sort(BY_PLACE);
        SegmentDocument document = problems.isEmpty()
                ? new SegmentDocument(name, description == null ? "" : description, kind, condition)
                : null;
        return new SegmentCheck(document, problems);
    }

    /**
     * The document's YAML as nodes (with their lines and columns), or {@code null} with the problem added when it is
     * not YAML; the length is checked by the caller first.
     */
    static Node compose(String yaml, List<SegmentProblem> problems) {
        YamlText.Composed composed = YamlText.compose(yaml, MAXIMUM_LENGTH);
        if (composed.problem() != null) {
            problems.add(
                    new SegmentProblem(composed.place().line(), composed.place().column(), "", composed.problem()));
        }
        return composed.root();
    }

    /** The names of other segments the condition refers to (with {@code "name" in segments}). */
    static Set<String> references(String condition) {
        Set<String> names = new LinkedHashSet<>();
        if (condition != null) {
            Conditions.segmentReferences(condition).forEach(reference -> names.add(reference.name()));
        }
        return names;
    }

    /** A document as YAML, keys in the order this reader lists them. */
    static String write(SegmentDocument document) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", document.name());
        if (!document.description().isEmpty()) {
            map.put("description", document.description());
        }
        map.put("type", document.kind().value());
        if (document.condition() != null) {
            map.put("condition", document.condition());
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(120);
        return new Yaml(options).dump(map);
    }

    private void checkCondition(
            String yaml, ScalarNode node, String condition, String name, List<SegmentProblem> problems) {
        Conditions.Compiled compiled = conditions.compile(condition);
        for (Conditions.Problem problem : compiled.problems()) {
            problems.add(inYaml(yaml, node, condition, problem.line(), problem.column(), problem.reason()));
        }
        for (Conditions.SegmentReference reference : Conditions.segmentReferences(condition)) {
            String other = reference.name();
            int line = reference.line();
            int column = reference.column();
            if (other.equals(name)) {
                problems.add(inYaml(
                        yaml,
                        node,
                        condition,
                        line,
                        column,
                        "refers to this segment itself ('" + other + "'); a segment's members cannot depend on"
                                + " themselves"));
            } else if (!segmentNames.contains(other)) {
                String nearest = Conditions.nearest(other, segmentNames);
                problems.add(inYaml(
                        yaml,
                        node,
                        condition,
                        line,
                        column,
                        "no segment is named '" + other + "'"
                                + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                                + (segmentNames.isEmpty() ? "" : " The segments are " + new TreeSet<>(segmentNames))));
            }
        }
    }

    /**
     * A problem at a line and column of the condition, placed in the YAML: the condition's line is looked up in the
     * document from where the condition starts, so plain, quoted and block ({@code |}) scalars all point right.
     */
    static SegmentProblem inYaml(String yaml, ScalarNode node, String condition, int line, int column, String reason) {
        YamlText.Place place = YamlText.inYaml(yaml, node, condition, line, column);
        return new SegmentProblem(place.line(), place.column(), "condition", reason);
    }

    private static String text(Map<String, ScalarNode> fields, String key) {
        ScalarNode node = fields.get(key);
        return node == null ? null : node.getValue();
    }

    private static SegmentProblem place(Map<String, ScalarNode> fields, String key, Mark otherwise, String reason) {
        ScalarNode node = fields.get(key);
        return at(node == null ? otherwise : node.getStartMark(), key, reason);
    }

    static SegmentProblem at(Mark mark, String field, String reason) {
        return new SegmentProblem(mark.getLine() + 1, mark.getColumn() + 1, field, reason);
    }
}
