package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.StewardTest;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.usage.UsageInput;
import dev.steward.usage.UsageRecorder;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Scoring one account as of a past day costs one account's read, not a re-score of every account, even when its
 * scorecard ranks a measure within its segment (the shipped SMB one ranks logins and active users): the segment's
 * distribution of that day is computed once and kept, and the account's score is the one scoring every account that
 * day gives it.
 */
@StewardTest
@TestPropertySource(properties = "steward.test.context=as-of-scores")
class AsOfScoresTests {

    @Autowired
    HealthScoring scoring;

    @Autowired
    ScorecardManagement scorecards;

    @Autowired
    AccountManagement accounts;

    @Autowired
    UsageRecorder usage;

    @Test
    void oneAccountAsOfADayRanksAgainstTheDaysDistributionComputedOnce() {
        LocalDate today = scoring.today();
        LocalDate day = today.minusDays(40);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            UUID id = accounts.create(new AccountInput(
                            null,
                            "As-of " + i,
                            null,
                            null,
                            "SMB",
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            Map.of(),
                            Map.of()))
                    .id()
                    .value();
            ids.add(id);
            List<UsageInput> values = new ArrayList<>();
            for (int back = 0; back < 120; back++) {
                values.add(new UsageInput(null, null, today.minusDays(back), "logins", BigDecimal.valueOf(i)));
                values.add(
                        new UsageInput(null, null, today.minusDays(back), "active_users", BigDecimal.valueOf(12 - i)));
            }
            usage.record(new AccountId(id), values);
        }
        List<VersionedScorecard> published = scorecards.publishedVersions();
        Map<UUID, AccountScore> all = new HashMap<>();
        scoring.scoreAll(day, published, score -> all.put(score.account(), score));
        int before = scoring.distributionsComputed();

        for (UUID id : ids) {
            AccountHealth asOf = scoring.asOf(id, day, published);
            assertThat(asOf.computedScore())
                    .as("as scored among all that day")
                    .isEqualTo(all.get(id).score());
            assertThat(asOf.computedColor()).isEqualTo(all.get(id).color());
        }

        assertThat(scoring.distributionsComputed() - before)
                .as("one pass over every account for twelve as-of scores of one day")
                .isEqualTo(1);
    }
}
