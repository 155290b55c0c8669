package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.customer.RevenueHistory.Movement;
import dev.steward.customer.RevenueHistory.MovementTotal;
import dev.steward.customer.RevenueHistory.Period;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevenueRetentionTests {

    static final LocalDate FROM = LocalDate.of(2025, 1, 1);
    static final LocalDate TO = LocalDate.of(2026, 1, 1);

    @Test
    void theWaterfallAndBothRatiosComeFromTheAccountsThatWereCustomersAtTheStart() {
        RevenueRetention retention = RevenueRetention.of(
                FROM,
                TO,
                List.of(
                        total(Movement.RETAINED, 2, "300", "300"),
                        total(Movement.EXPANDED, 1, "100", "160"),
                        total(Movement.CONTRACTED, 1, "200", "150"),
                        total(Movement.CHURNED, 1, "400", "0"),
                        total(Movement.NEW, 3, "0", "999")));

        // start 300 + 100 + 200 + 400 = 1000; ending 1000 + 60 − 50 − 400 = 610
        assertThat(retention.startAccounts()).isEqualTo(5);
        assertThat(retention.startArr()).isEqualByComparingTo("1000");
        assertThat(retention.expansion()).isEqualByComparingTo("60");
        assertThat(retention.contraction()).isEqualByComparingTo("50");
        assertThat(retention.churn()).isEqualByComparingTo("400");
        assertThat(retention.endingArr()).isEqualByComparingTo("610");
        // NRR 610 ÷ 1000; GRR (1000 − 50 − 400) ÷ 1000; new ARR in neither
        assertThat(retention.nrr()).isEqualTo(new BigDecimal("0.6100"));
        assertThat(retention.grr()).isEqualTo(new BigDecimal("0.5500"));
        assertThat(retention.newAccounts()).isEqualTo(3);
        assertThat(retention.newArr()).isEqualByComparingTo("999");
        assertThat(retention.totalEndingArr()).isEqualByComparingTo("1609");
    }

    @Test
    void withoutStartingArrNeitherRatioIsMeasuredNotZeroNorAHundredPercent() {
        RevenueRetention onlyNew = RevenueRetention.of(FROM, TO, List.of(total(Movement.NEW, 1, "0", "500")));
        RevenueRetention nothing = RevenueRetention.of(FROM, TO, List.of());

        assertThat(onlyNew.nrr()).isNull();
        assertThat(onlyNew.grr()).isNull();
        assertThat(onlyNew.newArr()).isEqualByComparingTo("500");
        assertThat(nothing.nrr()).isNull();
        assertThat(nothing.grr()).isNull();
    }

    @Test
    void grossRetentionNeverExceedsAHundredPercentWhileNetDoes() {
        RevenueRetention grown = RevenueRetention.of(FROM, TO, List.of(total(Movement.EXPANDED, 1, "100", "130")));

        assertThat(grown.nrr()).isEqualTo(new BigDecimal("1.3000"));
        assertThat(grown.grr()).isEqualTo(new BigDecimal("1.0000"));
    }

    @Test
    void ratiosAreRoundedHalfUpToAHundredthOfAPercent() {
        // 2 ÷ 3 = 0.66666… → 0.6667
        assertThat(RevenueRetention.ratio(new BigDecimal("2"), new BigDecimal("3")))
                .isEqualTo(new BigDecimal("0.6667"));
    }

    private static MovementTotal total(Movement movement, long accounts, String from, String to) {
        return new MovementTotal(new Period(FROM, TO), movement, accounts, new BigDecimal(from), new BigDecimal(to));
    }
}
