package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.ScoreDisagreement;
import dev.steward.health.engine.Color;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DisagreementTallyTests {

    static final LocalDate DAY = LocalDate.of(2025, 6, 1);

    @Test
    void whoeverSaidTheWorseColorIsRightWhenTheAccountChurnedAndTheBetterOneWhenItDidNot() {
        ScoreDisagreement warned = disagreement(Color.GREEN, Color.RED);
        ScoreDisagreement hopeful = disagreement(Color.YELLOW, Color.GREEN);
        ScoreDisagreement calm = disagreement(Color.RED, Color.YELLOW);
        ScoreDisagreement alarmed = disagreement(Color.YELLOW, Color.RED);
        ScoreDisagreement unknown = disagreement(Color.GREEN, Color.YELLOW);
        Outcomes outcomes = outcomes(Set.of(warned.account(), hopeful.account()), Set.of(unknown.account()));

        DisagreementTally tally = DisagreementTally.of(List.of(warned, hopeful, calm, alarmed, unknown), outcomes, 90);

        Map<UUID, DisagreementTally.Verdict> verdicts = new java.util.HashMap<>();
        tally.disagreements().forEach(j -> verdicts.put(j.disagreement(), j.verdict()));
        assertThat(verdicts)
                .containsEntry(warned.id(), DisagreementTally.Verdict.CSM_RIGHT)
                .containsEntry(hopeful.id(), DisagreementTally.Verdict.MODEL_RIGHT)
                .containsEntry(calm.id(), DisagreementTally.Verdict.CSM_RIGHT)
                .containsEntry(alarmed.id(), DisagreementTally.Verdict.MODEL_RIGHT)
                .containsEntry(unknown.id(), DisagreementTally.Verdict.PENDING);
        assertThat(List.of(tally.settled(), tally.csmRight(), tally.modelRight(), tally.pending()))
                .containsExactly(4, 2, 2, 1);
        assertThat(tally.csmRightShare()).as("4 settled are too few to say").isNull();
    }

    @Test
    void theShareIsGivenFromTenSettledOn() {
        List<ScoreDisagreement> all = new ArrayList<>();
        Set<UUID> churned = new java.util.HashSet<>();
        for (int i = 0; i < 10; i++) {
            ScoreDisagreement d = disagreement(Color.GREEN, Color.RED);
            all.add(d);
            if (i < 7) {
                churned.add(d.account());
            }
        }
        DisagreementTally ten = DisagreementTally.of(all, outcomes(churned, Set.of()), 90);
        assertThat(ten.csmRightShare()).isEqualTo(0.7);

        DisagreementTally nine = DisagreementTally.of(all.subList(0, 9), outcomes(churned, Set.of()), 90);
        assertThat(nine.settled()).isEqualTo(9);
        assertThat(nine.csmRightShare()).isNull();
    }

    private static ScoreDisagreement disagreement(Color model, Color csm) {
        return new ScoreDisagreement(
                UUID.randomUUID(),
                UUID.randomUUID(),
                DAY,
                model,
                50,
                "SMB",
                1,
                csm,
                "because",
                null,
                "casey@example.com",
                "Casey",
                Instant.parse("2025-06-01T12:00:00Z"),
                null,
                null,
                null,
                null);
    }

    /** Outcomes in which these accounts churned 30 days after the day, and what became of those others is unknown. */
    private static Outcomes outcomes(Set<UUID> churned, Set<UUID> unknown) {
        return new Outcomes() {
            @Override
            public boolean customerOn(UUID account, LocalDate day) {
                return true;
            }

            @Override
            public boolean censored(UUID account, LocalDate asOf, int horizon) {
                return unknown.contains(account);
            }

            @Override
            public Outcome outcome(UUID account, LocalDate asOf, int horizon) {
                return churned.contains(account) ? Outcome.CHURNED : Outcome.NONE;
            }

            @Override
            public LocalDate churnedOn(UUID account, LocalDate asOf, int horizon) {
                return churned.contains(account) ? asOf.plusDays(30) : null;
            }

            @Override
            public List<LocalDate> churnDays(UUID account) {
                return List.of();
            }

            @Override
            public Set<UUID> churnedAccounts() {
                return churned;
            }
        };
    }
}
