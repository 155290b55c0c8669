package dev.steward.insight;

import dev.steward.backtest.BacktestResults;
import dev.steward.backtest.BacktestRun;
import dev.steward.backtest.Metrics;
import dev.steward.customer.ContractOutcomes.ContractOutcome;
import dev.steward.customer.RenewalOutcome;
import dev.steward.health.engine.Color;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * ARR up for renewal per month with the ARR expected to renew: each contract's ARR × the renewal rate of its
 * account's color, as the latest backtest measured it (renewed ÷ (renewed + churned) among its observations of that
 * color). Black has no rate: its ARR is shown as not forecast, never as safe; without a finished backtest nothing is
 * forecast ("no data — run a backtest"). For past months, what the colors said at the start of the month beside what
 * became of the contracts.
 *
 * @param noCalibration why nothing is forecast, when it is not
 */
public record RenewalForecast(
        @Nullable Calibration calibration, @Nullable String noCalibration, List<Upcoming> upcoming, List<Past> past) {

    /** What the forecast says when no backtest has finished. */
    static final String NO_BACKTEST = "no data — run a backtest";

    /**
     * The renewal rate per color from one backtest, at its longest horizon; a color without a renewed or churned
     * observation has no rate.
     */
    public record Calibration(
            UUID backtest,
            String name,
            int horizonDays,
            @Nullable Instant finishedAt,
            @Nullable BigDecimal red,
            @Nullable BigDecimal yellow,
            @Nullable BigDecimal green) {

        /** The renewal rate of a color, if the backtest measured one (Black never has one). */
        @Nullable
        BigDecimal rate(Color color) {
            return switch (color) {
                case RED -> red;
                case YELLOW -> yellow;
                case GREEN -> green;
                case BLACK -> null;
            };
        }

        /** The calibration a finished run gives, if it has results. */
        static Optional<Calibration> of(BacktestRun run) {
            if (run.results() == null || run.results().horizons().isEmpty()) {
                return Optional.empty();
            }
            BacktestResults.HorizonResult horizon = run.results().horizons().stream()
                    .max(Comparator.comparingInt(BacktestResults.HorizonResult::horizonDays))
                    .orElseThrow();
            List<Metrics.ColorRow> colors = horizon.overall().colors();
            return Optional.of(new Calibration(
                    run.id(),
                    run.name(),
                    horizon.horizonDays(),
                    run.finishedAt(),
                    rate(colors, Color.RED),
                    rate(colors, Color.YELLOW),
                    rate(colors, Color.GREEN)));
        }

        /** renewed ÷ (renewed + churned) of a color, to four decimals. */
        static @Nullable BigDecimal rate(List<Metrics.ColorRow> colors, Color color) {
            return colors.stream()
                    .filter(row -> row.color() == color)
                    .findFirst()
                    .map(row -> RevenueRetention.ratio(
                            BigDecimal.valueOf(row.renewed()), BigDecimal.valueOf(row.renewed() + row.churned())))
                    .orElse(null);
        }
    }

    /** A contract coming up for renewal and the color that counts for it. */
    record Entry(ContractOutcome contract, Color color) {}

    /**
     * A coming month: contracts ending in it (after today), their ARR by the color of their account today, the ARR
     * expected to renew of those not renewed yet ({@code null} without calibration), the ARR with no rate (Black, or a
     * color the backtest did not measure), and what was already decided early (renewed, or cancelled).
     */
    public record Upcoming(
            YearMonth month,
            long contracts,
            BigDecimal upForRenewal,
            BigDecimal red,
            BigDecimal yellow,
            BigDecimal green,
            BigDecimal black,
            @Nullable BigDecimal expected,
            BigDecimal notForecast,
            BigDecimal renewedEarly,
            BigDecimal cancelled) {

        static Upcoming of(YearMonth month, List<Entry> entries, @Nullable Calibration calibration) {
            BigDecimal[] byColor = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
            BigDecimal up = BigDecimal.ZERO;
            BigDecimal expected = BigDecimal.ZERO;
            BigDecimal notForecast = BigDecimal.ZERO;
            BigDecimal early = BigDecimal.ZERO;
            BigDecimal cancelled = BigDecimal.ZERO;
            for (Entry entry : entries) {
                BigDecimal arr = entry.contract().arr();
                up = up.add(arr);
                byColor[entry.color().ordinal()] = byColor[entry.color().ordinal()].add(arr);
                RenewalOutcome outcome = entry.contract().outcome();
                if (outcome == RenewalOutcome.CHURNED) {
                    cancelled = cancelled.add(arr);
                } else if (outcome != RenewalOutcome.PENDING) {
                    early = early.add(arr);
                } else {
                    BigDecimal rate = calibration == null ? null : calibration.rate(entry.color());
                    if (rate == null) {
                        notForecast = notForecast.add(arr);
                    } else {
                        expected = expected.add(arr.multiply(rate));
                    }
                }
            }
            return new Upcoming(
                    month,
                    entries.size(),
                    up,
                    byColor[Color.RED.ordinal()],
                    byColor[Color.YELLOW.ordinal()],
                    byColor[Color.GREEN.ordinal()],
                    byColor[Color.BLACK.ordinal()],
                    calibration == null ? null : money(expected),
                    notForecast,
                    early,
                    cancelled);
        }
    }

    /**
     * A past month: contracts that ended in it, what the colors of their accounts at the start of the month forecast
     * ({@code null} without calibration; ARR without a rate in {@code notForecast}), and what became of them: the ARR
     * of those renewed at the same ARR, expanded or contracted (with the amount up or down), churned; {@code renewalArr}
     * is the ARR of the contracts that renewed them.
     */
    public record Past(
            YearMonth month,
            long contracts,
            BigDecimal upForRenewal,
            @Nullable BigDecimal forecast,
            BigDecimal notForecast,
            BigDecimal renewed,
            BigDecimal expanded,
            BigDecimal expansion,
            BigDecimal contracted,
            BigDecimal contraction,
            BigDecimal churned,
            BigDecimal retained,
            BigDecimal renewalArr) {

        static Past of(YearMonth month, List<Entry> entries, @Nullable Calibration calibration) {
            BigDecimal up = BigDecimal.ZERO;
            BigDecimal forecast = BigDecimal.ZERO;
            BigDecimal notForecast = BigDecimal.ZERO;
            BigDecimal renewed = BigDecimal.ZERO;
            BigDecimal expanded = BigDecimal.ZERO;
            BigDecimal expansion = BigDecimal.ZERO;
            BigDecimal contracted = BigDecimal.ZERO;
            BigDecimal contraction = BigDecimal.ZERO;
            BigDecimal churned = BigDecimal.ZERO;
            BigDecimal renewalArr = BigDecimal.ZERO;
            for (Entry entry : entries) {
                ContractOutcome contract = entry.contract();
                BigDecimal arr = contract.arr();
                up = up.add(arr);
                BigDecimal rate = calibration == null ? null : calibration.rate(entry.color());
                if (rate == null) {
                    notForecast = notForecast.add(arr);
                } else {
                    forecast = forecast.add(arr.multiply(rate));
                }
                if (contract.renewalArr() != null) {
                    renewalArr = renewalArr.add(contract.renewalArr());
                }
                switch (contract.outcome()) {
                    case RENEWED -> renewed = renewed.add(arr);
                    case EXPANDED -> {
                        expanded = expanded.add(arr);
                        expansion = expansion.add(contract.renewalArr().subtract(arr));
                    }
                    case CONTRACTED -> {
                        contracted = contracted.add(arr);
                        contraction = contraction.add(arr.subtract(contract.renewalArr()));
                    }
                    case CHURNED -> churned = churned.add(arr);
                    case PENDING -> {}
                }
            }
            return new Past(
                    month,
                    entries.size(),
                    up,
                    calibration == null ? null : money(forecast),
                    notForecast,
                    renewed,
                    expanded,
                    expansion,
                    contracted,
                    contraction,
                    churned,
                    renewed.add(expanded).add(contracted),
                    renewalArr);
        }
    }

    static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }
}
