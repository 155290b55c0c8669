package dev.steward.health.engine;

import dev.steward.core.InvalidInputException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The numbers of a scorecard that people change most (thresholds, minimum coverage, dimension and measure weights,
 * the bounds and points of each scoring rule) as form fields, and the YAML with one of them changed. A change replaces
 * the characters of that one value where it is written, so comments, key order, flow or block style and every other
 * line stay exactly as they were. Thresholds, minimum coverage and weights the document leaves out are fields too,
 * empty: a value given there is added as one line (or one entry of a flow mapping) beside its siblings.
 */
public final class ScorecardForm {

    /**
     * One number of the document: its path as problems name it ({@code dimensions[0].measures[1].weight}), what a
     * person calls it, and its text as written; empty when the document does not write it, with what applies then.
     */
    public record Field(
            String path,
            String label,
            String value,
            @Nullable String absent) {

        Field(String path, String label, String value) {
            this(path, label, value, null);
        }

        /** Whether the document leaves this number out (a value given here is added). */
        public boolean missing() {
            return absent != null;
        }
    }

    /** A measure's numbers: its weight, then its scoring rule's, with what kind of rule it is. */
    public record Measure(
            String name, @Nullable String metric, @Nullable Field weight, String rule, List<Field> ruleFields) {}

    /** A dimension's weight and its measures. */
    public record Dimension(String name, @Nullable Field weight, List<Measure> measures) {}

    /** The whole form: the scorecard's own numbers and its dimensions in the order written. */
    public record Form(List<Field> scorecard, List<Dimension> dimensions) {}

    private ScorecardForm() {}

    /**
     * The form of a document, as far as it can be read: fields whose value is not a plain scalar are left out, as is
     * anything that is not where the scorecard's structure puts it.
     *
     * @throws InvalidInputException if the text is not YAML (the editor's problems say where)
     */
    public static Form of(String yaml) {
        Node root = compose(yaml);
        Map<String, Node> top = mapping(root);
        List<Field> scorecard = new ArrayList<>();
        Map<String, Node> thresholds = mapping(top.get("thresholds"));
        scorecard.add(fieldOrAbsent(
                thresholds, "red", "thresholds.red", "Red below", "not set: Red up to " + Thresholds.DEFAULT.red()));
        scorecard.add(fieldOrAbsent(
                thresholds,
                "yellow",
                "thresholds.yellow",
                "Yellow below",
                "not set: Yellow up to " + Thresholds.DEFAULT.yellow()));
        scorecard.add(fieldOrAbsent(
                top,
                "minimumCoverage",
                "minimumCoverage",
                "Minimum coverage (0–1)",
                "not set: " + Scorecard.DEFAULT_MINIMUM_COVERAGE));
        List<Dimension> dimensions = new ArrayList<>();
        List<Node> dimensionNodes = sequence(top.get("dimensions"));
        for (int i = 0; i < dimensionNodes.size(); i++) {
            String at = "dimensions[" + i + "]";
            Map<String, Node> dimension = mapping(dimensionNodes.get(i));
            List<Measure> measures = new ArrayList<>();
            List<Node> measureNodes = sequence(dimension.get("measures"));
            for (int j = 0; j < measureNodes.size(); j++) {
                measures.add(measure(mapping(measureNodes.get(j)), at + ".measures[" + j + "]"));
            }
            dimensions.add(new Dimension(
                    textOr(dimension.get("name"), "Dimension " + (i + 1)),
                    fieldOrAbsent(dimension, "weight", at + ".weight", "Weight", "not set"),
                    measures));
        }
        return new Form(scorecard, dimensions);
    }

    /**
     * The document with the number at {@code path} replaced by {@code value}, every other character as it was; a
     * number the form offers but the document leaves out (see {@link #ADDABLE}) is added.
     *
     * @throws InvalidInputException naming the field when the value is not a number or the document has no such
     *     number to change
     */
    public static String set(String yaml, String path, String value) {
        String number = value.strip();
        try {
            new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(path, "must be a number, was '" + value + "'");
        }
        Node root = compose(yaml);
        Node node = root;
        Node parent = null;
        String[] steps = path.split("\\.");
        int reached = 0;
        for (String step : steps) {
            int bracket = step.indexOf('[');
            String key = bracket < 0 ? step : step.substring(0, bracket);
            parent = node;
            node = mapping(node).get(key);
            if (bracket >= 0 && node != null) {
                int index = Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
                List<Node> items = sequence(node);
                node = index < items.size() ? items.get(index) : null;
            }
            if (node == null) {
                break;
            }
            reached++;
        }
        if (node == null && ADDABLE.matcher(path).matches() && parent instanceof MappingNode into) {
            List<String> missing = List.of(steps).subList(reached, steps.length);
            if (missing.size() == 1 && !into.getValue().isEmpty()) {
                return add(yaml, into, missing.get(0), number);
            }
            if (missing.size() == 2 && missing.get(0).equals("thresholds")) {
                return addThresholds(yaml, into, missing.get(1), number);
            }
        }
        if (!(node instanceof ScalarNode scalar)) {
            throw new InvalidInputException(path, "the document has no number there to change");
        }
        // Marks count code points; the text counts UTF-16 units.
        int start = yaml.offsetByCodePoints(0, scalar.getStartMark().getIndex());
        int end = yaml.offsetByCodePoints(0, scalar.getEndMark().getIndex());
        return yaml.substring(0, start) + number + yaml.substring(end);
    }

    /** The numbers the form offers where the document leaves them out. */
    static final Pattern ADDABLE = Pattern.compile(
            "thresholds\\.(red|yellow)|minimumCoverage|dimensions\\[\\d+]\\.weight|dimensions\\[\\d+]\\.measures\\[\\d+]\\.weight");

    /** {@code key: value} added to a mapping that has other entries, written as they are. */
    private static String add(String yaml, MappingNode into, String key, String value) {
        List<NodeTuple> entries = into.getValue();
        if (into.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            int after = offset(
                    yaml,
                    entries.get(entries.size() - 1).getValueNode().getEndMark().getIndex());
            return yaml.substring(0, after) + ", " + key + ": " + value + yaml.substring(after);
        }
        int column = entries.get(0).getKeyNode().getStartMark().getColumn();
        return line(yaml, into, " ".repeat(column) + key + ": " + value);
    }

    /**
     * {@code thresholds:} added to the scorecard's own fields with the one given and the other at its default, since a
     * scorecard that writes thresholds writes both.
     */
    private static String addThresholds(String yaml, MappingNode into, String which, String value) {
        List<NodeTuple> entries = into.getValue();
        if (entries.isEmpty() || into.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            throw new InvalidInputException("thresholds." + which, "the document has no number there to change");
        }
        String indent = " ".repeat(entries.get(0).getKeyNode().getStartMark().getColumn());
        String red = which.equals("red") ? value : String.valueOf(Thresholds.DEFAULT.red());
        String yellow = which.equals("yellow") ? value : String.valueOf(Thresholds.DEFAULT.yellow());
        return line(
                yaml,
                into,
                indent + "thresholds:\n" + indent + "  red: " + red + "\n" + indent + "  yellow: " + yellow);
    }

    /**
     * The text with one line added to a block mapping: after the line of its last entry whose value is a scalar (so
     * beside the numbers, before any list), or before its first entry when it has none.
     */
    private static String line(String yaml, MappingNode into, String text) {
        NodeTuple lastScalar = null;
        for (NodeTuple entry : into.getValue()) {
            if (entry.getValueNode() instanceof ScalarNode) {
                lastScalar = entry;
            }
        }
        if (lastScalar == null) {
            int start = offset(
                    yaml, into.getValue().get(0).getKeyNode().getStartMark().getIndex());
            int lineStart = yaml.lastIndexOf('\n', start - 1) + 1;
            return yaml.substring(0, lineStart) + text + "\n" + yaml.substring(lineStart);
        }
        int end = offset(yaml, lastScalar.getValueNode().getEndMark().getIndex());
        int lineEnd = yaml.indexOf('\n', end);
        if (lineEnd < 0) {
            return yaml + "\n" + text;
        }
        return yaml.substring(0, lineEnd + 1) + text + "\n" + yaml.substring(lineEnd + 1);
    }

    /** Marks count code points; the text counts UTF-16 units. */
    private static int offset(String yaml, int codePoints) {
        return yaml.offsetByCodePoints(0, codePoints);
    }

    private static Measure measure(Map<String, Node> measure, String at) {
        String name = textOr(measure.get("name"), "Measure");
        String metric = textOr(measure.get("metric"), null);
        Field weight = fieldOrAbsent(measure, "weight", at + ".weight", "Weight", "not set");
        Map<String, Node> score = mapping(measure.get("score"));
        List<Field> fields = new ArrayList<>();
        String rule = "other";
        if (score.containsKey("linear")) {
            rule = "linear";
            Map<String, Node> linear = mapping(score.get("linear"));
            field(linear, "from", at + ".score.linear.from", "0 points at").ifPresent(fields::add);
            field(linear, "to", at + ".score.linear.to", "100 points at").ifPresent(fields::add);
        } else if (score.containsKey("bands")) {
            rule = "bands";
            List<Node> bands = sequence(score.get("bands"));
            for (int k = 0; k < bands.size(); k++) {
                String band = at + ".score.bands[" + k + "]";
                Map<String, Node> fieldsOfBand = mapping(bands.get(k));
                field(fieldsOfBand, "below", band + ".below", "Below").ifPresent(fields::add);
                field(fieldsOfBand, "above", band + ".above", "Above").ifPresent(fields::add);
                field(fieldsOfBand, "points", band + ".points", "points").ifPresent(fields::add);
                field(fieldsOfBand, "else", band + ".else", "Otherwise, points").ifPresent(fields::add);
            }
        } else if (score.containsKey("percentile")) {
            rule = "percentile";
        }
        return new Measure(name, metric, weight, rule, fields);
    }

    private static Node compose(String yaml) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(20);
            options.setCodePointLimit(ScorecardReader.MAXIMUM_LENGTH);
            Node root = new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
            if (root == null) {
                throw new InvalidInputException("document", "is empty");
            }
            return root;
        } catch (YAMLException e) {
            throw new InvalidInputException("document", "is not valid YAML; fix it in the YAML first");
        }
    }

    private static Optional<Field> field(Map<String, Node> fields, String key, String path, String label) {
        Node node = fields.get(key);
        if (node instanceof ScalarNode scalar) {
            return Optional.of(new Field(path, label, scalar.getValue()));
        }
        return Optional.empty();
    }

    private static Field fieldOrAbsent(Map<String, Node> fields, String key, String path, String label, String absent) {
        return field(fields, key, path, label).orElseGet(() -> new Field(path, label, "", absent));
    }

    private static @Nullable String textOr(@Nullable Node node, @Nullable String otherwise) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : otherwise;
    }

    private static Map<String, Node> mapping(@Nullable Node node) {
        Map<String, Node> fields = new LinkedHashMap<>();
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    fields.putIfAbsent(key.getValue(), tuple.getValueNode());
                }
            }
        }
        return fields;
    }

    private static List<Node> sequence(@Nullable Node node) {
        return node instanceof SequenceNode sequence ? sequence.getValue() : List.of();
    }
}
