package dev.steward.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.steward.core.DocumentText;
import dev.steward.health.engine.ScorecardProblem;
import java.time.LocalDate;
import java.util.List;

/** A new scorecard's first version, a draft to check and publish, and what its template was made from. */
public record CreatedScorecard(DocumentText<ScorecardProblem> draft, Template template) {

    /**
     * The template: its kind; for a copy, the scorecard and version copied; for one generated from the data, the day
     * and the number of accounts it was read from and what was found of every metric it could have measured.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Template(
            String kind,
            String copiedFrom,
            Integer copiedVersion,
            LocalDate asOf,
            Integer accounts,
            List<Signal> measures) {

        public int included() {
            return measures == null
                    ? 0
                    : (int) measures.stream().filter(Signal::included).count();
        }
    }

    /**
     * One metric a generated scorecard could have measured: the measure it would be, how many of the accounts had data
     * of it, the values its points run between ({@code from} gets none, {@code to} every point) and, when it was left
     * out, why.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Signal(
            String measure,
            String metric,
            String dimension,
            int accountsWithData,
            Double from,
            Double to,
            boolean included,
            String leftOut) {}
}
