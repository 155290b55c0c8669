package dev.steward.insight;

import dev.steward.customer.RevenueHistory.Movement;
import dev.steward.customer.RevenueHistory.MovementTotal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * Net and gross revenue retention over one period with its waterfall. The cohort is the accounts that were customers
 * (had ARR) on {@code from}; each account's ARR on {@code to} is compared with its ARR on {@code from}:
 *
 * <ul>
 *   <li>NRR = (start + expansion − contraction − churn) ÷ start
 *   <li>GRR = (start − contraction − churn) ÷ start, never above 100 %
 * </ul>
 *
 * New ARR (accounts without ARR on {@code from} that had some on {@code to}) is shown beside the waterfall and is in
 * neither ratio. Without starting ARR neither ratio can be measured: both are {@code null} ("no data").
 *
 * @param endingArr the cohort's ARR on {@code to}: start + expansion − contraction − churn
 * @param totalEndingArr every account's ARR on {@code to}: ending ARR + new ARR
 */
public record RevenueRetention(
        LocalDate from,
        LocalDate to,
        long startAccounts,
        BigDecimal startArr,
        long expandedAccounts,
        BigDecimal expansion,
        long contractedAccounts,
        BigDecimal contraction,
        long churnedAccounts,
        BigDecimal churn,
        BigDecimal endingArr,
        long newAccounts,
        BigDecimal newArr,
        BigDecimal totalEndingArr,
        @Nullable BigDecimal nrr,
        @Nullable BigDecimal grr) {

    /** Ratios are kept to four decimals (a hundredth of a percent). */
    static final int RATIO_SCALE = 4;

    /** The figures of one period from the accounts' movements over it (of that period only). */
    static RevenueRetention of(LocalDate from, LocalDate to, Collection<MovementTotal> movements) {
        long startAccounts = 0;
        long expanded = 0;
        long contracted = 0;
        long churned = 0;
        long fresh = 0;
        BigDecimal start = BigDecimal.ZERO;
        BigDecimal expansion = BigDecimal.ZERO;
        BigDecimal contraction = BigDecimal.ZERO;
        BigDecimal churn = BigDecimal.ZERO;
        BigDecimal newArr = BigDecimal.ZERO;
        for (MovementTotal total : movements) {
            if (total.movement() != Movement.NEW) {
                startAccounts += total.accounts();
                start = start.add(total.arrFrom());
            }
            switch (total.movement()) {
                case EXPANDED -> {
                    expanded += total.accounts();
                    expansion = expansion.add(total.arrTo().subtract(total.arrFrom()));
                }
                case CONTRACTED -> {
                    contracted += total.accounts();
                    contraction = contraction.add(total.arrFrom().subtract(total.arrTo()));
                }
                case CHURNED -> {
                    churned += total.accounts();
                    churn = churn.add(total.arrFrom());
                }
                case NEW -> {
                    fresh += total.accounts();
                    newArr = newArr.add(total.arrTo());
                }
                case RETAINED -> {}
            }
        }
        BigDecimal ending = start.add(expansion).subtract(contraction).subtract(churn);
        BigDecimal nrr = ratio(ending, start);
        BigDecimal grr = ratio(start.subtract(contraction).subtract(churn), start);
        if (grr != null && grr.compareTo(BigDecimal.ONE) > 0) {
            grr = BigDecimal.ONE.setScale(RATIO_SCALE);
        }
        return new RevenueRetention(
                from,
                to,
                startAccounts,
                start,
                expanded,
                expansion,
                contracted,
                contraction,
                churned,
                churn,
                ending,
                fresh,
                newArr,
                ending.add(newArr),
                nrr,
                grr);
    }

    /** {@code part ÷ whole} to four decimals, or {@code null} ("no data") when the whole is zero. */
    static @Nullable BigDecimal ratio(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0 ? null : part.divide(whole, RATIO_SCALE, RoundingMode.HALF_UP);
    }
}
