package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SegmentDocumentsTests {

    private final SegmentDocuments documents = new SegmentDocuments(
            SegmentVariables.declare(List.of("tenure_months", "monthly_charges")), Set.of("Enterprise", "At risk"));

    @Test
    void aRuleSegmentWithAConditionOverAccountHealthAndAttributesIsValid() {
        SegmentCheck check = documents.read("""
                name: Big and sick
                description: Enterprise accounts in trouble
                condition: |
                  "Enterprise" in segments && health.color in ["red", "yellow"]
                    && account.daysToRenewal < 120 && attribute.tenure_months > 12.0
                """, "Big and sick");
        assertThat(check.problems()).isEmpty();
        assertThat(check.document().kind()).isEqualTo(SegmentDocument.Kind.RULE);
        assertThat(check.document().description()).isEqualTo("Enterprise accounts in trouble");
        assertThat(SegmentDocuments.references(check.document().condition())).containsExactly("Enterprise");
    }

    @Test
    void aMisspeltFieldIsPlacedAtItsLineAndColumnInTheYamlWithTheNearestName() {
        SegmentCheck check = documents.read("""
                name: Renewing
                condition: |
                  account.tier == "SMB" &&
                    account.daysToRenwal < 90
                """, "Renewing");
        assertThat(check.isValid()).isFalse();
        assertThat(check.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("condition");
            assertThat(problem.line()).isEqualTo(4);
            assertThat(problem.column()).isEqualTo(13);
            assertThat(problem.reason()).contains("daysToRenwal", "did you mean 'account.daysToRenewal'");
        });
    }

    @Test
    void anUnknownVariableOnThePlainLineIsNamedWithTheNearestVariable() {
        SegmentCheck check = documents.read("name: Sick\ncondition: helth.score < 40.0\n", "Sick");
        assertThat(check.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(2);
            assertThat(problem.column()).isEqualTo(12);
            assertThat(problem.reason()).contains("unknown variable 'helth'", "did you mean 'health'");
        });
    }

    @Test
    void aConditionThatIsNotABooleanOrDoesNotCompileIsRefused() {
        assertThat(documents
                        .read("name: X\ncondition: account.arr * 2.0\n", "X")
                        .problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem.reason()).contains("must be true or false"));
        assertThat(documents.read("name: X\ncondition: account.tier == \n", "X").problems())
                .isNotEmpty()
                .allSatisfy(problem -> assertThat(problem.line()).isEqualTo(2));
    }

    @Test
    void aSegmentThatRefersToItselfOrToNoSegmentIsRefused() {
        SegmentCheck self = documents.read("name: At risk\ncondition: '\"At risk\" in segments'\n", "At risk");
        assertThat(self.problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem.reason()).contains("refers to this segment itself"));
        SegmentCheck unknown = documents.read("name: Y\ncondition: '\"Enterprize\" in segments'\n", "Y");
        assertThat(unknown.problems())
                .singleElement()
                .satisfies(problem ->
                        assertThat(problem.reason()).contains("no segment is named 'Enterprize'", "'Enterprise'"));
    }

    @Test
    void fieldsAreCheckedOneByOne() {
        SegmentCheck check = documents.read("""
                name: Other
                descripton: typo
                type: dynamic
                """, "Named");
        assertThat(check.problems())
                .extracting(SegmentProblem::field, SegmentProblem::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("condition", 1),
                        org.assertj.core.groups.Tuple.tuple("name", 1),
                        org.assertj.core.groups.Tuple.tuple("descripton", 2),
                        org.assertj.core.groups.Tuple.tuple("type", 3));
        assertThat(check.problems().get(2).reason()).contains("did you mean 'description'");
    }

    @Test
    void aStaticSegmentHasNoCondition() {
        assertThat(documents.read("name: Logos\ntype: static\n", "Logos").isValid())
                .isTrue();
        assertThat(documents
                        .read("name: Logos\ntype: static\ncondition: 'true'\n", "Logos")
                        .problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem.reason()).contains("a static segment has no condition"));
        assertThat(documents.read("name: Logos\n", "Logos").problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem.field()).isEqualTo("condition"));
    }

    @Test
    void segmentsThatReferToEachOtherInACircleAreFound() {
        assertThat(SegmentRules.circle(Map.of("A", Set.of("B"), "B", Set.of("C"), "C", Set.of("A"))))
                .hasSize(4)
                .satisfies(circle -> assertThat(circle.get(0)).isEqualTo(circle.get(3)))
                .contains("A", "B", "C");
        assertThat(SegmentRules.circle(Map.of("A", Set.of("B"), "B", Set.of(), "C", Set.of("A"))))
                .isNull();
    }
}
