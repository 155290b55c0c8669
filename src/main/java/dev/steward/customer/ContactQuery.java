package dev.steward.customer;

import java.util.UUID;

/**
 * Filters and order for listing contacts. {@code sort} is a field name, prefixed with {@code -} for descending:
 * name, joinedAt, leftAt, createdAt, updatedAt.
 */
public record ContactQuery(UUID accountId, ContactRole role, String sort, Integer limit, String cursor) {

    public static ContactQuery ofAccount(AccountId account) {
        return new ContactQuery(account.value(), null, null, null, null);
    }
}
