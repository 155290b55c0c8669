package dev.steward.core;

import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reading the YAML of a versioned document (a segment, the journey, a playbook) as nodes that know their lines and
 * columns, so that each problem is answered at its place, including problems inside a CEL expression written as a
 * scalar.
 */
public final class YamlText {

    private YamlText() {}

    /** A place in a document: 1-based line and column; both {@code null} when the parser could not say. */
    public record Place(Integer line, Integer column) {

        public static Place of(Mark mark) {
            return new Place(mark.getLine() + 1, mark.getColumn() + 1);
        }
    }

    /** The document as nodes ({@code null} when it is empty or not YAML), or why it is not YAML and where. */
    public record Composed(Node root, String problem, Place place) {}

    /**
     * Composes the document without building objects (safe constructor, few aliases); the caller checks its length
     * first, and {@code maximumLength} bounds what the parser reads. Not YAML is answered as a problem at its place.
     */
    public static Composed compose(String yaml, int maximumLength) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(maximumLength);
            return new Composed(new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml)), null, null);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            return new Composed(
                    null, "not valid YAML: " + e.getProblem(), mark == null ? new Place(null, null) : Place.of(mark));
        } catch (YAMLException e) {
            throw new InvalidInputException("document", "is not accepted: " + e.getMessage());
        }
    }

    /**
     * Where a line and column of an expression written as the scalar's value are in the document: the expression's
     * line is looked up in the document from where the scalar starts, so plain, quoted and block ({@code |}) scalars
     * all point right; the scalar's start when the line cannot be found.
     */
    public static Place inYaml(String yaml, ScalarNode node, String expression, int line, int column) {
        String[] expressionLines = expression.split("\n", -1);
        String wanted = line - 1 < expressionLines.length ? expressionLines[line - 1] : "";
        String[] documentLines = yaml.split("\n", -1);
        int from = node.getStartMark().getLine();
        if (!wanted.isBlank()) {
            for (int i = from;
                    i < documentLines.length && i <= node.getEndMark().getLine();
                    i++) {
                int start = i == from ? node.getStartMark().getColumn() : 0;
                int index = start <= documentLines[i].length() ? documentLines[i].indexOf(wanted, start) : -1;
                if (index >= 0) {
                    return new Place(i + 1, index + column);
                }
            }
        }
        return Place.of(node.getStartMark());
    }
}
