package dev.steward.activity;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.steward.customer.AccountId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * An invoice of an account. {@code daysLate} is derived: how many days after the due date it was paid, or, while
 * still unpaid, how many days it is overdue today.
 */
public record Invoice(
        UUID id,
        AccountId accountId,
        String source,
        String externalId,
        LocalDate issuedOn,
        LocalDate dueOn,
        LocalDate paidOn,
        BigDecimal amount,
        String currency,
        Status status,
        long daysLate) {

    /** The invoice's state in the billing system. */
    public enum Status {
        draft,
        open,
        paid,
        // "void" is a Java keyword; JSON, the database and error messages all use the plain word.
        @JsonProperty("void")
        void_,
        uncollectible;

        @Override
        public String toString() {
            return this == void_ ? "void" : name();
        }
    }

    /** Days late as of {@code today}; drafts and voided invoices are never late. */
    static long daysLate(LocalDate dueOn, LocalDate paidOn, Status status, LocalDate today) {
        if (paidOn != null) {
            return Math.max(0, ChronoUnit.DAYS.between(dueOn, paidOn));
        }
        if (status == Status.draft || status == Status.void_ || status == Status.paid) {
            return 0;
        }
        return Math.max(0, ChronoUnit.DAYS.between(dueOn, today));
    }
}
