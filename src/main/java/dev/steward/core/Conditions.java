package dev.steward.core;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CEL conditions (Common Expression Language) over declared variables: compiled once, refused unless they return a
 * boolean, with each problem placed at its line and column in the expression and a misspelt variable or field
 * answered with the nearest declared name. A variable is either a plain value or a record of named fields, given at
 * run time as a map; a field missing from that map is absent, and a condition that reads it does not hold.
 */
public final class Conditions {

    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

    // CEL's planner runtime: it plans a checked expression once into an evaluation tree, where the standard runtime
    // walks the expression on every evaluation; the same results and messages, two to four times faster on segment
    // conditions (measured with 2,000 accounts' values × 8 segment conditions, half of them without health).
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.plannerRuntimeBuilder().setOptions(OPTIONS).build();

    private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']+)'");
    private static final Pattern UNDEFINED_FIELD = Pattern.compile("undefined field '([^']+)'");
    private static final Pattern RESULT_TYPE = Pattern.compile("expected type '([^']+)' but found '([^']+)'");

    /**
     * Declarations already built, by what they declare: building a compiler takes milliseconds, and callers declare the
     * same variables on every pass over the accounts (segments, stages, owners, scorecards).
     */
    private static final Cache<String, Conditions> DECLARED =
            CacheBuilder.newBuilder().maximumSize(200).build();

    /**
     * Conditions already compiled, by their declarations and text: compiling (parsing and type-checking) costs more
     * than evaluating many accounts, and every pass and every re-validation of a published document compiles again.
     * A compiled condition is immutable and safe to share across threads.
     */
    private static final Cache<String, Compiled> COMPILED =
            CacheBuilder.newBuilder().maximumSize(5_000).build();

    /** A condition names a segment by writing its name, quoted, before {@code in segments}. */
    private static final Pattern SEGMENT_REFERENCE = Pattern.compile("([\"'])((?:(?!\\1).)*)\\1\\s+in\\s+segments\\b");

    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\n]|\\\\.)*'");

    private static final Pattern SEGMENTS = Pattern.compile("(?<![\\w.])segments\\b");

    private final CelCompiler compiler;
    private final Map<String, List<String>> names;
    private final String signature;

    private Conditions(CelCompiler compiler, Map<String, List<String>> names, String signature) {
        this.compiler = compiler;
        this.names = names;
        this.signature = signature;
    }

    /** Declares the variables that conditions may read. */
    public static Builder declare() {
        return new Builder();
    }

    /** Collects variable declarations. */
    public static final class Builder {

        private final Map<String, CelType> variables = new LinkedHashMap<>();
        private final List<StructType> structs = new ArrayList<>();
        private final Map<String, List<String>> names = new LinkedHashMap<>();

        private Builder() {}

        /** A variable holding one value of the type. */
        public Builder value(String name, CelType type) {
            variables.put(name, type);
            names.put(name, List.of());
            return this;
        }

        /** A variable holding a record of named fields ({@code name.field}), given at run time as a map. */
        public Builder record(String name, Map<String, CelType> fields) {
            Map<String, CelType> copy = new LinkedHashMap<>(fields);
            StructType type = StructType.create(
                    "steward." + name,
                    ImmutableSet.copyOf(copy.keySet()),
                    field -> Optional.ofNullable(copy.get(field)));
            structs.add(type);
            variables.put(name, type);
            names.put(name, List.copyOf(new TreeSet<>(copy.keySet())));
            return this;
        }

        public Conditions build() {
            StringBuilder signature = new StringBuilder();
            variables.forEach((name, type) ->
                    signature.append(name).append(':').append(describe(type)).append(';'));
            structs.forEach(struct -> {
                signature.append(struct.name()).append('{');
                names.get(struct.name().substring("steward.".length()))
                        .forEach(field -> signature
                                .append(field)
                                .append(':')
                                .append(struct.findField(field)
                                        .map(f -> describe(f.type()))
                                        .orElse("?"))
                                .append(','));
                signature.append('}');
            });
            String key = signature.toString();
            Conditions built = DECLARED.getIfPresent(key);
            if (built == null) {
                built = compiler(key);
                DECLARED.put(key, built);
            }
            return built;
        }

        /** A type as the signature writes it: a record by its name, other types by what they hold. */
        private static String describe(CelType type) {
            return type instanceof StructType ? type.name() : type.toString();
        }

        private Conditions compiler(String signature) {
            List<StructType> types = List.copyOf(structs);
            CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(OPTIONS)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .setTypeProvider(new Types(types))
                    .setResultType(SimpleType.BOOL);
            variables.forEach(builder::addVar);
            return new Conditions(builder.build(), Map.copyOf(names), signature);
        }
    }

    /** A problem with a condition: where in the expression (1-based line and column) and why. */
    public record Problem(int line, int column, String reason) {}

    /** A compiled condition, or the problems that keep it from compiling. */
    public static final class Compiled {

        private final CelRuntime.Program program;
        private final DirectConditions.Part direct;
        private final List<Problem> problems;

        private Compiled(CelRuntime.Program program, DirectConditions.Part direct, List<Problem> problems) {
            this.program = program;
            this.direct = direct;
            this.problems = List.copyOf(problems);
        }

        public boolean compiles() {
            return program != null;
        }

        public List<Problem> problems() {
            return problems;
        }

        /**
         * Whether the condition holds for these variable values; one that cannot be decided (it reads an absent
         * field, say) does not hold, and says why.
         */
        public Outcome evaluate(Map<String, Object> variables) {
            if (program == null) {
                throw new IllegalStateException("The condition does not compile: " + problems);
            }
            // The plain conditions most are (comparisons of fields joined by && and ||) decided without CEL's
            // runtime, several times faster; what that cannot decide, CEL decides, with its own error.
            if (direct != null && direct.value(variables) instanceof Boolean holds) {
                return holds ? HOLDS : DOES_NOT_HOLD;
            }
            return evaluateWithCel(variables);
        }

        /** Whether the condition has a direct form (see {@link DirectConditions}), deciding most values without CEL. */
        public boolean isDirect() {
            return direct != null;
        }

        /** The outcome CEL's runtime gives, the direct form left aside: what the direct form must agree with. */
        public Outcome evaluateWithCel(Map<String, Object> variables) {
            try {
                return new Outcome(Boolean.TRUE.equals(program.eval(variables)), null);
            } catch (CelEvaluationException e) {
                return new Outcome(false, e.getMessage());
            } catch (RuntimeException e) {
                // A value of a shape the runtime does not take: this account's condition cannot be decided, the
                // others' still are.
                return new Outcome(false, "cannot be evaluated: " + e);
            }
        }
    }

    /** Whether a condition held, and why it could not be decided when it could not. */
    public record Outcome(boolean holds, String error) {}

    private static final Outcome HOLDS = new Outcome(true, null);

    private static final Outcome DOES_NOT_HOLD = new Outcome(false, null);

    /** Compiles the expression; never throws on a bad one, answering its problems instead. */
    public Compiled compile(String expression) {
        String key = signature + '\n' + expression;
        Compiled compiled = COMPILED.getIfPresent(key);
        if (compiled == null) {
            compiled = compileNow(expression);
            COMPILED.put(key, compiled);
        }
        return compiled;
    }

    private Compiled compileNow(String expression) {
        try {
            CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
            return new Compiled(RUNTIME.createProgram(ast), DirectConditions.of(ast.getExpr()), List.of());
        } catch (CelValidationException e) {
            List<Problem> problems = new ArrayList<>();
            for (CelIssue issue : e.getErrors()) {
                CelSourceLocation at = issue.getSourceLocation();
                int line = at == CelSourceLocation.NONE ? 1 : Math.max(1, at.getLine());
                int column = at == CelSourceLocation.NONE ? 1 : Math.max(0, at.getColumn()) + 1;
                // CEL places a field selection at its dot; the misspelt name starts just after it.
                if (UNDEFINED_FIELD.matcher(issue.getMessage()).find()) {
                    column++;
                }
                problems.add(new Problem(line, column, explain(issue.getMessage())));
            }
            problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
            return new Compiled(null, null, problems);
        } catch (CelEvaluationException e) {
            return new Compiled(null, null, List.of(new Problem(1, 1, e.getMessage())));
        }
    }

    /** The compiler's message, with the nearest declared name for a misspelt one and plain words for a wrong type. */
    private String explain(String message) {
        Matcher undeclared = UNDECLARED.matcher(message);
        if (undeclared.find()) {
            String name = undeclared.group(1);
            return "unknown variable '" + name + "'" + hint(name, names.keySet()) + "; the variables are "
                    + new TreeSet<>(names.keySet());
        }
        Matcher field = UNDEFINED_FIELD.matcher(message);
        if (field.find()) {
            String name = field.group(1);
            List<String> fields = new ArrayList<>();
            names.forEach((variable, own) -> own.forEach(f -> fields.add(variable + "." + f)));
            List<String> plain = names.values().stream().flatMap(List::stream).toList();
            String nearest = nearest(name, plain);
            String owner = nearest == null
                    ? null
                    : fields.stream()
                            .filter(f -> f.endsWith("." + nearest))
                            .findFirst()
                            .orElse(nearest);
            return "unknown field '" + name + "'" + (owner == null ? "" : "; did you mean '" + owner + "'?");
        }
        Matcher type = RESULT_TYPE.matcher(message);
        if (type.find()) {
            return "must be true or false (a boolean), but gives " + type.group(2);
        }
        return message;
    }

    private static String hint(String name, java.util.Collection<String> candidates) {
        String nearest = nearest(name, candidates);
        return nearest == null ? "" : "; did you mean '" + nearest + "'?";
    }

    /**
     * A segment a condition names as {@code "name" in segments}: the name and where it is written in the condition
     * (1-based line and column of its first character).
     */
    public record SegmentReference(String name, int line, int column) {}

    /**
     * The segments a condition names, in the one way a condition names a segment: its name quoted before
     * {@code in segments} ({@code "Enterprise" in segments}); the same name twice is listed twice, at each place.
     */
    public static List<SegmentReference> segmentReferences(String condition) {
        List<SegmentReference> references = new ArrayList<>();
        Matcher matcher = SEGMENT_REFERENCE.matcher(condition);
        while (matcher.find()) {
            int offset = matcher.start(2);
            int line = 1
                    + (int) condition
                            .substring(0, offset)
                            .chars()
                            .filter(c -> c == '\n')
                            .count();
            references.add(
                    new SegmentReference(matcher.group(2), line, offset - condition.lastIndexOf('\n', offset - 1)));
        }
        return references;
    }

    /**
     * Whether the condition reads the variable {@code segments} otherwise than as {@code "name" in segments} (its
     * size, say, or {@code exists}): where only the segments a condition names are known, such a reading would be
     * answered wrong.
     */
    public static boolean readsSegmentsOtherwise(String condition) {
        String code = STRING_LITERAL.matcher(condition).replaceAll("\"\"");
        long uses = SEGMENTS.matcher(code).results().count();
        return uses > segmentReferences(condition).size();
    }

    /** The candidate closest to the name in edits, if close enough to be a misspelling of it. */
    public static String nearest(String name, java.util.Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance =
                    distance(name.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

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

    private static final class Types implements CelTypeProvider {

        private final List<StructType> types;

        Types(List<StructType> types) {
            this.types = types;
        }

        @Override
        public ImmutableCollection<CelType> types() {
            return ImmutableList.copyOf(types);
        }

        @Override
        public Optional<CelType> findType(String typeName) {
            return types.stream()
                    .filter(type -> type.name().equals(typeName))
                    .map(CelType.class::cast)
                    .findFirst();
        }
    }
}
