package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.engine.Aggregate;
import dev.steward.health.engine.Dimension;
import dev.steward.health.engine.Measure;
import dev.steward.health.engine.ScoreRule;
import dev.steward.health.engine.Scorecard;
import dev.steward.health.engine.Thresholds;
import dev.steward.health.engine.Window;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MethodologyTests {

    @Test
    void aReversedLinearRuleSaysLowerIsBetter() {
        Measure resolution = new Measure(
                "Time to resolution",
                "tickets.resolution_hours",
                Aggregate.average,
                Window.days(90),
                100,
                new ScoreRule.Linear(72, 24));

        assertThat(Methodology.points(resolution))
                .isEqualTo("Lower is better: 0 points at 72 or more, 100 at 24 or less, in proportion between.");
        assertThat(Methodology.what(resolution, Map.of()))
                .isEqualTo("Average hours to resolve a support ticket over the last 90 days");
        assertThat(Methodology.source(resolution.metric())).isEqualTo("Support tickets");
    }

    @Test
    void eachMeasureCarriesItsShareOfTheWholeScore() {
        Measure logins = new Measure(
                "Logins", "logins", Aggregate.sum, new Window(12, Window.Unit.WEEKS), 30, new ScoreRule.Linear(0, 50));
        Measure trend = new Measure(
                "Trend", "logins", Aggregate.pct_change, Window.days(30), 70, new ScoreRule.Linear(-0.5, 0));
        Scorecard scorecard = new Scorecard(
                "Test",
                "true",
                1,
                Thresholds.DEFAULT,
                0.5,
                List.of(new Dimension("Product", 50, List.of(logins, trend)), new Dimension("Other", 50, List.of())));

        Methodology methodology = Methodology.of(scorecard, 3, Map.of("logins", "Logins"));

        Methodology.Entry entry =
                methodology.sections().get(1).groups().get(0).entries().get(0);
        assertThat(entry.facts())
                .contains(
                        new Methodology.Fact("Measures", "Total logins over the last 12 weeks"),
                        new Methodology.Fact("Weight", "30% of Product, 15% of the whole score"));
        assertThat(Methodology.points(trend))
                .isEqualTo("0 points at −50% or less, 100 at 0% or more, in proportion between.");
    }
}
