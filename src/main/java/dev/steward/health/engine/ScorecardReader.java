package dev.steward.health.engine;

import dev.steward.core.InvalidInputException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns a scorecard's YAML into the document records, reporting every problem that concerns a single field (syntax,
 * unknown keys, types, ranges, windows, rule shapes) with its line and column. It reads the node tree rather than
 * plain maps so that each value keeps the place it was written.
 */
final class ScorecardReader {

    private static final Set<String> SCORECARD_KEYS =
            Set.of("name", "appliesTo", "pilot", "priority", "thresholds", "minimumCoverage", "dimensions");
    private static final Set<String> THRESHOLD_KEYS = Set.of("red", "yellow");
    private static final Set<String> DIMENSION_KEYS = Set.of("name", "weight", "measures");
    private static final Set<String> MEASURE_KEYS = Set.of("name", "metric", "aggregate", "window", "weight", "score");
    private static final Set<String> SCORE_KEYS = Set.of("bands", "linear", "percentile");
    private static final Set<String> BAND_KEYS = Set.of("below", "above", "points", "else");
    private static final Set<String> LINEAR_KEYS = Set.of("from", "to");
    private static final Set<String> PERCENTILE_KEYS = Set.of("within");
    private static final Pattern WINDOW = Pattern.compile("(-?\\d+)([dw])");

    private final Positions positions = new Positions();
    private final List<ScorecardProblem> problems = new ArrayList<>();

    /**
     * What was read: the document with stand-ins for fields that could not be read ({@code null} when there was no
     * document at all), the problems found, and where each field was written.
     */
    record Read(Scorecard draft, List<ScorecardProblem> problems, Positions positions, boolean pilot) {

        /** The document, if every field could be read. */
        Scorecard scorecard() {
            return problems.isEmpty() ? draft : null;
        }
    }

    /** Longer documents are refused before they are parsed: a scorecard is a few KB. */
    static final int MAXIMUM_LENGTH = 256 * 1024;

    private static final int MAXIMUM_ALIASES = 20;

    /** Whether the document read says {@code pilot: true}. */
    private boolean pilot;

    static Read read(String yaml) {
        return new ScorecardReader().readDocument(yaml);
    }

    private Read readDocument(String yaml) {
        if (yaml.length() > MAXIMUM_LENGTH) {
            throw new InvalidInputException(
                    "document",
                    "has " + yaml.length() / 1024 + " KB; a scorecard may have at most " + MAXIMUM_LENGTH / 1024
                            + " KB");
        }
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(MAXIMUM_ALIASES);
            options.setCodePointLimit(MAXIMUM_LENGTH);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String reason = "not valid YAML: " + e.getProblem();
            problems.add(mark == null ? new ScorecardProblem(null, null, "", reason) : Positions.at(mark, "", reason));
            return new Read(null, problems, positions, false);
        } catch (YAMLException e) {
            // Such as an alias bomb: more aliases than any scorecard needs. Refused, not kept as a draft.
            throw new InvalidInputException("document", "is not accepted: " + e.getMessage());
        }
        if (root == null) {
            problems.add(new ScorecardProblem(1, 1, "", "the document is empty"));
            return new Read(null, problems, positions, false);
        }
        Scorecard scorecard = scorecard(root, yaml);
        return new Read(scorecard, problems, positions, pilot);
    }

    private Scorecard scorecard(Node root, String yaml) {
        Map<String, Node> fields = fields(root, "", SCORECARD_KEYS);
        String name = text(fields, "name", "", true);
        String appliesTo = text(fields, "appliesTo", "", true);
        if (appliesTo != null) {
            positions.expression("appliesTo", yaml, (ScalarNode) fields.get("appliesTo"));
        }
        Node pilotNode = fields.get("pilot");
        if (pilotNode != null) {
            if (pilotNode instanceof ScalarNode scalar && pilotNode.getTag().equals(Tag.BOOL)) {
                pilot = Boolean.parseBoolean(scalar.getValue().toLowerCase(java.util.Locale.ROOT));
            } else {
                problem(pilotNode, "pilot", "must be true (apply only to the pilot group) or false");
            }
        }
        Integer priority = whole(fields, "priority", "", true);
        Thresholds thresholds = fields.containsKey("thresholds") ? thresholds(fields.get("thresholds")) : null;
        Double minimumCoverage = number(fields, "minimumCoverage", "", false);
        if (minimumCoverage != null && !(minimumCoverage >= 0 && minimumCoverage <= 1)) {
            problem(
                    fields.get("minimumCoverage"),
                    "minimumCoverage",
                    "must be between 0 and 1, was " + quoted(fields.get("minimumCoverage")));
            minimumCoverage = null;
        }
        List<Dimension> dimensions = new ArrayList<>();
        List<Node> items = sequence(fields, "dimensions", "");
        for (int i = 0; i < items.size(); i++) {
            dimensions.add(dimension(items.get(i), "dimensions[" + i + "]"));
        }
        return new Scorecard(
                name == null ? "" : name,
                appliesTo == null ? "" : appliesTo,
                priority == null ? 0 : priority,
                thresholds == null ? Thresholds.DEFAULT : thresholds,
                minimumCoverage == null ? Scorecard.DEFAULT_MINIMUM_COVERAGE : minimumCoverage,
                dimensions);
    }

    private Thresholds thresholds(Node node) {
        Map<String, Node> fields = fields(node, "thresholds", THRESHOLD_KEYS);
        Integer red = whole(fields, "red", "thresholds", true);
        Integer yellow = whole(fields, "yellow", "thresholds", true);
        if (red == null || yellow == null) {
            return null;
        }
        boolean inRange = true;
        for (String key : List.of("red", "yellow")) {
            int value = key.equals("red") ? red : yellow;
            if (value < 0 || value > 100) {
                problem(fields.get(key), "thresholds." + key, "must be between 0 and 100, was " + value);
                inRange = false;
            }
        }
        if (!inRange) {
            return null;
        }
        if (red >= yellow) {
            problem(
                    node,
                    "thresholds",
                    "red (" + red + ") must be below yellow (" + yellow + "): Red is 0–red, Yellow is red+1–yellow");
            return null;
        }
        return new Thresholds(red, yellow);
    }

    private Dimension dimension(Node node, String path) {
        positions.place(path, node.getStartMark());
        Map<String, Node> fields = fields(node, path, DIMENSION_KEYS);
        String name = text(fields, "name", path, true);
        Integer weight = whole(fields, "weight", path, true);
        List<Measure> measures = new ArrayList<>();
        List<Node> items = sequence(fields, "measures", path);
        for (int i = 0; i < items.size(); i++) {
            measures.add(measure(items.get(i), path + ".measures[" + i + "]"));
        }
        return new Dimension(name == null ? "" : name, weight == null ? 0 : weight, measures);
    }

    private Measure measure(Node node, String path) {
        positions.place(path, node.getStartMark());
        Map<String, Node> fields = fields(node, path, MEASURE_KEYS);
        String name = text(fields, "name", path, true);
        String metric = text(fields, "metric", path, true);
        Aggregate aggregate = aggregate(fields, path);
        Window window = window(fields, path);
        Integer weight = whole(fields, "weight", path, true);
        ScoreRule rule = fields.containsKey("score") ? rule(fields.get("score"), path + ".score") : null;
        if (!fields.containsKey("score")) {
            required(path, "score");
        }
        if (name == null || metric == null || aggregate == null || window == null || weight == null || rule == null) {
            // The document is already refused; a stand-in keeps the measure's place so later checks name the right
            // index.
            return new Measure(
                    name == null ? "" : name,
                    metric == null ? "" : metric,
                    Aggregate.sum,
                    Window.days(1),
                    weight == null ? 0 : weight,
                    new ScoreRule.Linear(0, 1));
        }
        return new Measure(name, metric, aggregate, window, weight, rule);
    }

    private Aggregate aggregate(Map<String, Node> fields, String path) {
        String text = text(fields, "aggregate", path, true);
        if (text == null) {
            return null;
        }
        try {
            return Aggregate.valueOf(text);
        } catch (IllegalArgumentException e) {
            problem(
                    fields.get("aggregate"),
                    path + ".aggregate",
                    "unknown aggregate '" + text + "'; use one of "
                            + Arrays.stream(Aggregate.values()).map(Enum::name).collect(Collectors.joining(", ")));
            return null;
        }
    }

    private Window window(Map<String, Node> fields, String path) {
        String text = text(fields, "window", path, true);
        if (text == null) {
            return null;
        }
        Matcher matcher = WINDOW.matcher(text.trim());
        if (!matcher.matches()) {
            problem(
                    fields.get("window"),
                    path + ".window",
                    "'" + text + "' is not a window; write a number of days or weeks such as 30d or 12w");
            return null;
        }
        int amount;
        try {
            amount = Integer.parseInt(matcher.group(1));
        } catch (NumberFormatException e) {
            problem(fields.get("window"), path + ".window", "'" + text + "' is too long a window");
            return null;
        }
        if (amount <= 0) {
            problem(fields.get("window"), path + ".window", "must be positive, was " + text);
            return null;
        }
        return new Window(amount, matcher.group(2).equals("d") ? Window.Unit.DAYS : Window.Unit.WEEKS);
    }

    private ScoreRule rule(Node node, String path) {
        Map<String, Node> fields = fields(node, path, SCORE_KEYS);
        if (fields.size() != 1) {
            if (node instanceof MappingNode) {
                problem(node, path, "must have exactly one of bands, linear or percentile, had " + fields.size());
            }
            return null;
        }
        String kind = fields.keySet().iterator().next();
        Node body = fields.get(kind);
        String at = path + "." + kind;
        if (kind.equals("linear")) {
            return linear(body, at);
        }
        if (kind.equals("percentile")) {
            Map<String, Node> percentile = fields(body, at, PERCENTILE_KEYS);
            String within = text(percentile, "within", at, true);
            if (within == null) {
                return null;
            }
            if (!within.equals(ScoreRule.Percentile.SEGMENT)) {
                problem(
                        percentile.get("within"),
                        at + ".within",
                        "percentiles rank within segment only, was '" + within + "'");
                return null;
            }
            return new ScoreRule.Percentile(within);
        }
        return bands(body, at);
    }

    private ScoreRule linear(Node node, String path) {
        Map<String, Node> fields = fields(node, path, LINEAR_KEYS);
        Double from = number(fields, "from", path, true);
        Double to = number(fields, "to", path, true);
        if (from == null || to == null) {
            return null;
        }
        if (from.equals(to)) {
            problem(node, path, "from and to are both " + quoted(fields.get("from")) + "; they must differ");
            return null;
        }
        return new ScoreRule.Linear(from, to);
    }

    private ScoreRule bands(Node node, String path) {
        if (!(node instanceof SequenceNode)) {
            problem(node, path, "must be a list of bands ending with an else band");
            return null;
        }
        List<Node> items = ((SequenceNode) node).getValue();
        List<ScoreRule.Band> bands = new ArrayList<>();
        Double otherwise = null;
        boolean sound = true;
        for (int i = 0; i < items.size(); i++) {
            String at = path + "[" + i + "]";
            positions.place(at, items.get(i).getStartMark());
            Map<String, Node> fields = fields(items.get(i), at, BAND_KEYS);
            if (otherwise != null) {
                problem(items.get(i), at, "comes after the else band, which must be the last");
                sound = false;
                continue;
            }
            if (fields.containsKey("else")) {
                if (fields.size() > 1) {
                    problem(items.get(i), at, "an else band has only 'else: points'");
                    sound = false;
                }
                otherwise = points(fields, "else", at);
                sound &= otherwise != null;
                continue;
            }
            boolean below = fields.containsKey("below");
            if (below == fields.containsKey("above")) {
                problem(items.get(i), at, "a band needs exactly one of below or above (or is the final else)");
                sound = false;
                continue;
            }
            String side = below ? "below" : "above";
            Double bound = number(fields, side, at, true);
            Double points = points(fields, "points", at);
            if (bound == null || points == null) {
                sound = false;
                continue;
            }
            ScoreRule.Band band =
                    new ScoreRule.Band(below ? ScoreRule.Direction.BELOW : ScoreRule.Direction.ABOVE, bound, points);
            if (!bands.isEmpty()) {
                ScoreRule.Band before = bands.get(bands.size() - 1);
                if (before.direction() != band.direction()) {
                    problem(items.get(i), at, "mixes below and above; bands must all use one of them");
                    sound = false;
                    continue;
                }
                boolean ordered = below ? band.bound() > before.bound() : band.bound() < before.bound();
                if (!ordered) {
                    problem(
                            items.get(i),
                            at,
                            band.describe() + " must be "
                                    + (below ? "greater" : "less") + " than the band before it (" + before.describe()
                                    + "), or no value could reach it");
                    sound = false;
                    continue;
                }
            }
            bands.add(band);
        }
        if (otherwise == null && sound) {
            problem(node, path, "the last band must be 'else: points', so that every value gets points");
            sound = false;
        }
        return sound ? new ScoreRule.Bands(bands, otherwise) : null;
    }

    private Double points(Map<String, Node> fields, String key, String path) {
        Double points = number(fields, key, path, true);
        if (points != null && !(points >= 0 && points <= 100)) {
            problem(
                    fields.get(key),
                    path + "." + key,
                    "points must be between 0 and 100, were " + quoted(fields.get(key)));
            return null;
        }
        return points;
    }

    /** The mapping's values by key, after reporting keys that are unknown, repeated or not plain words. */
    private Map<String, Node> fields(Node node, String path, Set<String> allowed) {
        Map<String, Node> fields = new LinkedHashMap<>();
        if (!(node instanceof MappingNode)) {
            problem(
                    node,
                    path,
                    "must be a mapping of "
                            + String.join(", ", allowed.stream().sorted().toList()));
            return fields;
        }
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode)) {
                problem(keyNode, path, "keys must be plain words");
                continue;
            }
            String key = ((ScalarNode) keyNode).getValue();
            String at = path.isEmpty() ? key : path + "." + key;
            if (!allowed.contains(key)) {
                problem(keyNode, at, "unknown key '" + key + "'" + suggestion(key, allowed));
                continue;
            }
            if (fields.containsKey(key)) {
                problem(keyNode, at, "'" + key + "' is given twice");
                continue;
            }
            positions.place(at, keyNode.getStartMark());
            fields.put(key, tuple.getValueNode());
        }
        return fields;
    }

    private List<Node> sequence(Map<String, Node> fields, String key, String path) {
        String at = path.isEmpty() ? key : path + "." + key;
        Node node = fields.get(key);
        if (node == null) {
            required(path, key);
            return List.of();
        }
        if (!(node instanceof SequenceNode) || ((SequenceNode) node).getValue().isEmpty()) {
            problem(node, at, "must be a non-empty list");
            return List.of();
        }
        return ((SequenceNode) node).getValue();
    }

    private String text(Map<String, Node> fields, String key, String path, boolean required) {
        Node node = fields.get(key);
        String at = path.isEmpty() ? key : path + "." + key;
        if (node == null) {
            if (required) {
                required(path, key);
            }
            return null;
        }
        if (!(node instanceof ScalarNode) || node.getTag().equals(Tag.NULL)) {
            problem(node, at, "must be text");
            return null;
        }
        return ((ScalarNode) node).getValue();
    }

    private Integer whole(Map<String, Node> fields, String key, String path, boolean required) {
        Node node = fields.get(key);
        String at = path.isEmpty() ? key : path + "." + key;
        if (node == null) {
            if (required) {
                required(path, key);
            }
            return null;
        }
        if (node instanceof ScalarNode && node.getTag().equals(Tag.INT)) {
            try {
                return Integer.valueOf(((ScalarNode) node).getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                // Hexadecimal, octal or out-of-range forms fall through to the same message as any other non-number.
            }
        }
        problem(node, at, "must be a whole number, was " + quoted(node));
        return null;
    }

    private Double number(Map<String, Node> fields, String key, String path, boolean required) {
        Node node = fields.get(key);
        String at = path.isEmpty() ? key : path + "." + key;
        if (node == null) {
            if (required) {
                required(path, key);
            }
            return null;
        }
        if (node instanceof ScalarNode
                && (node.getTag().equals(Tag.INT) || node.getTag().equals(Tag.FLOAT))) {
            try {
                double value = Double.parseDouble(((ScalarNode) node).getValue().replace("_", ""));
                if (Double.isFinite(value)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // YAML spellings Java does not parse (.inf, .nan, 0x1F) are refused below like any other non-number.
            }
        }
        problem(node, at, "must be a number, was " + quoted(node));
        return null;
    }

    private void required(String path, String key) {
        String at = path.isEmpty() ? key : path + "." + key;
        problems.add(positions.problem(at, "is required"));
        positions.markBroken(at);
    }

    private void problem(Node node, String path, String reason) {
        problems.add(Positions.at(node.getStartMark(), path, reason));
        positions.markBroken(path);
    }

    private static String suggestion(String key, Set<String> allowed) {
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : allowed) {
            int distance = distance(key.toLowerCase(), candidate.toLowerCase());
            if (distance < best) {
                best = distance;
                closest = candidate;
            }
        }
        String known = String.join(", ", allowed.stream().sorted().toList());
        return best <= 2 ? "; did you mean '" + closest + "'?" : "; known keys are " + known;
    }

    /** Levenshtein distance, to suggest the key a typo meant. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** How a value is quoted back in a message. */
    private static String quoted(Node node) {
        if (node instanceof ScalarNode) {
            return "'" + ((ScalarNode) node).getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }
}
