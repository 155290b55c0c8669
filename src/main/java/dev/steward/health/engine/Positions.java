package dev.steward.health.engine;

import dev.steward.core.YamlText;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Where each field of a scorecard document was written (by field path such as {@code dimensions[1].measures[0].weight})
 * and which fields could not be read, so that later checks point at the right line and skip what is already reported.
 */
final class Positions {

    static final Positions NONE = new Positions();

    private final Map<String, Mark> marks = new HashMap<>();
    private final Set<String> broken = new HashSet<>();
    private final Map<String, ScalarNode> expressions = new HashMap<>();
    private String yaml = "";

    /** Remembers the scalar an expression (a CEL condition) was written as, to place problems inside it. */
    void expression(String path, String document, ScalarNode node) {
        yaml = document;
        expressions.put(path, node);
    }

    /**
     * A problem at a line and column of an expression field, placed in the document where that part of the expression
     * was written (block scalars included); at the field when the document is not known.
     */
    ScorecardProblem inExpression(String path, String expression, int line, int column, String reason) {
        ScalarNode node = expressions.get(path);
        if (node == null) {
            return problem(path, reason);
        }
        YamlText.Place place = YamlText.inYaml(yaml, node, expression, line, column);
        return new ScorecardProblem(place.line(), place.column(), path, reason);
    }

    void place(String path, Mark mark) {
        marks.put(path, mark);
    }

    void markBroken(String path) {
        broken.add(path);
    }

    boolean isBroken(String path) {
        return broken.contains(path);
    }

    /** A problem at a field, placed where the field (or, failing that, its nearest enclosing field) was written. */
    ScorecardProblem problem(String path, String reason) {
        for (String at = path; at != null; at = parent(at)) {
            Mark mark = marks.get(at);
            if (mark != null) {
                return at(mark, path, reason);
            }
        }
        return new ScorecardProblem(null, null, path, reason);
    }

    static ScorecardProblem at(Mark mark, String path, String reason) {
        return new ScorecardProblem(mark.getLine() + 1, mark.getColumn() + 1, path, reason);
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? null : path.substring(0, cut);
    }
}
