package dev.steward.customer;

import java.time.LocalDate;

/**
 * That an account is no longer a customer: since when (its last contract's end or its churn event, the later) and
 * why, in words. A former customer is not "at risk", so it carries this instead of a health color.
 */
public record Churn(LocalDate since, String reason) {}
