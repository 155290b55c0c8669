package dev.steward.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RenewalTests {

    static final LocalDate TODAY = LocalDate.of(2026, 6, 15);

    @Test
    void aSuccessorWithinOnePercentRenewsHigherExpandsLowerContracts() {
        Contract contract = contract("100000", LocalDate.of(2025, 1, 1), LocalDate.of(2026, 1, 1), null);

        Renewal same = Renewal.of(contract, List.of(successor(contract, "100999")), TODAY);
        Renewal higher = Renewal.of(contract, List.of(successor(contract, "101001")), TODAY);
        Renewal lower = Renewal.of(contract, List.of(successor(contract, "98999")), TODAY);

        assertThat(same.outcome()).isEqualTo(RenewalOutcome.RENEWED);
        assertThat(same.reason()).contains("within 1%");
        assertThat(higher.outcome()).isEqualTo(RenewalOutcome.EXPANDED);
        assertThat(higher.reason()).contains("up from 100000");
        assertThat(lower.outcome()).isEqualTo(RenewalOutcome.CONTRACTED);
        assertThat(lower.renewalArr()).isEqualByComparingTo("98999");
    }

    @Test
    void theArrOfSeveralSuccessorsIsAddedUp() {
        Contract contract = contract("100000", LocalDate.of(2025, 1, 1), LocalDate.of(2026, 1, 1), null);

        Renewal split =
                Renewal.of(contract, List.of(successor(contract, "60000"), successor(contract, "50000")), TODAY);

        assertThat(split.outcome()).isEqualTo(RenewalOutcome.EXPANDED);
        assertThat(split.renewalArr()).isEqualByComparingTo("110000");
        assertThat(split.renewedBy()).hasSize(2);
    }

    @Test
    void withoutASuccessorAContractChurnsOnceItEndsOrIsCancelledAndIsPendingBefore() {
        Contract ended = contract("5000", LocalDate.of(2025, 6, 15), TODAY, null);
        Contract running = contract("5000", LocalDate.of(2025, 6, 16), TODAY.plusDays(1), null);
        Contract cancelled = new Contract(
                running.id(),
                running.accountId(),
                running.startDate(),
                running.endDate(),
                running.arr(),
                null,
                null,
                ContractStatus.CANCELLED,
                false,
                null,
                null,
                null,
                0,
                Instant.EPOCH,
                Instant.EPOCH);

        assertThat(Renewal.of(ended, List.of(), TODAY).outcome()).isEqualTo(RenewalOutcome.CHURNED);
        assertThat(Renewal.of(ended, List.of(), TODAY).reason()).contains("ended on " + TODAY);
        assertThat(Renewal.of(running, List.of(), TODAY).outcome()).isEqualTo(RenewalOutcome.PENDING);
        assertThat(Renewal.of(cancelled, List.of(), TODAY).outcome()).isEqualTo(RenewalOutcome.CHURNED);
        assertThat(Renewal.of(cancelled, List.of(), TODAY).reason()).contains("cancelled");
    }

    @Test
    void aContractCountsFromItsStartUntilTheDayBeforeItsEndAndNotOnceCancelled() {
        Contract contract = contract("1200", LocalDate.of(2026, 1, 1), LocalDate.of(2027, 1, 1), null);

        assertThat(contract.countsOn(LocalDate.of(2026, 1, 1), TODAY)).isTrue();
        assertThat(contract.countsOn(LocalDate.of(2026, 12, 31), TODAY)).isTrue();
        assertThat(contract.countsOn(LocalDate.of(2027, 1, 1), TODAY)).isFalse();
        assertThat(contract.countsOn(LocalDate.of(2025, 12, 31), TODAY)).isFalse();
        assertThat(contract.mrr()).isEqualByComparingTo("100");
    }

    private static Contract successor(Contract previous, String arr) {
        return contract(arr, previous.endDate(), previous.endDate().plusYears(1), previous.id());
    }

    private static Contract contract(String arr, LocalDate start, LocalDate end, ContractId previous) {
        return new Contract(
                new ContractId(UUID.randomUUID()),
                new AccountId(UUID.randomUUID()),
                start,
                end,
                new BigDecimal(arr),
                null,
                null,
                ContractStatus.ACTIVE,
                true,
                previous,
                null,
                null,
                0,
                Instant.EPOCH,
                Instant.EPOCH);
    }
}
