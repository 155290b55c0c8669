package dev.steward.customer;

import dev.steward.core.FieldError;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The accounts that the records of one bulk request name, by id or by external id in the request's source, looked
 * up together so that resolving them costs two queries however many records there are.
 */
final class AccountReferences {

    private final String source;
    private final Map<String, AccountId> byExternalId;
    private final Set<AccountId> existing;

    private AccountReferences(String source, Map<String, AccountId> byExternalId, Set<AccountId> existing) {
        this.source = source;
        this.byExternalId = byExternalId;
        this.existing = existing;
    }

    static AccountReferences lookup(
            AccountManagement accounts, String source, Collection<UUID> ids, Collection<String> externalIds) {
        return new AccountReferences(
                source,
                accounts.resolve(
                        source, externalIds.stream().filter(Objects::nonNull).collect(Collectors.toSet())),
                accounts.existing(ids.stream()
                        .filter(Objects::nonNull)
                        .map(AccountId::new)
                        .collect(Collectors.toSet())));
    }

    /**
     * The account a bulk record belongs to: the one it names ({@code accountExternalId} first, then {@code
     * accountId}), else the one it is stored under; null, with the reason added to {@code problems}, when there is
     * none.
     */
    UUID resolve(
            boolean hasExternalId,
            String accountExternalId,
            boolean hasId,
            UUID accountId,
            UUID stored,
            List<FieldError> problems) {
        if (hasExternalId && accountExternalId != null) {
            AccountId account = byExternalId.get(accountExternalId);
            if (account == null) {
                problems.add(FieldError.of(
                        "accountExternalId",
                        "no account has external id '" + accountExternalId + "' in source '" + source + "'"));
                return null;
            }
            return account.value();
        }
        if (hasId && accountId != null) {
            if (!existing.contains(new AccountId(accountId))) {
                problems.add(FieldError.of("accountId", "no account with id " + accountId));
                return null;
            }
            return accountId;
        }
        if (stored == null) {
            problems.add(FieldError.of("accountExternalId", "is required: send accountExternalId or accountId"));
        }
        return stored;
    }

    /** The account a single create or replace names; bulk-only references are refused. */
    static UUID single(
            AccountManagement accounts, UUID accountId, String accountExternalId, List<FieldError> problems) {
        if (accountExternalId != null) {
            problems.add(FieldError.of("accountExternalId", "is only understood in bulk upserts; send accountId"));
        }
        if (accountId == null) {
            problems.add(FieldError.of("accountId", "must not be null"));
        } else if (!accounts.exists(new AccountId(accountId))) {
            problems.add(FieldError.of("accountId", "no account with id " + accountId));
        }
        return accountId;
    }
}
