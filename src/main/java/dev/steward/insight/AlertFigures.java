package dev.steward.insight;

import dev.steward.core.InvalidInputException;
import dev.steward.customer.RevenueHistory;
import dev.steward.health.engine.Color;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Reads the executive figures alert rules watch, as the executive dashboard computes them (and from its cache, so that
 * reading them every minute costs nothing while the data stands still): ARR at risk and its parts from
 * {@link ArrAtRisk}, revenue retention from {@link RevenueRetention}, the count of Red customers from the same book.
 */
@Component
class AlertFigures {

    /** A figure's value now, or why there is none ("no data" is not zero). */
    record Reading(@Nullable BigDecimal value, @Nullable String problem) {

        static Reading of(BigDecimal value) {
            return new Reading(value, null);
        }

        static Reading none(String why) {
            return new Reading(null, why);
        }
    }

    private final ExecutiveDashboard dashboard;
    private final ExecutiveCache cache;

    AlertFigures(ExecutiveDashboard dashboard, ExecutiveCache cache) {
        this.dashboard = dashboard;
        this.cache = cache;
    }

    Reading read(AlertFigure figure, @Nullable String tier, @Nullable UUID owner) {
        try {
            return switch (figure) {
                case arr_at_risk -> Reading.of(risk(tier, owner).atRisk());
                case red_arr -> Reading.of(risk(tier, owner).red());
                case at_risk_share -> {
                    ArrAtRisk.Row row = risk(tier, owner);
                    BigDecimal share = RevenueRetention.ratio(row.atRisk(), row.total());
                    yield share == null
                            ? Reading.none("no data: no customer has ARR" + narrowed(tier, owner))
                            : Reading.of(share);
                }
                case red_accounts -> Reading.of(BigDecimal.valueOf(redAccounts(tier, owner)));
                case nrr_ttm, grr_ttm -> {
                    ExecutiveDashboard.Retention retention =
                            dashboard.retention(dashboard.lastCompleteMonth(), dashboard.lastCompleteMonth(), tier);
                    RevenueRetention ttm = retention.trailingTwelveMonths();
                    BigDecimal ratio = figure == AlertFigure.nrr_ttm ? ttm.nrr() : ttm.grr();
                    yield ratio == null
                            ? Reading.none("no data: no ARR on " + ttm.from() + narrowed(tier, null))
                            : Reading.of(ratio);
                }
            };
        } catch (InvalidInputException e) {
            // A tier that no account has any more.
            return Reading.none(e.getMessage());
        }
    }

    private static String narrowed(@Nullable String tier, @Nullable UUID owner) {
        return (tier == null ? "" : " in tier " + tier) + (owner == null ? "" : " of that owner");
    }

    /** ARR at risk of the tier (every customer: {@code null}), or of one owner's customers in it. */
    private ArrAtRisk.Row risk(@Nullable String tier, @Nullable UUID owner) {
        ArrAtRisk risk = dashboard.arrAtRisk(tier);
        if (owner == null) {
            return risk.total();
        }
        return risk.byOwner().stream()
                .filter(row -> row.key().equals(owner.toString()))
                .findFirst()
                .orElseGet(() -> new ArrAtRisk.Row(
                        owner.toString(),
                        "",
                        0,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO));
    }

    /** How many of today's customers (of the tier, of the owner) are Red, by the color ARR at risk counts them under. */
    private long redAccounts(@Nullable String tier, @Nullable UUID owner) {
        RedCount count = cache.get("alert red accounts " + tier, dashboard.today(), dashboard.today(), () -> {
            RedCount tally = new RedCount(new HashMap<>(), new long[1]);
            for (RevenueHistory.BookEntry entry : dashboard.book(tier)) {
                if (ArrAtRisk.colorOf(entry) == Color.RED) {
                    tally.total()[0]++;
                    tally.byOwner().merge(ArrAtRisk.ownerOf(entry), 1L, Long::sum);
                }
            }
            return tally;
        });
        return owner == null ? count.total()[0] : count.byOwner().getOrDefault(owner.toString(), 0L);
    }

    private record RedCount(Map<String, Long> byOwner, long[] total) {}
}
