package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.types.SimpleType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionsTests {

    private final Conditions conditions = Conditions.declare()
            .record("account", Map.of("tier", SimpleType.STRING, "arr", SimpleType.DOUBLE))
            .record("health", Map.of("color", SimpleType.STRING, "score", SimpleType.DOUBLE))
            .build();

    @Test
    void theSameDeclarationsShareCompiledConditionsAndOthersDoNot() {
        Conditions same = Conditions.declare()
                .record("account", Map.of("tier", SimpleType.STRING, "arr", SimpleType.DOUBLE))
                .record("health", Map.of("color", SimpleType.STRING, "score", SimpleType.DOUBLE))
                .build();
        Conditions.Compiled first = conditions.compile("account.tier == 'SMB'");
        assertThat(same.compile("account.tier == 'SMB'")).isSameAs(first);

        // The same names with another field type, or another field: compiled against their own declarations.
        Conditions tierAsNumber = Conditions.declare()
                .record("account", Map.of("tier", SimpleType.INT, "arr", SimpleType.DOUBLE))
                .record("health", Map.of("color", SimpleType.STRING, "score", SimpleType.DOUBLE))
                .build();
        assertThat(tierAsNumber.compile("account.tier == 'SMB'").compiles()).isFalse();
        Conditions withoutTier = Conditions.declare()
                .record("account", Map.of("arr", SimpleType.DOUBLE))
                .record("health", Map.of("color", SimpleType.STRING, "score", SimpleType.DOUBLE))
                .build();
        assertThat(withoutTier.compile("account.tier == 'SMB'").problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem.reason()).contains("unknown field 'tier'"));
        assertThat(conditions.compile("account.tier == 'SMB'").compiles()).isTrue();
    }

    @Test
    void aConditionHoldsOrNotOnTheValuesGiven() {
        Conditions.Compiled compiled = conditions.compile("account.tier == 'SMB' && account.arr >= 10000");
        assertThat(compiled.compiles()).isTrue();
        assertThat(compiled.evaluate(Map.of("account", Map.of("tier", "SMB", "arr", 12000.0), "health", Map.of()))
                        .holds())
                .isTrue();
        assertThat(compiled.evaluate(Map.of("account", Map.of("tier", "SMB", "arr", 9000.0), "health", Map.of()))
                        .holds())
                .isFalse();
    }

    @Test
    void macrosSuchAsHasAndExistsAreThere() {
        Conditions.Compiled compiled = conditions.compile("has(health.score) && [1, 2].exists(x, x > 1)");
        assertThat(compiled.problems()).isEmpty();
        assertThat(compiled.evaluate(Map.of("account", Map.of(), "health", Map.of("score", 10.0)))
                        .holds())
                .isTrue();
        assertThat(compiled.evaluate(Map.of("account", Map.of(), "health", Map.of()))
                        .holds())
                .isFalse();
    }

    @Test
    void anAbsentFieldMakesTheConditionFalseAndSaysWhy() {
        Conditions.Outcome outcome = conditions
                .compile("health.score < 40.0")
                .evaluate(Map.of("account", Map.of("tier", "SMB"), "health", Map.of()));
        assertThat(outcome.holds()).isFalse();
        assertThat(outcome.error()).contains("score");
    }

    @Test
    void aMisspeltVariableOrFieldIsNamedWithTheNearestDeclaredOne() {
        Conditions.Compiled variable = conditions.compile("acount.tier == 'SMB'");
        assertThat(variable.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("unknown variable 'acount'", "did you mean 'account'"));
        Conditions.Compiled field = conditions.compile("account.tier == 'SMB' &&\n  health.colour == 'red'");
        assertThat(field.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).contains("unknown field 'colour'", "did you mean 'health.color'");
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).isEqualTo(10);
        });
    }

    @Test
    void aConditionMustBeABoolean() {
        assertThat(conditions.compile("account.arr * 2.0").problems())
                .singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("must be true or false", "double"));
    }

    @Test
    void syntaxErrorsArePlaced() {
        assertThat(conditions.compile("account.tier == ").problems())
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.line()).isEqualTo(1));
    }
}
