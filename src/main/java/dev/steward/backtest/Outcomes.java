package dev.steward.backtest;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** What became of accounts after as-of days, as a backtest reads it: from contracts and churn events, or from labels. */
interface Outcomes {

    /** Whether the account is observed on the day: a customer then. */
    boolean customerOn(UUID account, LocalDate day);

    /** Whether what became of the account within the horizon after {@code asOf} is beyond what the data can tell. */
    boolean censored(UUID account, LocalDate asOf, int horizon);

    /** What became of the account in the days after {@code asOf} up to and including {@code asOf + horizon}. */
    Outcome outcome(UUID account, LocalDate asOf, int horizon);

    /** The first day the account churned after {@code asOf} within the horizon, or {@code null} (also when unknown). */
    LocalDate churnedOn(UUID account, LocalDate asOf, int horizon);

    /** The first day of each of the account's churns, oldest first (none when churn dates are unknown). */
    List<LocalDate> churnDays(UUID account);

    /** The accounts that churned at least once. */
    Set<UUID> churnedAccounts();
}
