package dev.steward.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.StewardTest;
import dev.steward.health.AccountScore;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScorecardManagement;
import dev.steward.health.VersionedScorecard;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Scoring many as-of days from shared reads of the facts (what backtests use) gives every account, on every day, the
 * very score, color, coverage, raw values and ranks that scoring each day on its own gives, also when the days do not
 * all fit in memory at once and are read in several groups.
 */
@StewardTest
// Its own database with a small demo company, and a memory bound of 170 account-days: 80 accounts × 9 days are read
// in five groups (2 + 2 + 2 + 2 + 1 days).
@TestPropertySource(properties = "steward.health.raw-values-in-memory=170")
@DirtiesContext
class ScoringManyDaysTests {

    private static final int ACCOUNTS = 80;

    @Autowired
    DemoLoader demo;

    @Autowired
    HealthScoring scoring;

    @Autowired
    ScorecardManagement scorecards;

    @BeforeEach
    void loadDemoCompany() {
        demo.loadUnlessPresent(ACCOUNTS, 42);
    }

    @Test
    void manyDaysScoreAsEachDayAlone() {
        List<VersionedScorecard> published = scorecards.publishedVersions();
        LocalDate today = scoring.today();
        List<LocalDate> days = new ArrayList<>();
        for (int back = 8; back >= 0; back--) {
            days.add(today.minusMonths(back).withDayOfMonth(1));
        }

        List<Map<UUID, AccountScore>> together = new ArrayList<>();
        days.forEach(day -> together.add(new HashMap<>()));
        List<Integer> finished = new ArrayList<>();
        scoring.scoreAll(days, published, new HealthScoring.AsOfScores() {
            @Override
            public void score(int day, AccountScore score) {
                assertThat(finished)
                        .as("scores of a day come before the day is done")
                        .doesNotContain(day);
                together.get(day).put(score.account(), score);
            }

            @Override
            public void dayDone(int day) {
                finished.add(day);
            }
        });

        assertThat(finished).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        int compared = 0;
        for (int i = 0; i < days.size(); i++) {
            Map<UUID, AccountScore> alone = new HashMap<>();
            scoring.scoreAll(days.get(i), published, score -> alone.put(score.account(), score));
            assertThat(together.get(i).keySet())
                    .as("accounts scored as of " + days.get(i))
                    .isEqualTo(alone.keySet());
            for (AccountScore expected : alone.values()) {
                AccountScore actual = together.get(i).get(expected.account());
                assertThat(actual.day()).isEqualTo(days.get(i));
                assertThat(actual.raw())
                        .as("raw values of " + expected.scorecard() + " as of " + days.get(i))
                        .containsExactly(expected.raw());
                assertThat(actual.ranks()).as("ranks").containsExactly(expected.ranks());
                assertThat(actual.score()).as("score").isEqualTo(expected.score());
                assertThat(actual.color()).as("color").isEqualTo(expected.color());
                assertThat(actual.coverage()).as("coverage").isEqualTo(expected.coverage());
                assertThat(actual.ownScore()).as("own score of a parent").isEqualTo(expected.ownScore());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(ACCOUNTS * days.size() / 2);
        assertThat(together.get(0).values())
                .as("accounts that were customers months ago have scores with data")
                .anySatisfy(score -> assertThat(score.coverage()).isPositive());
    }

    @Test
    void someAccountsGetTheRawValuesTheyGetAmongAll() {
        List<VersionedScorecard> published = scorecards.publishedVersions();
        LocalDate today = scoring.today();
        List<LocalDate> days = List.of(
                today.minusMonths(3).withDayOfMonth(1), today.minusMonths(1).withDayOfMonth(1));
        Map<String, AccountScore> all = new HashMap<>();
        scoring.scoreAll(days, published, (day, score) -> all.put(day + "/" + score.account(), score));
        java.util.Set<UUID> some = new java.util.HashSet<>();
        all.values().stream().map(AccountScore::account).sorted().limit(25).forEach(some::add);

        Map<String, AccountScore> subset = new HashMap<>();
        scoring.scoreSome(days, published, some, (day, score) -> subset.put(day + "/" + score.account(), score));

        // An account that had churned by one of the days is scored on the others only, among all and alone.
        assertThat(subset).hasSize((int) all.values().stream()
                .filter(score -> some.contains(score.account()))
                .count());
        subset.forEach((key, score) -> {
            assertThat(some).contains(score.account());
            assertThat(score.raw())
                    .as("raw values of " + key)
                    .containsExactly(all.get(key).raw());
        });
    }

    @Test
    void daysMustAscend() {
        LocalDate today = scoring.today();
        assertThatThrownBy(() -> scoring.scoreAll(
                        List.of(today, today.minusDays(1)), scorecards.publishedVersions(), (day, score) -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascend");
    }
}
