package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.activity.ChurnEvent;
import dev.steward.customer.AccountId;
import dev.steward.customer.ContractOutcomes.ContractOutcome;
import dev.steward.customer.RenewalOutcome;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccountOutcomesTests {

    private static final UUID RENEWS = UUID.randomUUID();
    private static final UUID LEAVES = UUID.randomUUID();
    private static final UUID IMPORTED = UUID.randomUUID();
    private static final UUID NO_CONTRACTS = UUID.randomUUID();
    private static final UUID NOTHING_KNOWN = UUID.randomUUID();

    private static ContractOutcome contract(UUID account, String start, String end, RenewalOutcome outcome) {
        return new ContractOutcome(
                UUID.randomUUID(),
                account,
                LocalDate.parse(start),
                LocalDate.parse(end),
                BigDecimal.TEN,
                null,
                outcome);
    }

    private static ChurnEvent churn(UUID account, String day) {
        return new ChurnEvent(
                UUID.randomUUID(),
                new AccountId(account),
                "test",
                null,
                LocalDate.parse(day),
                ChurnEvent.ReasonCategory.budget,
                null,
                null);
    }

    private final AccountOutcomes outcomes = new AccountOutcomes(
            List.of(
                    contract(RENEWS, "2025-01-01", "2026-01-01", RenewalOutcome.RENEWED),
                    contract(RENEWS, "2026-01-01", "2027-01-01", RenewalOutcome.PENDING),
                    contract(LEAVES, "2025-01-01", "2026-01-01", RenewalOutcome.CHURNED),
                    // Imported without naming its predecessor: the next contract runs on, so this one renewed.
                    contract(IMPORTED, "2025-01-01", "2026-01-01", RenewalOutcome.CHURNED),
                    contract(IMPORTED, "2026-01-01", "2027-01-01", RenewalOutcome.PENDING)),
            List.of(churn(LEAVES, "2026-01-01"), churn(NO_CONTRACTS, "2025-09-10")));

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
    void aCustomerIsAnAccountWithAContractInForceOrWithNoContractsThatHasNotChurned() {
        assertThat(outcomes.customerOn(LEAVES, LocalDate.of(2025, 12, 31))).isTrue();
        assertThat(outcomes.customerOn(LEAVES, LocalDate.of(2026, 1, 1)))
                .as("the end is exclusive")
                .isFalse();
        assertThat(outcomes.customerOn(RENEWS, LocalDate.of(2024, 12, 31)))
                .as("before its first contract")
                .isFalse();
        assertThat(outcomes.customerOn(NO_CONTRACTS, LocalDate.of(2025, 9, 9))).isTrue();
        assertThat(outcomes.customerOn(NO_CONTRACTS, LocalDate.of(2025, 9, 10))).isFalse();
        assertThat(outcomes.customerOn(NOTHING_KNOWN, LocalDate.of(2025, 9, 10)))
                .isTrue();
    }

    @Test
    void churnEventsCountForAccountsWithoutContracts() {
        assertThat(outcomes.outcome(NO_CONTRACTS, LocalDate.of(2025, 9, 1), 30)).isEqualTo(Outcome.CHURNED);
        assertThat(outcomes.outcome(NOTHING_KNOWN, LocalDate.of(2025, 9, 1), 180))
                .isEqualTo(Outcome.NONE);
        assertThat(outcomes.churnedAccounts()).containsExactlyInAnyOrder(LEAVES, NO_CONTRACTS);
    }
}
