package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.activity.ChurnEvent;
import dev.steward.customer.AccountId;
import dev.steward.customer.ContractOutcomes.ContractOutcome;
import dev.steward.customer.RenewalOutcome;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccountOutcomesTests {

    private static final UUID RENEWS = UUID.randomUUID();
    private static final UUID LEAVES = UUID.randomUUID();
    private static final UUID IMPORTED = UUID.randomUUID();
    private static final UUID NO_CONTRACTS = UUID.randomUUID();
    private static final UUID NOTHING_KNOWN = UUID.randomUUID();
    private static final UUID LEFT_LONG_AGO = UUID.randomUUID();

    /** Every source's data runs to the end of 2027 here, unless a test says otherwise. */
    private static final Map<String, LocalDate> LIVE = Map.of("test", LocalDate.of(2027, 12, 31));

    private static ContractOutcome contract(UUID account, String start, String end, RenewalOutcome outcome) {
        return contract(account, "test", start, end, outcome);
    }

    private static ContractOutcome contract(
            UUID account, String source, String start, String end, RenewalOutcome outcome) {
        return new ContractOutcome(
                UUID.randomUUID(),
                account,
                source,
                LocalDate.parse(start),
                end == null ? null : LocalDate.parse(end),
                BigDecimal.TEN,
                null,
                outcome);
    }

    private static ChurnEvent churn(UUID account, String day) {
        return churn(account, "test", day);
    }

    private static ChurnEvent churn(UUID account, String source, String day) {
        return new ChurnEvent(
                UUID.randomUUID(),
                new AccountId(account),
                source,
                null,
                LocalDate.parse(day),
                ChurnEvent.ReasonCategory.budget,
                null,
                null);
    }

    /** As the backtest reads them for as-of days in 2025–2026: LEFT_LONG_AGO's contract ended in 2023, outside. */
    private final AccountOutcomes outcomes = new AccountOutcomes(
            List.of(
                    contract(RENEWS, "2025-01-01", "2026-01-01", RenewalOutcome.RENEWED),
                    contract(RENEWS, "2026-01-01", "2027-01-01", RenewalOutcome.PENDING),
                    contract(LEAVES, "2025-01-01", "2026-01-01", RenewalOutcome.CHURNED),
                    // Imported without naming its predecessor: the next contract runs on, so this one renewed.
                    contract(IMPORTED, "2025-01-01", "2026-01-01", RenewalOutcome.CHURNED),
                    contract(IMPORTED, "2026-01-01", "2027-01-01", RenewalOutcome.PENDING)),
            List.of(churn(LEAVES, "2026-01-01"), churn(NO_CONTRACTS, "2025-09-10")),
            Set.of(RENEWS, LEAVES, IMPORTED, LEFT_LONG_AGO),
            Map.of(NO_CONTRACTS, LocalDate.of(2025, 3, 1)),
            LIVE,
            LocalDate.of(2027, 12, 31));

    @Test
    void theHorizonIncludesItsLastDayAndExcludesTheAsOfDay() {
        LocalDate asOf = LocalDate.of(2025, 12, 1);
        assertThat(outcomes.outcome(RENEWS, asOf, 30)).as("1 January is day 31").isEqualTo(Outcome.NONE);
        assertThat(outcomes.outcome(RENEWS, asOf, 31)).isEqualTo(Outcome.RENEWED);
        assertThat(outcomes.outcome(LEAVES, asOf, 31)).isEqualTo(Outcome.CHURNED);
        assertThat(outcomes.churnedOn(LEAVES, asOf, 31)).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(outcomes.outcome(LEAVES, LocalDate.of(2026, 1, 1), 31))
                .as("churned on the as-of day itself: before the window")
                .isEqualTo(Outcome.NONE);
    }

    @Test
    void aContractThatEndsWhileAnotherRunsOnIsARenewal() {
        assertThat(outcomes.outcome(IMPORTED, LocalDate.of(2025, 12, 15), 30)).isEqualTo(Outcome.RENEWED);
        assertThat(outcomes.churnDays(IMPORTED)).isEmpty();
    }

    @Test
    void aCustomerIsAnAccountWithAContractInForce() {
        assertThat(outcomes.customerOn(LEAVES, LocalDate.of(2025, 12, 31))).isTrue();
        assertThat(outcomes.customerOn(LEAVES, LocalDate.of(2026, 1, 1)))
                .as("the end is exclusive")
                .isFalse();
        assertThat(outcomes.customerOn(RENEWS, LocalDate.of(2024, 12, 31)))
                .as("before its first contract")
                .isFalse();
    }

    /**
     * Whether an account was a customer depends on that day's facts, not on which contracts the run read: an account
     * whose contracts all ended before the days judged is no customer (once it was read as one until its first churn
     * event, and 148 such accounts were "retained").
     */
    @Test
    void anAccountWhoseContractsEndedLongBeforeIsNoCustomerWhateverTheRunRead() {
        assertThat(outcomes.customerOn(LEFT_LONG_AGO, LocalDate.of(2025, 6, 1))).isFalse();
    }

    /** An account with no contract at all is a customer from its first fact until it churns, and not before. */
    @Test
    void anAccountWithoutContractsIsACustomerFromItsFirstFactUntilItChurns() {
        assertThat(outcomes.customerOn(NO_CONTRACTS, LocalDate.of(2025, 2, 28))).isFalse();
        assertThat(outcomes.customerOn(NO_CONTRACTS, LocalDate.of(2025, 3, 1))).isTrue();
        assertThat(outcomes.customerOn(NO_CONTRACTS, LocalDate.of(2025, 9, 9))).isTrue();
        assertThat(outcomes.customerOn(NO_CONTRACTS, LocalDate.of(2025, 9, 10))).isFalse();
        assertThat(outcomes.customerOn(NOTHING_KNOWN, LocalDate.of(2025, 9, 10)))
                .as("no fact of it at all")
                .isFalse();
        assertThat(outcomes.outcome(NO_CONTRACTS, LocalDate.of(2025, 9, 1), 30)).isEqualTo(Outcome.CHURNED);
        assertThat(outcomes.churnedAccounts()).containsExactlyInAnyOrder(LEAVES, NO_CONTRACTS);
    }

    /**
     * An export whose facts end on 30 June 2024: a window that runs past it is censored, and an open-ended or a
     * later-ending contract with no renewal in the export has not churned (its renewal is simply not in the data).
     * Another account's live source knows more.
     */
    @Test
    void pastTheDataHorizonOfItsSourcesAnAccountsOutcomeIsUnknown() {
        UUID exported = UUID.randomUUID();
        UUID openEnded = UUID.randomUUID();
        UUID live = UUID.randomUUID();
        AccountOutcomes export = new AccountOutcomes(
                List.of(
                        contract(exported, "export", "2023-09-01", "2024-09-01", RenewalOutcome.CHURNED),
                        contract(openEnded, "export", "2023-01-01", null, RenewalOutcome.PENDING),
                        contract(live, "stripe", "2023-09-01", "2024-09-01", RenewalOutcome.CHURNED)),
                List.of(),
                Set.of(exported, openEnded, live),
                Map.of(),
                Map.of("export", LocalDate.of(2024, 6, 30), "stripe", LocalDate.of(2026, 12, 1)),
                LocalDate.of(2026, 12, 1));

        assertThat(export.knownUntil(exported)).isEqualTo(LocalDate.of(2024, 6, 30));
        assertThat(export.censored(exported, LocalDate.of(2024, 4, 1), 90)).isFalse();
        assertThat(export.censored(exported, LocalDate.of(2024, 4, 2), 90))
                .as("the 90 days after 2 April end on 1 July, past the export")
                .isTrue();
        assertThat(export.churnDays(exported))
                .as("ends after the export: not known to churn")
                .isEmpty();
        assertThat(export.customerOn(openEnded, LocalDate.of(2026, 1, 1))).isTrue();
        assertThat(export.churnDays(openEnded)).isEmpty();
        assertThat(export.churnDays(live)).containsExactly(LocalDate.of(2024, 9, 1));
        assertThat(export.censored(live, LocalDate.of(2024, 8, 1), 90)).isFalse();
    }

    /**
     * Three subscriptions of one account ending on one day and the churn event that announced them ten days before are
     * one churn, not four (330 churns were 303 accounts); a churn a year later is another.
     */
    @Test
    void aChurnCountsOnceHoweverManyContractsAndEventsItTook() {
        UUID account = UUID.randomUUID();
        AccountOutcomes many = new AccountOutcomes(
                List.of(
                        contract(account, "2024-01-01", "2025-01-01", RenewalOutcome.CHURNED),
                        contract(account, "2024-02-01", "2025-01-01", RenewalOutcome.CHURNED),
                        contract(account, "2024-03-01", "2025-01-01", RenewalOutcome.CHURNED),
                        contract(account, "2025-06-01", "2026-06-01", RenewalOutcome.CHURNED)),
                List.of(churn(account, "2024-12-22"), churn(account, "2024-12-23")),
                Set.of(account),
                Map.of(),
                LIVE,
                LocalDate.of(2027, 12, 31));

        assertThat(many.churns(account))
                .containsExactly(
                        new AccountOutcomes.Churn(LocalDate.of(2024, 12, 22), LocalDate.of(2025, 1, 1)),
                        new AccountOutcomes.Churn(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 1)));
        assertThat(many.churnDays(account)).containsExactly(LocalDate.of(2024, 12, 22), LocalDate.of(2026, 6, 1));
    }
}
