package dev.steward.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.customer.AccountSnapshot.ContractTerm;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which accounts are former customers on a day, judged from facts dated up to that day. */
class ChurnRuleTests {

    private static final LocalDate DAY = LocalDate.of(2026, 6, 1);

    @Test
    void aContractInForceMakesACustomerWhateverElseHappened() {
        AccountSnapshot account = account(term("2025-06-01", "2026-06-02"), term("2024-01-01", "2025-01-01"));

        assertThat(account.churnOn(DAY, List.of(LocalDate.of(2025, 2, 1)))).isNull();
        // Notice given, contract still running: a customer at risk, not a former one.
        assertThat(account.churnOn(DAY, List.of(DAY))).isNull();
    }

    @Test
    void anAccountWhoseLastContractEndedHasChurnedSinceItsEnd() {
        AccountSnapshot account = account(term("2024-06-01", "2025-06-01"), term("2025-06-01", "2026-03-01"));

        Churn churn = account.churnOn(DAY, List.of());

        assertThat(churn).isNotNull();
        assertThat(churn.since()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(churn.reason()).isEqualTo("last contract ended on 2026-03-01; no contract in force since");
        // The end date is the first day not covered.
        assertThat(account.churnOn(LocalDate.of(2026, 2, 28), List.of())).isNull();
        assertThat(account.churnOn(LocalDate.of(2026, 3, 1), List.of())).isNotNull();
    }

    @Test
    void aChurnEventWithoutAContractInForceSaysSoAndTheLaterDateCounts() {
        assertThat(account().churnOn(DAY, List.of(LocalDate.of(2026, 4, 10))))
                .isEqualTo(
                        new Churn(LocalDate.of(2026, 4, 10), "churn event on 2026-04-10; no contract in force since"));
        assertThat(account(term("2025-01-01", "2026-05-01")).churnOn(DAY, List.of(LocalDate.of(2026, 4, 10))))
                .extracting(Churn::since)
                .isEqualTo(LocalDate.of(2026, 5, 1));
    }

    @Test
    void onlyFactsDatedByTheDayCount() {
        AccountSnapshot wonBack = account(term("2024-01-01", "2025-01-01"), term("2026-07-01", "2027-07-01"));

        // Churned in 2025, won back in July 2026: a former customer in between, a customer again after.
        assertThat(wonBack.churnOn(DAY, List.of())).isNotNull();
        assertThat(wonBack.churnOn(LocalDate.of(2026, 8, 1), List.of())).isNull();
        // Before its first contract ended, and before a churn event dated later, it had not churned.
        assertThat(wonBack.churnOn(LocalDate.of(2024, 6, 1), List.of(LocalDate.of(2025, 1, 1))))
                .isNull();
    }

    @Test
    void aProspectOrAnAccountWithoutContractsOrChurnEventsHasNotChurned() {
        assertThat(account().churnOn(DAY, List.of())).isNull();
        assertThat(account(term("2026-07-01", "2027-07-01")).churnOn(DAY, List.of()))
                .isNull();
    }

    private static ContractTerm term(String start, String end) {
        return new ContractTerm(LocalDate.parse(start), LocalDate.parse(end), new BigDecimal("12000"), 10, "ACTIVE");
    }

    private static AccountSnapshot account(ContractTerm... contracts) {
        return new AccountSnapshot(
                UUID.randomUUID(),
                "Acme",
                null,
                "SMB",
                null,
                null,
                null,
                null,
                BigDecimal.ZERO,
                Map.of(),
                null,
                List.of(),
                List.of(contracts),
                Map.of());
    }
}
