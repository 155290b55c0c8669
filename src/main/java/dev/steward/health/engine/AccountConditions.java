package dev.steward.health.engine;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles {@code appliesTo} conditions (CEL over {@code account.*} and {@code segments}) against a declared account type, so that a
 * misspelt attribute or a condition that is not a boolean is refused when the scorecard is saved, not when it is run.
 */
final class AccountConditions {

    static final String TIER = "tier";
    static final String INDUSTRY = "industry";
    static final String REGION = "region";
    static final String EMPLOYEES = "employees";
    static final String LIFECYCLE_STAGE = "lifecycleStage";
    static final String ARR = "arr";
    static final String CUSTOM_FIELDS = "customFields";

    /** The names of the segments, among those the scorecards name, that the account is in on the day scored. */
    static final String SEGMENTS = "segments";

    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

    private static final StructType ACCOUNT = account();

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            // has(account.tier) tells an account without a segment from one with any; exists, all, map and filter
            // read custom fields that are lists.
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setTypeProvider(new AccountTypeProvider())
            .addVar("account", ACCOUNT)
            .addVar(SEGMENTS, ListType.create(SimpleType.STRING))
            .setResultType(SimpleType.BOOL)
            .build();

    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private AccountConditions() {}

    /** The compiled condition, or why it does not compile (with its 1-based line and column in the expression). */
    static Compiled compile(String expression) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return new Compiled(RUNTIME.createProgram(ast), null);
        } catch (CelValidationException e) {
            CelIssue first = e.getErrors().get(0);
            return new Compiled(null, first.getMessage());
        } catch (CelEvaluationException e) {
            return new Compiled(null, e.getMessage());
        }
    }

    /** A compiled condition ({@code program} set) or the reason it did not compile ({@code error} set). */
    record Compiled(CelRuntime.Program program, String error) {

        boolean compiles() {
            return program != null;
        }

        /** Whether the condition holds for the account; an evaluation error (such as a missing attribute) does not. */
        Outcome evaluate(AccountProfile account) {
            try {
                return new Outcome(
                        Boolean.TRUE.equals(program.eval(
                                Map.of("account", account.asCelValue(), SEGMENTS, List.copyOf(account.segments())))),
                        null);
            } catch (CelEvaluationException e) {
                return new Outcome(false, e.getMessage());
            }
        }
    }

    /** Whether a condition held, and the evaluation error if it could not be decided. */
    record Outcome(boolean holds, String error) {}

    private static StructType account() {
        Map<String, CelType> fields = new LinkedHashMap<>();
        fields.put(TIER, SimpleType.STRING);
        fields.put(INDUSTRY, SimpleType.STRING);
        fields.put(REGION, SimpleType.STRING);
        fields.put(EMPLOYEES, SimpleType.INT);
        fields.put(LIFECYCLE_STAGE, SimpleType.STRING);
        fields.put(ARR, SimpleType.DOUBLE);
        fields.put(CUSTOM_FIELDS, MapType.create(SimpleType.STRING, SimpleType.DYN));
        return StructType.create(
                "steward.Account", ImmutableSet.copyOf(fields.keySet()), name -> Optional.ofNullable(fields.get(name)));
    }

    private static final class AccountTypeProvider implements CelTypeProvider {

        @Override
        public ImmutableCollection<CelType> types() {
            return ImmutableList.of(ACCOUNT);
        }

        @Override
        public Optional<CelType> findType(String typeName) {
            return ACCOUNT.name().equals(typeName) ? Optional.of(ACCOUNT) : Optional.empty();
        }
    }
}
