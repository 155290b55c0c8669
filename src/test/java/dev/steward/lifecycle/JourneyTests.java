package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.Conditions;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.Churn;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** The journey document as read and checked, and the stage each shipped entry rule puts an account in. */
class JourneyTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 18);

    private final Conditions conditions = SegmentVariables.declareForStages(List.of("tenure_months"));

    @Test
    void theShippedJourneyIsValidAndListsTheSeededStagesInOrder() throws IOException {
        JourneyDocuments.Check check = new JourneyDocuments(conditions).read(shipped());
        assertThat(check.problems()).isEmpty();
        assertThat(check.document().stages())
                .extracting(JourneyDocument.Stage::key)
                .containsExactly("onboarding", "adoption", "growth", "renewal", "at_risk", "churned");
    }

    @Test
    void eachShippedRulePutsTheAccountItDescribesInItsStage() throws IOException {
        JourneyRules rules =
                JourneyRules.of(new JourneyDocuments(conditions).read(shipped()).document(), conditions);
        Account.Health green = new Account.Health(82, "green", 4.0);
        Account.Health flat = new Account.Health(82, "green", -1.0);
        Account.Health red = new Account.Health(31, "red", -9.0);
        // 30 days since the first contract: onboarding, even though it renews in 200 days; adoption once every
        // onboarding milestone is done.
        assertThat(stage(rules, account(30, 200, 40_000, flat, false))).isEqualTo("onboarding");
        assertThat(stageIn(rules, account(30, 200, 40_000, flat, false), "onboarding", 30L, true))
                .isEqualTo("adoption");
        // Past onboarding, nothing else: adoption; without any contract too.
        assertThat(stage(rules, account(200, 200, 40_000, flat, false))).isEqualTo("adoption");
        assertThat(stage(rules, account(null, null, 0, null, false))).isEqualTo("adoption");
        // Healthy, improving, 50,000 ARR or more: growth; not when the trend is down.
        assertThat(stage(rules, account(200, 200, 60_000, green, false))).isEqualTo("growth");
        assertThat(stage(rules, account(200, 200, 60_000, flat, false))).isEqualTo("adoption");
        // 120 days or fewer to the renewal date: renewal, over growth; not once the date has passed.
        assertThat(stage(rules, account(300, 120, 60_000, green, false))).isEqualTo("renewal");
        assertThat(stage(rules, account(300, 121, 60_000, green, false))).isEqualTo("growth");
        assertThat(stage(rules, account(300, -1, 40_000, flat, false))).isEqualTo("adoption");
        // Red for 14 days or more: at risk, over renewal and onboarding; Red for 13 days is not yet.
        assertThat(stage(rules, redFor(14, account(300, 60, 60_000, red, false))))
                .isEqualTo("at_risk");
        assertThat(stage(rules, redFor(40, account(10, 300, 60_000, red, false))))
                .isEqualTo("at_risk");
        assertThat(stage(rules, redFor(13, account(300, 60, 60_000, red, false))))
                .isEqualTo("renewal");
        assertThat(stage(rules, redFor(13, account(10, 300, 60_000, red, false))))
                .isEqualTo("onboarding");
        // Without a score history (no days in the color) the rule does not hold; nor for a Yellow account 30 days on.
        assertThat(stage(rules, account(300, 60, 60_000, red, false))).isEqualTo("renewal");
        Account.Health yellow = new Account.Health(55, "yellow", -2.0);
        assertThat(stage(rules, redFor(30, account(300, 200, 40_000, yellow, false))))
                .isEqualTo("adoption");
        // Churned: churned, whatever else holds.
        assertThat(stage(rules, redFor(30, account(300, 60, 60_000, red, true))))
                .isEqualTo("churned");
    }

    @Test
    void daysInColorCountsWholeDaysFromTheFirstDayOfTheColorAndIsAbsentWithoutAScore() {
        Account.Health red = new Account.Health(31, "red", -9.0);
        assertThat(health(redFor(14, account(300, 60, 60_000, red, false)))).containsEntry("daysInColor", 14L);
        assertThat(health(redFor(0, account(300, 60, 60_000, red, false)))).containsEntry("daysInColor", 0L);
        // An account without a score has no color, and no days in it, even if a stretch was passed along.
        assertThat(health(redFor(20, account(300, 60, 60_000, null, false)))).doesNotContainKey("daysInColor");
        Conditions.Compiled rule = conditions.compile("health.daysInColor >= 14");
        assertThat(rule.problems()).isEmpty();
        assertThat(rule.evaluate(SegmentVariables.of(account(300, 60, 60_000, red, false), TODAY, List.of()))
                        .holds())
                .isFalse();
    }

    @Test
    void anExitRuleIsCheckedLikeAnEntryRuleAndNamedAtItsLineAndField() {
        String yaml = """
                name: Customer journey
                stages:
                  - key: adoption
                    name: Adoption
                    entry: 'true'
                  - key: renewal
                    name: Renewal
                    entry: account.daysToRenewal >= 0 && account.daysToRenewal <= 120
                    exit: account.daysToRenewl > 120
                  - key: at_risk
                    name: At risk
                    entry: health.color == "red"
                    exit: health.score
                  - key: churned
                    name: Churned
                    entry: account.churned
                    exit: ' '
                    exits: account.churned
                """;
        List<SegmentProblem> problems =
                new JourneyDocuments(conditions).read(yaml).problems();
        assertThat(problems)
                .extracting(SegmentProblem::line, SegmentProblem::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(9, "stages[1].exit"),
                        org.assertj.core.groups.Tuple.tuple(13, "stages[2].exit"),
                        org.assertj.core.groups.Tuple.tuple(17, "stages[3].exit"),
                        org.assertj.core.groups.Tuple.tuple(18, "stages[3].exits"));
        assertThat(problems.get(0).reason()).contains("did you mean 'account.daysToRenewal'?");
        assertThat(problems.get(0).column()).isEqualTo(19);
        assertThat(problems.get(1).reason()).contains("true or false");
        assertThat(problems.get(2).reason()).startsWith("must not be blank");
        assertThat(problems.get(3).reason()).contains("did you mean 'exit'?");
    }

    @Test
    void anExitRuleHoldsOnTheSameVariablesAsEntryRules() {
        String yaml = """
                name: Customer journey
                stages:
                  - key: adoption
                    name: Adoption
                    entry: 'true'
                  - key: renewal
                    name: Renewal
                    entry: account.daysToRenewal >= 0 && account.daysToRenewal <= 120
                    exit: account.daysToRenewal > 120 || (stage.current == "renewal" && stage.days > 200)
                """;
        JourneyDocuments.Check check = new JourneyDocuments(conditions).read(yaml);
        assertThat(check.problems()).isEmpty();
        assertThat(check.document().stage("renewal").exit()).startsWith("account.daysToRenewal > 120");
        assertThat(check.document().stage("adoption").exit()).isNull();
        JourneyRules rules = JourneyRules.of(check.document(), conditions);
        assertThat(rules.hasExit("renewal")).isTrue();
        assertThat(rules.hasExit("adoption")).isFalse();
        assertThat(rules.hasExit("gone")).isFalse();
        // Renewal signed: the renewal date moved a year out.
        assertThat(rules.exits("renewal", values(account(300, 365, 40_000, null, false), "renewal", 10L)))
                .isTrue();
        assertThat(rules.exits("renewal", values(account(300, -5, 40_000, null, false), "renewal", 10L)))
                .isFalse();
        assertThat(rules.exits("renewal", values(account(300, -5, 40_000, null, false), "renewal", 201L)))
                .isTrue();
        assertThat(rules.exits("adoption", values(account(300, 365, 40_000, null, false), "adoption", 10L)))
                .isFalse();
    }

    @Test
    void aRuleCanReadTheStageTheAccountIsInAndForHowLong() {
        String yaml = """
                name: Customer journey
                stages:
                  - key: new
                    name: New
                    entry: 'true'
                  - key: settled
                    name: Settled
                    entry: stage.current == "settled" || (stage.current == "new" && stage.days >= 30)
                """;
        JourneyDocuments.Check check = new JourneyDocuments(conditions).read(yaml);
        assertThat(check.problems()).isEmpty();
        JourneyRules rules = JourneyRules.of(check.document(), conditions);
        AccountFacts facts = account(null, null, 0, null, false);
        assertThat(stageIn(rules, facts, null, null)).isEqualTo("new");
        assertThat(stageIn(rules, facts, "new", 29L)).isEqualTo("new");
        assertThat(stageIn(rules, facts, "new", 30L)).isEqualTo("settled");
        assertThat(stageIn(rules, facts, "settled", 0L)).isEqualTo("settled");
    }

    @Test
    void everyProblemIsNamedAtItsLineAndField() {
        String yaml = """
                name: Customer journey
                stages:
                  - key: onboarding
                    name: Onboarding
                    entry: account.daysToRenewl <= 120
                  - key: Onboarding
                    name: onboarding
                    entry: account.tier
                  - key: onboarding
                    nmae: Again
                """;
        List<SegmentProblem> problems =
                new JourneyDocuments(conditions).read(yaml).problems();
        assertThat(problems)
                .extracting(SegmentProblem::line, SegmentProblem::field)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(5, "stages[0].entry"),
                        org.assertj.core.groups.Tuple.tuple(6, "stages[1].key"),
                        org.assertj.core.groups.Tuple.tuple(7, "stages[1].name"),
                        org.assertj.core.groups.Tuple.tuple(8, "stages[1].entry"),
                        org.assertj.core.groups.Tuple.tuple(9, "stages[2].key"),
                        org.assertj.core.groups.Tuple.tuple(10, "stages[2].nmae"));
        assertThat(problems.get(0).reason()).contains("daysToRenewal");
        assertThat(problems)
                .filteredOn(p -> p.field().equals("stages[2].key"))
                .extracting(SegmentProblem::reason)
                .containsExactly("'onboarding' is the key of an earlier stage");
        assertThat(new JourneyDocuments(conditions)
                        .read("name: J\nstages: []\n")
                        .problems())
                .extracting(SegmentProblem::field)
                .containsExactly("stages");
    }

    @Test
    void milestonesAreDueDaysAfterTheFirstContractAndCountedDoneOrOverdue() throws IOException {
        JourneyDocument journey =
                new JourneyDocuments(conditions).read(shipped()).document();
        assertThat(journey.milestones())
                .extracting(JourneyDocument.Milestone::key, JourneyDocument.Milestone::dueDays)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("kickoff", 7),
                        org.assertj.core.groups.Tuple.tuple("integration", 30),
                        org.assertj.core.groups.Tuple.tuple("first_value", 45),
                        org.assertj.core.groups.Tuple.tuple("training", 60));
        Map<String, AccountMilestones.Completion> done = Map.of(
                "kickoff", new AccountMilestones.Completion(TODAY.minusDays(35), "Ada", null),
                "first_value", new AccountMilestones.Completion(TODAY.minusDays(2), "Ada", "first report shared"));
        // 40 days in: integration (due day 30) is overdue; training (day 60) is not due yet.
        assertThat(OnboardingProgress.of(journey.milestones(), done, TODAY.minusDays(40), TODAY))
                .isEqualTo(new OnboardingProgress(false, 2, 1));
        // 61 days in: training is overdue too; without a contract nothing is.
        assertThat(OnboardingProgress.of(journey.milestones(), done, TODAY.minusDays(61), TODAY))
                .isEqualTo(new OnboardingProgress(false, 2, 2));
        assertThat(OnboardingProgress.of(journey.milestones(), done, null, TODAY))
                .isEqualTo(new OnboardingProgress(false, 2, 0));
        assertThat(OnboardingProgress.of(List.of(), Map.of(), TODAY.minusDays(40), TODAY))
                .isEqualTo(new OnboardingProgress(true, 0, 0));
    }

    @Test
    void aMilestoneWithoutAWholeDueDayOrASecondFirstValueIsNamedAtItsLine() {
        String yaml = """
                name: Customer journey
                stages:
                  - key: all
                    name: All
                    entry: 'true'
                milestones:
                  - key: kickoff
                    name: Kick-off
                    dueDays: soon
                  - key: value
                    name: First value
                    dueDays: 30
                    firstValue: true
                  - key: value2
                    name: Second value
                    dueDays: 40
                    firstValue: true
                """;
        List<SegmentProblem> problems =
                new JourneyDocuments(conditions).read(yaml).problems();
        assertThat(problems)
                .extracting(SegmentProblem::line, SegmentProblem::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(7, "milestones"),
                        org.assertj.core.groups.Tuple.tuple(9, "milestones[0].dueDays"));
        assertThat(problems.get(1).reason()).startsWith("is 'soon': the whole days");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> health(AccountFacts facts) {
        return (Map<String, Object>)
                SegmentVariables.of(facts, TODAY, List.of()).get("health");
    }

    private static Map<String, Object> values(AccountFacts facts, String current, Long days) {
        return SegmentVariables.withStage(SegmentVariables.of(facts, TODAY, List.of()), current, days, false, 0, 0);
    }

    /** The account, its health color begun {@code days} days ago. */
    private static AccountFacts redFor(int days, AccountFacts facts) {
        return new AccountFacts(
                facts.account(),
                facts.ownerEmail(),
                facts.attributes(),
                facts.coverage(),
                facts.firstContractStart(),
                TODAY.minusDays(days));
    }

    private String stage(JourneyRules rules, AccountFacts facts) {
        return stageIn(rules, facts, null, null, false);
    }

    private String stageIn(JourneyRules rules, AccountFacts facts, String current, Long days) {
        return stageIn(rules, facts, current, days, false);
    }

    private String stageIn(JourneyRules rules, AccountFacts facts, String current, Long days, boolean milestonesDone) {
        JourneyDocument.Stage stage = rules.decide(SegmentVariables.withStage(
                SegmentVariables.of(facts, TODAY, List.of()), current, days, milestonesDone, 0, 0));
        return stage == null ? null : stage.key();
    }

    private static String shipped() throws IOException {
        return new ClassPathResource(LifecycleManagement.SHIPPED).getContentAsString(StandardCharsets.UTF_8);
    }

    /** An account whose first contract started {@code sinceStart} days ago and that renews in {@code toRenewal}. */
    private static AccountFacts account(
            Integer sinceStart, Integer toRenewal, long arr, Account.Health health, boolean churned) {
        Account account = new Account(
                new AccountId(UUID.randomUUID()),
                "Acme",
                null,
                "SMB",
                "Software",
                "EMEA",
                120,
                null,
                null,
                null,
                Map.of(),
                Map.of(),
                BigDecimal.valueOf(arr),
                toRenewal == null ? null : TODAY.plusDays(toRenewal),
                health,
                churned ? new Churn(TODAY.minusDays(5), "budget") : null,
                null,
                1,
                Instant.EPOCH,
                Instant.EPOCH);
        return new AccountFacts(
                account,
                null,
                Map.of(),
                health == null ? null : 0.8,
                sinceStart == null ? null : TODAY.minusDays(sinceStart));
    }
}
