package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.health.HealthColorSince;
import dev.steward.health.HealthScoring;
import dev.steward.health.engine.Color;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * {@code health.daysInColor} on hand-built score histories: whole days since the first scored day of the stretch of
 * the color that counts now (an override's on the days one applied), and the shipped At risk rule that reads it. On a
 * database of its own: a re-score of every account that another class's work starts would replace the hand-built
 * scores (seen in CI's PostgreSQL 15 run).
 */
@StewardTest
@TestPropertySource(properties = "steward.test.days-in-color=own-database")
@WithMockUser(roles = "MANAGER")
class DaysInColorTests {

    private static final String INDUSTRY = "Segtest-DaysInColor";
    private static final String FORTNIGHT = "Segtest-Fortnight";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Autowired
    HealthScoring health;

    @Autowired
    AccountManagement accounts;

    @Autowired
    EvaluationRequests requests;

    private final Map<UUID, java.util.Optional<String>> colors = new java.util.HashMap<>();

    @Test
    void daysInColorCountsFromTheFirstScoredDayOfTheColorThatCountsNow() throws Exception {
        LocalDate today = LocalDate.now(clock);
        // Green, then Red from 16 days ago, scored only weekly since: the gaps do not break the stretch.
        UUID weekly = account("Colors Weekly", "red");
        UUID recent = account("Colors Recent", "red");
        UUID overridden = account("Colors Overridden", "green");
        UUID interrupted = account("Colors Interrupted", "red");
        UUID fresh = account("Colors Fresh", "yellow");
        UUID unscored = account("Colors Unscored", null);
        settle(List.of(weekly, recent, overridden, interrupted, fresh, unscored));
        for (int back = 40; back > 16; back--) {
            score(weekly, today.minusDays(back), "green");
        }
        score(weekly, today.minusDays(16), "red");
        score(weekly, today.minusDays(9), "red");
        score(weekly, today.minusDays(2), "red");
        score(weekly, today, "red");
        // Red for 13 days after a Green day.
        score(recent, today.minusDays(14), "green");
        for (int back = 13; back >= 0; back--) {
            score(recent, today.minusDays(back), "red");
        }
        // Computed Red for 30 days; overridden Green since 5 days ago: the override's color counts.
        for (int back = 30; back >= 0; back--) {
            score(overridden, today.minusDays(back), "red");
        }
        override(overridden, "green", today.minusDays(5), today.plusDays(20), null);
        // Computed Red for 30 days; overridden Yellow from 20 to 10 days ago (removed then): Red again for 10 days.
        for (int back = 30; back >= 0; back--) {
            score(interrupted, today.minusDays(back), "red");
        }
        override(interrupted, "yellow", today.minusDays(20), today.plusDays(10), today.minusDays(10));
        // Scored for the first time today; never scored.
        score(fresh, today, "yellow");

        Map<UUID, HealthColorSince> colors =
                health.colorsSince(List.of(weekly, recent, overridden, interrupted, fresh, unscored));
        assertThat(colors).doesNotContainKey(unscored);
        assertThat(colors.get(weekly).color()).isEqualTo(Color.RED);
        assertThat(colors.get(weekly).daysOn(today)).isEqualTo(16);
        assertThat(colors.get(recent).daysOn(today)).isEqualTo(13);
        assertThat(colors.get(overridden).color()).isEqualTo(Color.GREEN);
        assertThat(colors.get(overridden).daysOn(today)).isEqualTo(5);
        assertThat(colors.get(interrupted).color()).isEqualTo(Color.RED);
        assertThat(colors.get(interrupted).daysOn(today)).isEqualTo(10);
        assertThat(colors.get(fresh).daysOn(today)).isZero();

        // What conditions read, through a preview on current data.
        preview("health.daysInColor >= 14")
                .andExpect(jsonPath("$.matched", is(1)))
                .andExpect(jsonPath("$.sample[*].name", contains("Colors Weekly")));
        preview("health.daysInColor == 13 && health.color == \"red\"").andExpect(jsonPath("$.matched", is(1)));
        preview("health.daysInColor == 5 && health.color == \"green\"")
                .andExpect(jsonPath("$.sample[*].name", contains("Colors Overridden")));
        preview("health.daysInColor == 10").andExpect(jsonPath("$.sample[*].name", contains("Colors Interrupted")));
        preview("health.daysInColor == 0").andExpect(jsonPath("$.sample[*].name", contains("Colors Fresh")));
        preview("!has(health.daysInColor)").andExpect(jsonPath("$.sample[*].name", contains("Colors Unscored")));
    }

    @Test
    void theShippedJourneyPutsAnAccountAtRiskAfterFourteenDaysOfRed() throws Exception {
        LocalDate today = LocalDate.now(clock);
        UUID long_ = account("Red Fortnight Co", FORTNIGHT, "red");
        UUID short_ = account("Red Fortnight Minus One Co", FORTNIGHT, "red");
        settle(List.of(long_, short_));
        score(long_, today.minusDays(15), "yellow");
        score(short_, today.minusDays(14), "yellow");
        for (int back = 14; back >= 0; back--) {
            score(long_, today.minusDays(back), "red");
        }
        for (int back = 13; back >= 0; back--) {
            score(short_, today.minusDays(back), "red");
        }
        // The journey's rules decide their stages again, as after any change to them (a change through the API would
        // also have them re-scored, replacing the hand-built scores).
        requests.note(java.util.Set.of(long_, short_));
        awaitStage(long_, "at_risk");
        awaitStage(short_, "adoption");
    }

    private void awaitStage(UUID account, String stage) {
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                        .andExpect(jsonPath("$.current.stage", is(stage))));
    }

    private ResultActions preview(String condition) throws Exception {
        String yaml =
                "name: Days in color\ncondition: 'account.industry == \"%s\" && %s'\n".formatted(INDUSTRY, condition);
        return mvc.perform(post("/api/v1/segments/{name}/preview", "Days in color")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(csrf()))
                .andExpect(status().isOk());
    }

    /** An account without contracts, showing the given color as its current health (as the health module records). */
    private UUID account(String name, String color) {
        return account(name, INDUSTRY, color);
    }

    private UUID account(String name, String industry, String color) {
        UUID id = accounts.create(new AccountInput(
                        null, name, null, null, "SMB", industry, null, 10, null, null, null, null, null))
                .id()
                .value();
        colors.put(id, java.util.Optional.ofNullable(color));
        return id;
    }

    /**
     * Waits until the re-scores that creating the accounts asked for are done (their scores would replace the
     * hand-built ones whenever they ran: the SMB scorecard scores these accounts), then removes what they stored and
     * gives each account the color it is to show.
     */
    private void settle(List<UUID> ids) {
        // The job takes the requests first and re-scores after, in the same run: done when no request of these
        // accounts waits and no re-score runs or waits (the shipped scorecards' publication at start asks for one)
        // (creating them gave no contract, so the re-score may store no
        // score but records on the account that it is not scored).
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("""
                                        select (select count(*) from health_rescore_request where account_id = any(?))
                                             + (select count(*) from scheduled_tasks
                                                 where (task_name like 'health-%' and picked)
                                                    or task_name = 'health-published-rescore')""")
                                .param(new org.springframework.jdbc.support.SqlArrayValue("uuid", ids.toArray()))
                                .query(Long.class)
                                .single()
                        == 0);
        jdbc.sql("delete from health_score where account_id = any(?)")
                .param(new org.springframework.jdbc.support.SqlArrayValue("uuid", ids.toArray()))
                .update();
        for (UUID id : ids) {
            String color = colors.get(id).orElse(null);
            jdbc.sql("update account set health_score = ?, health_color = ?, health_trend = null where id = ?")
                    .params(color == null ? null : 30, color, id)
                    .update();
        }
    }

    private void score(UUID account, LocalDate day, String color) {
        jdbc.sql("""
                        insert into health_score (account_id, day, scorecard, scorecard_version, score, color, coverage,
                                                  raw, ranks, computed_at)
                        values (?, ?, 'Hand-built', 1, 30, ?, 1, '{}', '{}', ?)""")
                .params(account, day, color, Timestamp.from(clock.instant()))
                .update();
    }

    private void override(UUID account, String color, LocalDate created, LocalDate expires, LocalDate ended) {
        Instant at = created.atTime(9, 0).toInstant(ZoneOffset.UTC);
        jdbc.sql("""
                        insert into health_override (id, account_id, color, reason, expires_on, author_name, created_at,
                                                     ended_at, ended_by)
                        values (?, ?, ?, 'hand-built', ?, 'Ada', ?, ?, ?)""")
                .params(
                        UUID.randomUUID(),
                        account,
                        color,
                        expires,
                        Timestamp.from(at),
                        ended == null
                                ? null
                                : Timestamp.from(ended.atTime(11, 0).toInstant(ZoneOffset.UTC)),
                        ended == null ? null : "Ada")
                .update();
    }
}
