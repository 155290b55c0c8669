package dev.steward.customer;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A person at a customer account as stored: their role in the relationship, and when they joined and left it (a
 * champion leaving is a churn signal), and their own time zone (an IANA name) when known.
 */
public record Contact(
        ContactId id,
        AccountId accountId,
        String name,
        String email,
        String title,
        String phone,
        ContactRole role,
        LocalDate joinedAt,
        LocalDate leftAt,
        String source,
        String externalId,
        long version,
        Instant createdAt,
        Instant updatedAt,
        String timeZone) {

    /** A contact whose time zone is not known. */
    public Contact(
            ContactId id,
            AccountId accountId,
            String name,
            String email,
            String title,
            String phone,
            ContactRole role,
            LocalDate joinedAt,
            LocalDate leftAt,
            String source,
            String externalId,
            long version,
            Instant createdAt,
            Instant updatedAt) {
        this(
                id,
                accountId,
                name,
                email,
                title,
                phone,
                role,
                joinedAt,
                leftAt,
                source,
                externalId,
                version,
                createdAt,
                updatedAt,
                null);
    }
}
