package dev.steward.health.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.steward.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScorecardFormTests {

    private static final String SMB = read("health/scorecards/smb.yaml");

    @Test
    void theFormListsTheThresholdsTheDimensionsAndEachMeasuresWeightAndRule() {
        ScorecardForm.Form form = ScorecardForm.of(SMB);

        assertThat(form.scorecard())
                .extracting(ScorecardForm.Field::path)
                .containsExactly("thresholds.red", "thresholds.yellow", "minimumCoverage");
        assertThat(form.dimensions()).isNotEmpty();
        ScorecardForm.Dimension product = form.dimensions().get(0);
        assertThat(product.name()).isEqualTo("Product");
        assertThat(product.weight().path()).isEqualTo("dimensions[0].weight");
        ScorecardForm.Measure first = product.measures().get(0);
        assertThat(first.weight().path()).isEqualTo("dimensions[0].measures[0].weight");
        assertThat(form.dimensions().stream().flatMap(d -> d.measures().stream()))
                .anySatisfy(measure -> {
                    assertThat(measure.rule()).isEqualTo("bands");
                    assertThat(measure.ruleFields())
                            .extracting(ScorecardForm.Field::label)
                            .contains("points", "Otherwise, points");
                })
                .anySatisfy(measure -> {
                    assertThat(measure.rule()).isEqualTo("linear");
                    assertThat(measure.ruleFields())
                            .extracting(ScorecardForm.Field::path)
                            .allMatch(path ->
                                    path.matches("dimensions\\[\\d+]\\.measures\\[\\d+]\\.score\\.linear\\.(from|to)"));
                });
    }

    @Test
    void changingANumberChangesThoseCharactersOnlyKeepingCommentsAndLayout() {
        String yaml = """
                # Our biggest customers 🐘: reviewed every quarter
                name: Whales
                thresholds: { red: 40, yellow: 70 }   # agreed with finance
                dimensions:
                  - name: Product   # what they use
                    weight: 100
                    measures:
                      - name: Logins
                        metric: logins
                        weight: "100"
                        score: { bands: [ { below: 5, points: 0 }, { else: 100 } ] }
                """;

        assertThat(ScorecardForm.set(yaml, "thresholds.yellow", " 75 "))
                .isEqualTo(yaml.replace("yellow: 70", "yellow: 75"));
        assertThat(ScorecardForm.set(yaml, "dimensions[0].measures[0].weight", "90"))
                .isEqualTo(yaml.replace("weight: \"100\"", "weight: 90"));
        assertThat(ScorecardForm.set(yaml, "dimensions[0].measures[0].score.bands[0].below", "7.5"))
                .isEqualTo(yaml.replace("below: 5", "below: 7.5"));
        assertThat(ScorecardForm.set(yaml, "dimensions[0].measures[0].score.bands[1].else", "80"))
                .isEqualTo(yaml.replace("else: 100", "else: 80"));
    }

    @Test
    void thresholdsCoverageAndWeightsTheDocumentLeavesOutAreEmptyFieldsAndAValueGivenThereIsAdded() {
        String yaml = """
                # Lean: no thresholds yet
                name: Lean
                priority: 30   # before the catch-all
                dimensions:
                  - name: Product
                    measures:
                      - { name: Logins, metric: logins, score: { linear: { from: 1, to: 20 } } }
                """;

        ScorecardForm.Form form = ScorecardForm.of(yaml);
        assertThat(form.scorecard())
                .extracting(ScorecardForm.Field::path, ScorecardForm.Field::value, ScorecardForm.Field::missing)
                .containsExactly(
                        tuple("thresholds.red", "", true),
                        tuple("thresholds.yellow", "", true),
                        tuple("minimumCoverage", "", true));
        assertThat(form.scorecard().get(0).absent()).isEqualTo("not set: Red up to 40");
        assertThat(form.dimensions().get(0).weight().missing()).isTrue();

        // Thresholds come as both (a scorecard that writes them writes both), after the last plain value.
        String withRed = ScorecardForm.set(yaml, "thresholds.red", "35");
        assertThat(withRed)
                .isEqualTo(yaml.replace(
                        "priority: 30   # before the catch-all\n",
                        "priority: 30   # before the catch-all\nthresholds:\n  red: 35\n  yellow: 70\n"));
        assertThat(ScorecardForm.set(withRed, "minimumCoverage", "0.5"))
                .isEqualTo(withRed.replace("before the catch-all\n", "before the catch-all\nminimumCoverage: 0.5\n"));
        // A weight goes beside the name it belongs to; in a flow mapping, as one more entry.
        assertThat(ScorecardForm.set(yaml, "dimensions[0].weight", "100"))
                .isEqualTo(yaml.replace("  - name: Product\n", "  - name: Product\n    weight: 100\n"));
        assertThat(ScorecardForm.set(yaml, "dimensions[0].measures[0].weight", "100"))
                .isEqualTo(yaml.replace("to: 20 } } }", "to: 20 } }, weight: 100 }"));
        // A threshold added to thresholds written in a flow mapping.
        assertThat(ScorecardForm.set("name: X\nthresholds: { red: 30 }\n", "thresholds.yellow", "60"))
                .isEqualTo("name: X\nthresholds: { red: 30, yellow: 60 }\n");
    }

    @Test
    void onlyANumberGoesInAndOnlyWhereTheDocumentHasOne() {
        assertThatThrownBy(() -> ScorecardForm.set(SMB, "thresholds.red", "forty"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                            assertThat(error.field()).isEqualTo("thresholds.red");
                            assertThat(error.reason()).isEqualTo("must be a number, was 'forty'");
                        }));
        assertThatThrownBy(() -> ScorecardForm.set(SMB, "dimensions[42].weight", "10"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors().get(0).reason())
                                .isEqualTo("the document has no number there to change"));
        assertThatThrownBy(() -> ScorecardForm.set(SMB, "dimensions", "10")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ScorecardForm.of("name: [unclosed")).isInstanceOf(InvalidInputException.class);
    }

    private static String read(String path) {
        try (var in = ScorecardFormTests.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
