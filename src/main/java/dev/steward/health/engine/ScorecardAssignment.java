package dev.steward.health.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Gives each account exactly one scorecard: among those whose {@code appliesTo} holds for the account, the one with the
 * lowest priority number. Conditions are compiled once, when the assignment is made, and evaluated per account.
 */
public final class ScorecardAssignment {

    private final List<Candidate> candidates;

    private ScorecardAssignment(List<Candidate> candidates) {
        this.candidates = candidates;
    }

    /**
     * An assignment over a set of scorecards.
     *
     * @throws IllegalArgumentException if the set has problems ({@link ScorecardDocuments#checkSet} lists them)
     */
    public static ScorecardAssignment of(List<Scorecard> scorecards) {
        List<ScorecardProblem> problems = ScorecardValidator.checkSet(scorecards);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("scorecards cannot be assigned: " + problems);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Scorecard scorecard : scorecards) {
            candidates.add(new Candidate(scorecard, AccountConditions.compile(scorecard.appliesTo())));
        }
        candidates.sort(
                Comparator.comparingInt(candidate -> candidate.scorecard().priority()));
        return new ScorecardAssignment(List.copyOf(candidates));
    }

    /** The scorecard for an account, with the reason it was chosen (or why none was). */
    public Assignment assign(AccountProfile account) {
        List<String> notes = new ArrayList<>();
        for (Candidate candidate : candidates) {
            AccountConditions.Outcome outcome = candidate.condition().evaluate(account);
            if (outcome.holds()) {
                Scorecard chosen = candidate.scorecard();
                notes.add(
                        0, chosen.name() + " applies (" + chosen.appliesTo() + ", priority " + chosen.priority() + ")");
                return new Assignment(Optional.of(chosen), String.join("; ", notes));
            }
            if (outcome.error() != null) {
                notes.add(candidate.scorecard().name() + " could not be decided: " + outcome.error());
            }
        }
        notes.add(0, "no scorecard applies");
        return new Assignment(Optional.empty(), String.join("; ", notes));
    }

    /** The chosen scorecard, if any, and why. */
    public record Assignment(Optional<Scorecard> scorecard, String reason) {}

    private record Candidate(Scorecard scorecard, AccountConditions.Compiled condition) {}
}
