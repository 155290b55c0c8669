package dev.steward.health;

import dev.steward.health.engine.ScorecardProblem;
import java.util.List;

/** The outcome of checking a scorecard document: whether it could be published, and if not, every reason why. */
public record ScorecardValidation(boolean valid, List<ScorecardProblem> problems) {

    public ScorecardValidation {
        problems = List.copyOf(problems);
    }
}
