package dev.steward.customer;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/**
 * What a book of business needs of one current customer (not churned): who owns it, its ARR, its health color
 * ({@code null} before it is scored) and its next renewal day ({@code null} without one). Workload and balancing read
 * every owned account this way, without the rest of the record.
 */
public record BookAccount(UUID id, String name, UUID ownerId, BigDecimal arr, String color, LocalDate renewalDate) {

    /** Whether the account renews on a day from {@code today} to {@code days} days later. */
    public boolean renewsWithin(LocalDate today, int days) {
        return renewalDate != null && !renewalDate.isBefore(today) && !renewalDate.isAfter(today.plusDays(days));
    }
}
