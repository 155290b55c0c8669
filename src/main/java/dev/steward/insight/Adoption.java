package dev.steward.insight;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How much each CSM used Steward in each of the last {@code weeks} ISO weeks (Monday to Sunday in Steward's time zone,
 * from {@code from}, the Monday of the first, to {@code to}, today, whose week is still running): sign-ins, accounts
 * looked at, sentiment recorded, overrides set, CTAs worked on, and how soon someone acted after one of their
 * customers turned Red. {@code totals} adds up the people shown, week by week. A figure with nothing to measure is
 * {@code null} (no data); a count of nothing measured is 0.
 */
public record Adoption(
        int weeks, LocalDate from, LocalDate to, List<LocalDate> weekStarts, List<Person> csms, List<Week> totals) {

    /** The weeks the page offers; the API takes any number from 1 to {@link #MAX_WEEKS}. */
    static final List<Integer> PERIODS = List.of(4, 12, 26, 52);

    static final int MAX_WEEKS = 52;

    /** One CSM or manager and their weeks, oldest first. */
    public record Person(UUID user, String name, String role, List<Week> weeks) {}

    /**
     * One week's figures.
     *
     * @param week the Monday it starts on
     * @param signIns sign-ins with a password or single sign-on; {@code null} before Steward recorded any
     * @param accountsViewed distinct accounts whose page the person opened; {@code null} before Steward recorded any
     * @param sentiments sentiments the person recorded
     * @param overrides health overrides the person set
     * @param ctasWorked distinct CTAs the person worked on (made by hand, commented, a task done or reopened, snoozed,
     *     reassigned, reprioritised, closed or reopened)
     * @param redChanges times a customer of the person's book (as owned today) turned Red that week
     * @param redActedOn of those, the ones followed by an action by now
     * @param medianDaysToAction the median days from the start of the day the customer turned Red to that first action,
     *     over the changes acted on; {@code null} without any
     */
    public record Week(
            LocalDate week,
            @Nullable Long signIns,
            @Nullable Long accountsViewed,
            long sentiments,
            long overrides,
            long ctasWorked,
            long redChanges,
            long redActedOn,
            @Nullable BigDecimal medianDaysToAction) {

        /** A figure by its name in the JSON, for the page's tables; {@code null}: no data. */
        @Nullable
        public Object figure(String name) {
            return switch (name) {
                case "signIns" -> signIns;
                case "accountsViewed" -> accountsViewed;
                case "sentiments" -> sentiments;
                case "overrides" -> overrides;
                case "ctasWorked" -> ctasWorked;
                case "medianDaysToAction" -> medianDaysToAction;
                default -> throw new IllegalArgumentException("no figure " + name);
            };
        }
    }
}
