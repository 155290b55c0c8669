package dev.steward.health.engine;

import java.util.List;

/**
 * The result of reading and validating a scorecard document: the document ({@code null} when some field could not be
 * read at all) and every problem found, ordered by line.
 */
public record ScorecardCheck(Scorecard scorecard, List<ScorecardProblem> problems) {

    public ScorecardCheck {
        problems = List.copyOf(problems);
    }

    /** Whether the document may be published: it was read and nothing is wrong with it. */
    public boolean isValid() {
        return scorecard != null && problems.isEmpty();
    }
}
