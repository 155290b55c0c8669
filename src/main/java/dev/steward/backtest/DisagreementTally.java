package dev.steward.backtest;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.steward.health.ScoreDisagreement;
import dev.steward.health.engine.Color;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Who was right when CSMs disagreed with the score: each disagreement is settled once what became of the account within
 * the horizon after its day is known (it churned, or the horizon passed without churn as far as the data tells), and
 * pending until then, never guessed. If the account churned, whoever said the worse color was right; if not, whoever
 * said the better one. The share of disagreements the CSMs got right is given only from {@value #MINIMUM_SETTLED}
 * settled on: a percentage of three says nothing.
 *
 * @param horizonDays the days after a disagreement's day within which a churn counts
 * @param csmRightShare CSM right among settled, from 0 to 1; {@code null} with fewer than {@code minimumSettled} settled
 * @param disagreements each disagreement's verdict, oldest day first
 */
record DisagreementTally(
        int horizonDays,
        int settled,
        int csmRight,
        int modelRight,
        int pending,
        int minimumSettled,
        Double csmRightShare,
        List<Judged> disagreements) {

    /** Settled disagreements needed before the CSM-right share is shown. */
    static final int MINIMUM_SETTLED = 10;

    /** Who turned out right about one disagreement. */
    enum Verdict {
        CSM_RIGHT,
        MODEL_RIGHT,
        PENDING;

        @JsonValue
        String value() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One disagreement judged: its colors, the verdict, the day the account churned within the horizon (if it did),
     * and the last day of its horizon (after which, without churn, the model or the CSM is right).
     */
    record Judged(
            UUID disagreement,
            UUID account,
            LocalDate day,
            Color modelColor,
            Color suggestedColor,
            String author,
            Verdict verdict,
            LocalDate churnedOn,
            LocalDate horizonEnds) {}

    /** The disagreements judged against what became of their accounts. */
    static DisagreementTally of(List<ScoreDisagreement> all, Outcomes outcomes, int horizon) {
        List<Judged> judged = new ArrayList<>();
        int csm = 0;
        int model = 0;
        int pending = 0;
        for (ScoreDisagreement d : all.stream()
                .sorted(java.util.Comparator.comparing(ScoreDisagreement::day)
                        .thenComparing(ScoreDisagreement::createdAt))
                .toList()) {
            LocalDate churned = outcomes.churnedOn(d.account(), d.day(), horizon);
            Verdict verdict;
            if (churned != null) {
                verdict = d.csmSaidWorse() ? Verdict.CSM_RIGHT : Verdict.MODEL_RIGHT;
            } else if (outcomes.censored(d.account(), d.day(), horizon)) {
                verdict = Verdict.PENDING;
            } else {
                verdict = d.csmSaidWorse() ? Verdict.MODEL_RIGHT : Verdict.CSM_RIGHT;
            }
            switch (verdict) {
                case CSM_RIGHT -> csm++;
                case MODEL_RIGHT -> model++;
                case PENDING -> pending++;
            }
            judged.add(new Judged(
                    d.id(),
                    d.account(),
                    d.day(),
                    d.modelColor(),
                    d.suggestedColor(),
                    d.author(),
                    verdict,
                    churned,
                    d.day().plusDays(horizon)));
        }
        int settled = csm + model;
        return new DisagreementTally(
                horizon,
                settled,
                csm,
                model,
                pending,
                MINIMUM_SETTLED,
                settled >= MINIMUM_SETTLED ? (double) csm / settled : null,
                List.copyOf(judged));
    }
}
