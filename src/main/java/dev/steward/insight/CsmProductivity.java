package dev.steward.insight;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What each CSM's book got over the last {@code days} days (from {@code from} to today): the customers they own today
 * and their ARR, the touches on them, the CTAs made and closed on them with completion and SLA hit rates, and how soon
 * someone acted after one of them turned Red. A rate or a time with nothing to measure it on is {@code null} (no
 * data). {@code total} is the whole book, unowned customers included.
 */
public record CsmProductivity(int days, LocalDate from, LocalDate to, List<Row> csms, Row total) {

    /** The periods the page offers; the API takes any number of days from 1 to {@link #MAX_DAYS}. */
    static final List<Integer> PERIODS = List.of(30, 90, 365);

    static final int MAX_DAYS = 365;

    /**
     * One CSM's figures ({@code key} their user id, empty for unowned customers).
     *
     * @param ctasOpened CTAs made on their customers in the period
     * @param ctasOpenedClosed of those, the ones closed by now
     * @param completionRate ctasOpenedClosed ÷ ctasOpened
     * @param ctasClosed CTAs closed in the period, whenever made
     * @param closedWithinSla of those, the ones closed at or before their due time
     * @param slaHitRate closedWithinSla ÷ ctasClosed
     * @param redChanges times one of their customers' stored color changed to Red in the period
     * @param redActedOn of those, the ones followed by an action (a touch, or a person's work on a CTA of the account)
     * @param medianDaysToAction the median time from the start of the day a customer turned Red to that first action,
     *     over the changes acted on, in days
     */
    public record Row(
            String key,
            String label,
            long accounts,
            BigDecimal arr,
            long touches,
            long ctasOpened,
            long ctasOpenedClosed,
            @Nullable BigDecimal completionRate,
            long ctasClosed,
            long closedWithinSla,
            @Nullable BigDecimal slaHitRate,
            long redChanges,
            long redActedOn,
            @Nullable BigDecimal medianDaysToAction) {}

    /** A customer turned Red on a day; the first action after it ({@code null}: none yet). */
    record RedChange(LocalDate day, Instant since, @Nullable Instant firstAction) {

        @Nullable
        Duration toAction() {
            return firstAction == null ? null : Duration.between(since, firstAction);
        }
    }

    /** One customer's part of its owner's figures, for adding up and for drilling down. */
    record AccountFigures(
            UUID account,
            String name,
            @Nullable UUID owner,
            BigDecimal arr,
            long touches,
            long ctasOpened,
            long ctasOpenedClosed,
            long ctasClosed,
            long closedWithinSla,
            List<RedChange> reds) {

        long redActedOn() {
            return reds.stream().filter(red -> red.firstAction() != null).count();
        }
    }

    /** Adds up the figures of some customers into one row. */
    static Row row(String key, String label, List<AccountFigures> accounts) {
        BigDecimal arr = BigDecimal.ZERO;
        long touches = 0;
        long opened = 0;
        long openedClosed = 0;
        long closed = 0;
        long withinSla = 0;
        long reds = 0;
        List<Duration> waits = new ArrayList<>();
        for (AccountFigures account : accounts) {
            arr = arr.add(account.arr());
            touches += account.touches();
            opened += account.ctasOpened();
            openedClosed += account.ctasOpenedClosed();
            closed += account.ctasClosed();
            withinSla += account.closedWithinSla();
            reds += account.reds().size();
            for (RedChange red : account.reds()) {
                Duration wait = red.toAction();
                if (wait != null) {
                    waits.add(wait);
                }
            }
        }
        return new Row(
                key,
                label,
                accounts.size(),
                arr,
                touches,
                opened,
                openedClosed,
                ratio(openedClosed, opened),
                closed,
                withinSla,
                ratio(withinSla, closed),
                reds,
                waits.size(),
                medianDays(waits));
    }

    /** part ÷ whole to four decimals (half up); {@code null} when there is no whole. */
    static @Nullable BigDecimal ratio(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
    }

    /** The median of some durations in days, to one decimal (half up); {@code null} without any. */
    static @Nullable BigDecimal medianDays(List<Duration> durations) {
        if (durations.isEmpty()) {
            return null;
        }
        List<Long> seconds =
                durations.stream().map(Duration::toSeconds).sorted().toList();
        int middle = seconds.size() / 2;
        BigDecimal median = seconds.size() % 2 == 1
                ? BigDecimal.valueOf(seconds.get(middle))
                : BigDecimal.valueOf(seconds.get(middle - 1) + seconds.get(middle))
                        .divide(BigDecimal.valueOf(2), 1, RoundingMode.HALF_UP);
        return median.divide(BigDecimal.valueOf(86_400), 1, RoundingMode.HALF_UP);
    }
}
