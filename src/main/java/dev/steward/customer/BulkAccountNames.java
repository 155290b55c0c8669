package dev.steward.customer;

import dev.steward.core.FieldError;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The accounts that the records of one bulk write name, each by {@code accountId} or by {@code accountExternalId} in
 * the write's source, looked up together: two queries however many records there are.
 */
public final class BulkAccountNames {

    private final String source;
    private final Set<AccountId> existing;
    private final Map<String, AccountId> byExternalId;

    private BulkAccountNames(String source, Set<AccountId> existing, Map<String, AccountId> byExternalId) {
        this.source = source;
        this.existing = existing;
        this.byExternalId = byExternalId;
    }

    /** Looks up the accounts named by these ids and external ids (nulls ignored). */
    public static BulkAccountNames lookup(
            AccountManagement accounts, String source, Collection<UUID> ids, Collection<String> externalIds) {
        return new BulkAccountNames(
                source,
                accounts.existing(ids.stream()
                        .filter(Objects::nonNull)
                        .distinct()
                        .map(AccountId::new)
                        .toList()),
                accounts.resolve(
                        source,
                        externalIds.stream().filter(Objects::nonNull).distinct().toList()));
    }

    /** The rule every bulk record follows: it names its account one way, by id or by external id. */
    public static void checkNamedOnce(UUID accountId, String accountExternalId, List<FieldError> errors) {
        if (accountId == null && accountExternalId == null) {
            errors.add(FieldError.of("accountId", "give the account as accountId or accountExternalId"));
        } else if (accountId != null && accountExternalId != null) {
            errors.add(FieldError.of("accountExternalId", "give either accountId or accountExternalId, not both"));
        }
    }

    /** The account a record names, or null when there is none such. */
    public AccountId find(UUID accountId, String accountExternalId) {
        if (accountId != null) {
            AccountId id = new AccountId(accountId);
            return existing.contains(id) ? id : null;
        }
        return byExternalId.get(accountExternalId);
    }

    /** Why {@link #find} found nothing for this record. */
    public FieldError missing(UUID accountId, String accountExternalId) {
        return accountId != null
                ? FieldError.of("accountId", "no account with id " + accountId)
                : FieldError.of(
                        "accountExternalId",
                        "no account has external id '" + accountExternalId + "' in source '" + source + "'");
    }
}
