package dev.steward.health.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
