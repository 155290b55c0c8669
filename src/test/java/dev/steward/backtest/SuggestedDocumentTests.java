package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** A suggestion is written into the tested version's own document: comments, order and flow style stay. */
class SuggestedDocumentTests {

    private static final String DOCUMENT = """
            # Our mid-market card: owned by CS Ops.
            name: Test
            appliesTo: "true"
            priority: 1
            thresholds: { red: 40, yellow: 70 }   # agreed with the VP
            minimumCoverage: 0.6
            dimensions:
              # What they do in the product
              - name: Product
                weight: 50
                measures:
                  - name: Usage
                    metric: logins
                    aggregate: sum
                    window: 30d
                    weight: 50   # half of it
                    score: { linear: { from: 0, to: 100 } }
                  - name: Noise
                    metric: logins
                    aggregate: sum
                    window: 30d
                    weight: 50
                    score:
                      linear: { from: 0, to: 100 }
              # How they talk to support
              - name: Support
                weight: 50
                measures:
                  - name: Tickets
                    metric: tickets.opened
                    aggregate: count
                    window: 90d
                    weight: 100
                    score: { bands: [ { above: 2, points: 0 }, { else: 100 } ] }
            """;

    /** Usage takes all of Product and Product all of the score; Noise had no data and Tickets no variance. */
    private static Suggestion suggestion(int red, int yellow) {
        return new Suggestion(
                "Test",
                3,
                90,
                null,
                null,
                10,
                null,
                null,
                5,
                "accuracy",
                List.of(
                        new Suggestion.DimensionWeight("Product", 50, 100),
                        new Suggestion.DimensionWeight("Support", 50, 0)),
                List.of(
                        new Suggestion.MeasureWeight("Product", "Usage", 50, 100, -1.5, null, null, null, null, null),
                        new Suggestion.MeasureWeight(
                                "Product",
                                "Noise",
                                50,
                                0,
                                0,
                                "no data on any of the 10 observations fitted on",
                                null,
                                null,
                                null,
                                null),
                        new Suggestion.MeasureWeight(
                                "Support",
                                "Tickets",
                                100,
                                0,
                                0,
                                "the same points (100) on every one of the 10",
                                null,
                                null,
                                null,
                                null)),
                40,
                70,
                red,
                yellow,
                null,
                null,
                "regenerated",
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void weightsAndThresholdsAreRewrittenInPlaceAndWhatIsLeftOutIsCommentedOutWithItsReason() {
        String written = SuggestedDocument.write(DOCUMENT, suggestion(42, 72), "“Fit” (run-1)");

        assertThat(written).isEqualTo("""
                # Weights and thresholds suggested by backtest “Fit” (run-1).
                # Our mid-market card: owned by CS Ops.
                name: Test
                appliesTo: "true"
                priority: 1
                thresholds: { red: 42, yellow: 72 }   # agreed with the VP
                minimumCoverage: 0.6
                dimensions:
                  # What they do in the product
                  - name: Product
                    weight: 100
                    measures:
                      - name: Usage
                        metric: logins
                        aggregate: sum
                        window: 30d
                        weight: 100   # half of it
                        score: { linear: { from: 0, to: 100 } }
                      # Left out by backtest “Fit” (run-1): no data on any of the 10 observations fitted on
                      # - name: Noise
                      #   metric: logins
                      #   aggregate: sum
                      #   window: 30d
                      #   weight: 50
                      #   score:
                      #     linear: { from: 0, to: 100 }
                  # How they talk to support
                  # Left out by backtest “Fit” (run-1): no measure of this dimension had data that varied
                  # - name: Support
                  #   weight: 50
                  #   measures:
                  #     - name: Tickets
                  #       metric: tickets.opened
                  #       aggregate: count
                  #       window: 90d
                  #       weight: 100
                  #       score: { bands: [ { above: 2, points: 0 }, { else: 100 } ] }
                """);
        Map<String, Object> read = new Yaml().load(written);
        assertThat((List<?>) read.get("dimensions")).hasSize(1);
        assertThat(read.get("thresholds")).isEqualTo(Map.of("red", 42, "yellow", 72));
    }

    /**
     * A rule learned from raw values takes the place of the rule in force, written in flow style where that rule was
     * (on the same line, or on the line below for a block-style rule); the rest of the measure stays as written.
     */
    @Test
    void learnedRulesReplaceTheRulesInForceInPlace() {
        Suggestion learned = new Suggestion(
                "Test",
                3,
                90,
                null,
                null,
                10,
                null,
                null,
                5,
                "balanced",
                List.of(
                        new Suggestion.DimensionWeight("Product", 50, 60),
                        new Suggestion.DimensionWeight("Support", 50, 40)),
                List.of(
                        new Suggestion.MeasureWeight(
                                "Product",
                                "Usage",
                                50,
                                70,
                                -1.5,
                                null,
                                "linear from 0 to 100",
                                "bands: below 3 → 0, else → 100",
                                "{ bands: [ { below: 3, points: 0 }, { else: 100 } ] }",
                                "churn on the 10 fitted observations with data: …"),
                        new Suggestion.MeasureWeight(
                                "Product",
                                "Noise",
                                50,
                                30,
                                -0.5,
                                null,
                                "linear from 0 to 100",
                                "bands: below 0.25 → 0, below 7 → 40, else → 100",
                                "{ bands: [ { below: 0.25, points: 0 }, { below: 7, points: 40 }, { else: 100 } ] }",
                                "…"),
                        new Suggestion.MeasureWeight("Support", "Tickets", 100, 100, -1, null, null, null, null, null)),
                40,
                70,
                40,
                70,
                null,
                null,
                "regenerated",
                null,
                null,
                null,
                null,
                null);

        String written = SuggestedDocument.write(DOCUMENT, learned, null);

        assertThat(written)
                .contains("        weight: 70   # half of it\n"
                        + "        score: { bands: [ { below: 3, points: 0 }, { else: 100 } ] }\n")
                .contains("        weight: 30\n"
                        + "        score:\n"
                        + "          { bands: [ { below: 0.25, points: 0 }, { below: 7, points: 40 }, { else: 100 } ] }\n"
                        + "  # How they talk to support\n")
                .contains("score: { bands: [ { above: 2, points: 0 }, { else: 100 } ] }");
        var check = new dev.steward.health.engine.ScorecardDocuments(java.util.Set.of("logins", "tickets.opened"))
                .read(written);
        assertThat(check.problems()).isEmpty();
        assertThat(check.scorecard().dimensions().get(0).measures().get(1).score())
                .isEqualTo(new dev.steward.health.engine.ScoreRule.Bands(
                        List.of(
                                new dev.steward.health.engine.ScoreRule.Band(
                                        dev.steward.health.engine.ScoreRule.Direction.BELOW, 0.25, 0),
                                new dev.steward.health.engine.ScoreRule.Band(
                                        dev.steward.health.engine.ScoreRule.Direction.BELOW, 7, 40)),
                        100));
    }

    @Test
    void writingAgainReplacesTheFirstLineRatherThanAddingAnother() {
        String once = SuggestedDocument.HEADER + "“Fit” (run-1).\n" + DOCUMENT;
        String twice = SuggestedDocument.write(once, suggestion(42, 72), "“Refit” (run-2)");

        assertThat(twice.lines().filter(line -> line.startsWith(SuggestedDocument.HEADER)))
                .containsExactly(SuggestedDocument.HEADER + "“Refit” (run-2).");
    }

    @Test
    void aDocumentWithoutThresholdsGetsTheSuggestedOnesOnTheirOwnLine() {
        String withoutThresholds = DOCUMENT.replace("thresholds: { red: 40, yellow: 70 }   # agreed with the VP\n", "");

        String written = SuggestedDocument.write(withoutThresholds, suggestion(45, 75), null);

        assertThat(written).contains("minimumCoverage: 0.6\nthresholds: { red: 45, yellow: 75 }\ndimensions:\n");
        assertThat(written).doesNotContain(SuggestedDocument.HEADER);
        assertThat(written).contains("# Left out by the suggestion: no data on any of the 10 observations");
    }

    @Test
    void aDocumentThatDoesNotHoldTheSuggestedMeasuresIsRefused() {
        assertThatThrownBy(() -> SuggestedDocument.write(DOCUMENT.replace("Noise", "Other"), suggestion(42, 72), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("does not name Noise");
    }
}
