package dev.steward.health.engine;

import dev.steward.core.InvalidInputException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
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
 * line stay exactly as they were.
 */
public final class ScorecardForm {

    /**
     * One number of the document: its path as problems name it ({@code dimensions[0].measures[1].weight}), what a
     * person calls it, and its text as written.
     */
    public record Field(String path, String label, String value) {}

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
        field(thresholds, "red", "thresholds.red", "Red below").ifPresent(scorecard::add);
        field(thresholds, "yellow", "thresholds.yellow", "Yellow below").ifPresent(scorecard::add);
        field(top, "minimumCoverage", "minimumCoverage", "Minimum coverage (0–1)")
                .ifPresent(scorecard::add);
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
                    field(dimension, "weight", at + ".weight", "Weight").orElse(null),
                    measures));
        }
        return new Form(scorecard, dimensions);
    }

    /**
     * The document with the number at {@code path} replaced by {@code value}, every other character as it was.
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
        for (String step : path.split("\\.")) {
            int bracket = step.indexOf('[');
            String key = bracket < 0 ? step : step.substring(0, bracket);
            node = mapping(node).get(key);
            if (bracket >= 0 && node != null) {
                int index = Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
                List<Node> items = sequence(node);
                node = index < items.size() ? items.get(index) : null;
            }
            if (node == null) {
                break;
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

    private static Measure measure(Map<String, Node> measure, String at) {
        String name = textOr(measure.get("name"), "Measure");
        String metric = textOr(measure.get("metric"), null);
        Field weight = field(measure, "weight", at + ".weight", "Weight").orElse(null);
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
