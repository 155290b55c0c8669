package dev.steward.backtest;

import dev.steward.core.InvalidInputException;
import dev.steward.core.YamlText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A suggestion written into the document of the version it was learned from, in place: the document is read as a YAML
 * tree whose nodes know where they are in the text, and only the weights, thresholds and the rules learned from raw
 * values (written in flow style in place of the rule they replace) are rewritten there, so every
 * comment, key order, quoting and flow style the admin chose stays as it was. A measure or dimension the suggestion
 * leaves out (no data or no variance: it weighs 0, which a document cannot say) is commented out with the reason, not
 * deleted; a first line says which backtest the weights came from.
 */
final class SuggestedDocument {

    /** The first line of a document written from a suggestion; replaced, not repeated, when one is written again. */
    static final String HEADER = "# Weights and thresholds suggested by backtest ";

    private SuggestedDocument() {}

    /** A change of the text: the characters from {@code start} to {@code end} become {@code text}. */
    private record Edit(int start, int end, String text) {}

    /**
     * The document with the suggestion's weights and thresholds.
     *
     * @param yaml the document of the version the suggestion was learned from, exactly as saved
     * @param from the backtest, in words ("“Logins only” (3f1e…)"), or {@code null} for no first line naming it
     * @throws InvalidInputException when the document does not hold the dimensions and measures the suggestion names
     *     (it was changed under the same version number, which versions never are)
     */
    static String write(String yaml, Suggestion suggestion, String from) {
        YamlText.Composed composed = YamlText.compose(yaml, Math.max(yaml.length() + 1, 1 << 20));
        if (!(composed.root() instanceof MappingNode root)) {
            throw mismatch(suggestion, "it is not a YAML mapping");
        }
        List<Edit> edits = new ArrayList<>();
        List<int[]> commented = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        Node dimensionsNode = value(root, "dimensions");
        if (!(dimensionsNode instanceof SequenceNode dimensions)) {
            throw mismatch(suggestion, "it has no list of dimensions");
        }
        List<Node> dimensionItems = dimensions.getValue();
        if (dimensionItems.size() != suggestion.dimensions().size()) {
            throw mismatch(
                    suggestion,
                    "it has " + dimensionItems.size() + " dimensions, the suggestion "
                            + suggestion.dimensions().size());
        }
        int measureIndex = 0;
        for (int d = 0; d < dimensionItems.size(); d++) {
            Suggestion.DimensionWeight weight = suggestion.dimensions().get(d);
            MappingNode dimension = mapping(dimensionItems.get(d), suggestion, weight.name());
            requireName(dimension, weight.name(), suggestion);
            List<Suggestion.MeasureWeight> measureWeights = suggestion.measures().stream()
                    .filter(m -> m.dimension().equals(weight.name()))
                    .toList();
            Node measuresNode = value(dimension, "measures");
            if (!(measuresNode instanceof SequenceNode measures)
                    || measures.getValue().size() != measureWeights.size()) {
                throw mismatch(
                        suggestion, "dimension " + weight.name() + " does not list the measures it suggests for");
            }
            measureIndex += measureWeights.size();
            if (weight.suggested() == 0) {
                commented.add(lines(dimensions, dimensionItems.get(d), suggestion));
                reasons.add("no measure of this dimension had data that varied");
                continue;
            }
            replace(edits, yaml, value(dimension, "weight"), String.valueOf(weight.suggested()), suggestion);
            for (int m = 0; m < measureWeights.size(); m++) {
                Suggestion.MeasureWeight measureWeight = measureWeights.get(m);
                Node item = measures.getValue().get(m);
                MappingNode measure = mapping(item, suggestion, measureWeight.name());
                requireName(measure, measureWeight.name(), suggestion);
                if (measureWeight.suggested() == 0) {
                    commented.add(lines(measures, item, suggestion));
                    reasons.add(measureWeight.leftOut() == null ? "it earned no weight" : measureWeight.leftOut());
                } else {
                    replace(
                            edits,
                            yaml,
                            value(measure, "weight"),
                            String.valueOf(measureWeight.suggested()),
                            suggestion);
                    if (measureWeight.ruleYaml() != null) {
                        Node rule = value(measure, "score");
                        if (rule == null) {
                            throw mismatch(suggestion, "measure " + measureWeight.name() + " has no score rule");
                        }
                        edits.add(new Edit(
                                index(yaml, rule.getStartMark().getIndex()),
                                index(yaml, endOf(rule)),
                                measureWeight.ruleYaml()));
                    }
                }
            }
        }
        if (measureIndex != suggestion.measures().size()) {
            throw mismatch(suggestion, "its measures are not the ones the suggestion weighs");
        }
        List<String[]> inserted = new ArrayList<>();
        Node thresholds = value(root, "thresholds");
        if (thresholds instanceof MappingNode mapping
                && value(mapping, "red") instanceof ScalarNode
                && value(mapping, "yellow") instanceof ScalarNode) {
            replace(edits, yaml, value(mapping, "red"), String.valueOf(suggestion.suggestedRed()), suggestion);
            replace(edits, yaml, value(mapping, "yellow"), String.valueOf(suggestion.suggestedYellow()), suggestion);
        } else if (thresholds != null) {
            edits.add(new Edit(
                    index(yaml, thresholds.getStartMark().getIndex()),
                    index(yaml, thresholds.getEndMark().getIndex()),
                    "{ red: " + suggestion.suggestedRed() + ", yellow: " + suggestion.suggestedYellow() + " }"));
        } else if (suggestion.suggestedRed() != suggestion.currentRed()
                || suggestion.suggestedYellow() != suggestion.currentYellow()) {
            // The document kept the default thresholds; the suggestion's go on their own line before the dimensions.
            NodeTuple dimensionsKey = tuple(root, "dimensions");
            int line = dimensionsKey.getKeyNode().getStartMark().getLine();
            String indent = " ".repeat(dimensionsKey.getKeyNode().getStartMark().getColumn());
            inserted.add(new String[] {
                String.valueOf(line),
                indent + "thresholds: { red: " + suggestion.suggestedRed() + ", yellow: " + suggestion.suggestedYellow()
                        + " }"
            });
        }
        StringBuilder text = new StringBuilder(yaml);
        edits.sort(Comparator.comparingInt(Edit::start).reversed());
        for (Edit edit : edits) {
            text.replace(edit.start(), edit.end(), edit.text());
        }
        List<String> lines = new ArrayList<>(List.of(text.toString().split("\n", -1)));
        for (int i = 0; i < commented.size(); i++) {
            int[] range = commented.get(i);
            int column = indentOf(lines.get(range[0]));
            for (int line = range[0]; line <= range[1]; line++) {
                String original = lines.get(line);
                int at = Math.min(column, indentOf(original));
                lines.set(line, original.substring(0, at) + "# " + original.substring(at));
            }
            inserted.add(new String[] {
                String.valueOf(range[0]),
                " ".repeat(column) + "# Left out by " + (from == null ? "the suggestion" : "backtest " + from) + ": "
                        + reasons.get(i).replace('\n', ' ')
            });
        }
        inserted.sort(
                Comparator.comparingInt((String[] e) -> Integer.parseInt(e[0])).reversed());
        for (String[] insert : inserted) {
            lines.add(Integer.parseInt(insert[0]), insert[1]);
        }
        String header = HEADER + from + ".";
        if (from == null) {
            return String.join("\n", lines);
        }
        if (!lines.isEmpty() && lines.get(0).startsWith(HEADER)) {
            lines.set(0, header);
        } else {
            lines.add(0, header);
        }
        return String.join("\n", lines);
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /**
     * The first and last line of a block sequence's item, its "- " included: from the item's first line to the last
     * line any of its values reaches (so comments after it stay, belonging to what follows).
     */
    private static int[] lines(SequenceNode sequence, Node item, Suggestion suggestion) {
        if (sequence.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            throw mismatch(
                    suggestion,
                    "it lists dimensions or measures in flow style ([ … ]), which cannot be left out"
                            + " line by line");
        }
        return new int[] {item.getStartMark().getLine(), lastLine(item)};
    }

    private static int lastLine(Node node) {
        if (node instanceof MappingNode mapping
                && mapping.getFlowStyle() != DumperOptions.FlowStyle.FLOW
                && !mapping.getValue().isEmpty()) {
            return lastLine(
                    mapping.getValue().get(mapping.getValue().size() - 1).getValueNode());
        }
        if (node instanceof SequenceNode sequence
                && sequence.getFlowStyle() != DumperOptions.FlowStyle.FLOW
                && !sequence.getValue().isEmpty()) {
            return lastLine(sequence.getValue().get(sequence.getValue().size() - 1));
        }
        // A block scalar (| or >) ends at the start of the line after it.
        int line = node.getEndMark().getLine();
        return node.getEndMark().getColumn() == 0 && line > node.getStartMark().getLine() ? line - 1 : line;
    }

    /**
     * Where a node's own text ends: a block mapping or sequence ends with its last value (its end mark lies at the
     * start of what follows, comments and line breaks included).
     */
    private static int endOf(Node node) {
        if (node instanceof MappingNode mapping
                && mapping.getFlowStyle() != DumperOptions.FlowStyle.FLOW
                && !mapping.getValue().isEmpty()) {
            return endOf(mapping.getValue().get(mapping.getValue().size() - 1).getValueNode());
        }
        if (node instanceof SequenceNode sequence
                && sequence.getFlowStyle() != DumperOptions.FlowStyle.FLOW
                && !sequence.getValue().isEmpty()) {
            return endOf(sequence.getValue().get(sequence.getValue().size() - 1));
        }
        return node.getEndMark().getIndex();
    }

    private static void replace(List<Edit> edits, String yaml, Node node, String text, Suggestion suggestion) {
        if (!(node instanceof ScalarNode scalar)) {
            throw mismatch(suggestion, "a weight is not a number");
        }
        edits.add(new Edit(
                index(yaml, scalar.getStartMark().getIndex()),
                index(yaml, scalar.getEndMark().getIndex()),
                text));
    }

    /** SnakeYAML counts code points; the text is indexed in chars. */
    private static int index(String yaml, int codePoints) {
        return yaml.offsetByCodePoints(0, codePoints);
    }

    private static MappingNode mapping(Node node, Suggestion suggestion, String what) {
        if (node instanceof MappingNode mapping) {
            return mapping;
        }
        throw mismatch(suggestion, what + " is not a mapping");
    }

    private static void requireName(MappingNode mapping, String name, Suggestion suggestion) {
        if (!(value(mapping, "name") instanceof ScalarNode scalar)
                || !scalar.getValue().equals(name)) {
            throw mismatch(suggestion, "it does not name " + name + " where the suggestion has it");
        }
    }

    private static NodeTuple tuple(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar
                    && scalar.getValue().equals(key)) {
                return tuple;
            }
        }
        return null;
    }

    private static Node value(MappingNode mapping, String key) {
        NodeTuple tuple = tuple(mapping, key);
        return tuple == null ? null : tuple.getValueNode();
    }

    private static InvalidInputException mismatch(Suggestion suggestion, String why) {
        return new InvalidInputException(
                "scorecard",
                "the document of " + suggestion.scorecard() + " v" + suggestion.version()
                        + " cannot take the suggestion: " + why);
    }
}
