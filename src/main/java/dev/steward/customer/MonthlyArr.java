package dev.steward.customer;

import java.math.BigDecimal;
import java.time.LocalDate;

/** An account's ARR at the start of a month: the ARR of the contracts that counted on that day. */
public record MonthlyArr(LocalDate month, BigDecimal arr) {}
