package dev.steward.usage;

import dev.steward.customer.AccountId;
import java.time.LocalDate;

/** One account's value of one metric on one day, as the fast import takes it. */
public record DailyUsage(AccountId account, LocalDate day, String metric, double value) {}
