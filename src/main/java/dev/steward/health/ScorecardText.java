package dev.steward.health;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.steward.health.engine.ScorecardProblem;
import java.util.List;

/** A scorecard version with its YAML exactly as it was saved and the problems that keep it from being published. */
public record ScorecardText(@JsonUnwrapped ScorecardVersion version, String yaml, List<ScorecardProblem> problems) {

    public ScorecardText {
        problems = List.copyOf(problems);
    }
}
