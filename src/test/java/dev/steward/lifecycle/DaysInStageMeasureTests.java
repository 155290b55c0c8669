package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.StewardTest;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import dev.steward.health.HealthScoring;
import dev.steward.health.VersionedScorecard;
import dev.steward.health.engine.MeasureScore;
import dev.steward.health.engine.ScorecardDocuments;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Health reads the days an account has spent in its lifecycle stage from the lifecycle module's stage facts, as of the
 * day scored: a stage entered after that day is not counted.
 */
@StewardTest
class DaysInStageMeasureTests {

    private static final String SCORECARD = """
            name: Days in stage test
            appliesTo: "true"
            priority: 1
            minimumCoverage: 0.1
            dimensions:
              - name: Lifecycle
                weight: 100
                measures:
                  - name: Days in stage
                    metric: lifecycle.days_in_stage
                    aggregate: latest
                    window: 90d
                    weight: 100
                    score: { linear: { from: 0, to: 100 } }
            """;

    @Autowired
    HealthScoring scoring;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContractManagement contracts;

    @Autowired
    JdbcClient jdbc;

    @Test
    void daysInStageAreReadFromTheStageFactsAsOfTheDayScored() {
        UUID account = accounts.create(new AccountInput(
                        null,
                        "Days In Stage Test",
                        null,
                        null,
                        "Mid-Market",
                        "Stagetest",
                        null,
                        100,
                        null,
                        null,
                        null,
                        null,
                        null))
                .id()
                .value();
        contracts.create(new ContractInput(
                null,
                account,
                null,
                LocalDate.of(2025, 1, 1),
                LocalDate.of(2028, 1, 1),
                BigDecimal.valueOf(12_000),
                20,
                null,
                null,
                null,
                null,
                null));
        stay(account, "onboarding", "2025-01-01T10:00:00Z", "2025-03-01T10:00:00Z");
        stay(account, "adoption", "2025-03-01T10:00:00Z", "2026-03-01T10:00:00Z");
        stay(account, "renewal", "2026-03-01T10:00:00Z", null);
        VersionedScorecard version = new VersionedScorecard(
                "Days in stage test",
                1,
                new ScorecardDocuments(Set.of()).read(SCORECARD).scorecard());

        assertThat(daysInStage(account, LocalDate.of(2026, 3, 18), version))
                .as("in renewal since 1 March 2026")
                .isEqualTo(17);
        assertThat(daysInStage(account, LocalDate.of(2026, 2, 1), version))
                .as("as of 1 February 2026 the renewal stage, entered later, does not count: in adoption since 1 March"
                        + " 2025")
                .isEqualTo(337);
        assertThat(daysInStage(account, LocalDate.of(2025, 2, 1), version)).isEqualTo(31);
    }

    private Double daysInStage(UUID account, LocalDate day, VersionedScorecard version) {
        MeasureScore measure = scoring.asOf(account, day, List.of(version))
                .explanation()
                .dimensions()
                .get(0)
                .measures()
                .get(0);
        return measure.rawValue();
    }

    private void stay(UUID account, String stage, String entered, String left) {
        jdbc.sql("""
                        insert into account_stage (account_id, stage, stage_name, entered_at, left_at, cause)
                        values (?, ?, ?, ?, ?, 'rule')""")
                .params(
                        account,
                        stage,
                        stage,
                        Timestamp.from(Instant.parse(entered)),
                        left == null ? null : Timestamp.from(Instant.parse(left)))
                .update();
    }
}
