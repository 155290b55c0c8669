package dev.steward.backtest;

import dev.steward.health.DisagreementManagement;
import dev.steward.health.ScoreDisagreement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Settles CSMs' disagreements with scores against what became of their accounts, with the backtests' own reading of
 * churn (contracts ended without renewal and churn events, as far as each account's sources tell) over their headline
 * horizon of {@value Backtester#HEADLINE_HORIZON_DAYS} days.
 */
@Component
class DisagreementOutcomes {

    private final DisagreementManagement disagreements;
    private final Backtester backtester;
    private final OutcomeHorizons horizons;
    private final Clock clock;

    DisagreementOutcomes(
            DisagreementManagement disagreements, Backtester backtester, OutcomeHorizons horizons, Clock clock) {
        this.disagreements = disagreements;
        this.backtester = backtester;
        this.horizons = horizons;
        this.clock = clock;
    }

    DisagreementTally tally() {
        int horizon = Backtester.HEADLINE_HORIZON_DAYS;
        List<ScoreDisagreement> all = disagreements.all();
        if (all.isEmpty()) {
            return DisagreementTally.of(all, null, horizon);
        }
        LocalDate today = LocalDate.now(clock);
        OutcomeHorizons.Known known = horizons.read(today);
        LocalDate first = all.stream()
                .map(ScoreDisagreement::day)
                .min(LocalDate::compareTo)
                .orElseThrow();
        LocalDate last = all.stream()
                .map(ScoreDisagreement::day)
                .max(LocalDate::compareTo)
                .orElseThrow();
        LocalDate until = last.plusDays(horizon);
        until = until.isAfter(known.knownUntil()) ? known.knownUntil() : until;
        Set<UUID> accounts = all.stream().map(ScoreDisagreement::account).collect(Collectors.toSet());
        return DisagreementTally.of(all, backtester.outcomes(first, until, known, accounts), horizon);
    }
}
