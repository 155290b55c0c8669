package dev.steward.customer;

import dev.steward.core.AuditedChanges;
import dev.steward.core.BulkResult;
import dev.steward.core.BulkResult.RecordResult;
import dev.steward.core.BulkUpserts;
import dev.steward.core.BulkUpserts.Candidate;
import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import tools.jackson.databind.JsonNode;

/**
 * Finds, creates, replaces, deletes and bulk-upserts one kind of record that belongs to an account (contacts,
 * contracts, opportunities), so that optimistic concurrency, account references by id or external id, external-id
 * ownership and keeping fields a bulk record leaves out are written once; a {@link Kind} says what differs.
 *
 * @param <I> the input a client sends
 * @param <R> the row written to the table
 * @param <T> the record as read back
 */
final class AccountRecords<I, R, T> {

    /** How one kind of account record reads: its name in messages, its input type and the fields all kinds share. */
    record Kind<I, R, T>(
            String noun,
            Class<I> inputType,
            Function<I, UUID> accountId,
            Function<I, String> accountExternalId,
            Function<I, String> externalId,
            Function<T, UUID> storedId,
            Function<T, UUID> storedAccountId,
            Function<T, String> storedSource,
            Function<T, String> storedExternalId,
            Rows<I, R, T> rows) {}

    /** What each kind decides itself: how an input becomes a row, and the rules a row must meet. */
    interface Rows<I, R, T> {

        /** A row from a whole record; fields it leaves out are kept from {@code stored} (if any) or defaulted. */
        R row(UUID id, UUID account, I input, String source, String externalId, T stored);

        /** A row from a bulk record over the stored one: fields the candidate did not carry keep their value. */
        R merge(UUID id, UUID account, I input, Candidate<I> candidate, T stored, String source);

        /** Rules on the record as it would be stored, after fields left out were filled from the stored one. */
        List<FieldError> problems(R row);

        /** Rules that only a single create or replace checks, such as references the bulk writer resolves itself. */
        default List<FieldError> singleWriteProblems(I input, R row) {
            return List.of();
        }

        /** Called after a single create, replace or delete touched these accounts, for totals derived from them. */
        default void accountsChanged(Set<UUID> accounts) {}

        /**
         * The days a record counted on as stored ({@code stored}) and as written ({@code row}), either absent, for
         * readers that keep figures by day; {@code null} when records of this kind do not count on days.
         */
        default AccountRecordsChanged.@Nullable Days days(@Nullable T stored, @Nullable R row) {
            return null;
        }
    }

    private final Kind<I, R, T> kind;
    private final AccountRecordTable<R, T> table;
    private final AccountManagement accounts;
    private final BulkUpserts bulk;
    private final ApplicationEventPublisher events;
    private final Set<String> fields;

    AccountRecords(
            Kind<I, R, T> kind,
            AccountRecordTable<R, T> table,
            AccountManagement accounts,
            BulkUpserts bulk,
            ApplicationEventPublisher events) {
        this.kind = kind;
        this.events = events;
        this.table = table;
        this.accounts = accounts;
        this.bulk = bulk;
        this.fields = Arrays.stream(kind.inputType().getRecordComponents())
                .map(RecordComponent::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    Optional<T> find(UUID id) {
        return table.find(id);
    }

    T get(UUID id) {
        return find(id).orElseThrow(() -> new NotFoundException(kind.noun(), id));
    }

    T create(I input) {
        UUID id = Ids.newId();
        List<FieldError> errors = new ArrayList<>();
        UUID account = singleAccount(input, errors);
        if (account != null) {
            accounts.checkChange(Set.of(account));
        }
        String externalId = kind.externalId().apply(input);
        String source = externalId == null ? null : AccountManagement.DEFAULT_SOURCE;
        R row = kind.rows().row(id, account, input, source, externalId, null);
        requireValid(errors, input, row, id, source, externalId);
        if (table.insert(List.of(row)).isEmpty()) {
            // Another request stored a record under this external id since it was looked up.
            throw new InvalidInputException(externalIdClash(id, source, externalId));
        }
        changed(Set.of(account), kind.rows().days(null, row));
        T created = table.find(id).orElseThrow();
        AuditedChanges.note(kind.noun(), id, null, created);
        return created;
    }

    /** Replaces a record's fields, provided nobody changed it since the client read {@code expectedVersion}. */
    T replace(UUID id, long expectedVersion, I input) {
        T stored = get(id);
        accounts.checkChange(Set.of(kind.storedAccountId().apply(stored)));
        List<FieldError> errors = new ArrayList<>();
        UUID account = singleAccount(input, errors);
        if (account != null) {
            accounts.checkChange(Set.of(account));
        }
        String externalId = kind.externalId().apply(input) == null
                ? kind.storedExternalId().apply(stored)
                : kind.externalId().apply(input);
        String storedSource = kind.storedSource().apply(stored);
        String source =
                externalId == null ? null : storedSource == null ? AccountManagement.DEFAULT_SOURCE : storedSource;
        R row = kind.rows().row(id, account, input, source, externalId, stored);
        requireValid(errors, input, row, id, source, externalId);
        boolean updated;
        try {
            updated = table.update(row, expectedVersion);
        } catch (DuplicateKeyException e) {
            // Another request gave a record this external id since it was checked.
            throw new InvalidInputException(
                    "externalId",
                    "'" + externalId + "' in source '" + source + "' already belongs to another " + kind.noun());
        }
        if (!updated) {
            throw ConflictException.staleVersion(kind.noun(), id, table.version(id));
        }
        changed(
                new HashSet<>(List.of(account, kind.storedAccountId().apply(stored))),
                kind.rows().days(stored, row));
        T changed = table.find(id).orElseThrow();
        AuditedChanges.note(kind.noun(), id, stored, changed);
        return changed;
    }

    void delete(UUID id, long expectedVersion) {
        T stored = get(id);
        accounts.checkChange(Set.of(kind.storedAccountId().apply(stored)));
        if (!table.delete(id, expectedVersion)) {
            throw ConflictException.staleVersion(kind.noun(), id, table.version(id));
        }
        changed(Set.of(kind.storedAccountId().apply(stored)), kind.rows().days(stored, null));
        AuditedChanges.note(kind.noun(), id, stored, null);
    }

    /** Deletes the records these external ids in {@code source} name (those Steward has); answers how many. */
    int deleteAll(String source, Collection<String> externalIds) {
        if (externalIds.isEmpty()) {
            return 0;
        }
        Map<String, UUID> known = table.idsByExternalId(source, externalIds);
        int deleted = 0;
        for (UUID id : known.values()) {
            delete(id, table.version(id));
            deleted++;
        }
        return deleted;
    }

    /** Tells the kind (for totals derived from its records) and the other modules that these accounts' records changed. */
    private void changed(Set<UUID> accounts, AccountRecordsChanged.@Nullable Days days) {
        kind.rows().accountsChanged(accounts);
        events.publishEvent(new AccountRecordsChanged(kind.noun(), accounts, days));
    }

    private UUID singleAccount(I input, List<FieldError> errors) {
        return AccountReferences.single(
                accounts,
                kind.accountId().apply(input),
                kind.accountExternalId().apply(input),
                errors);
    }

    /** Refuses a single create or replace with all its problems at once, so that the client can fix them together. */
    private void requireValid(List<FieldError> errors, I input, R row, UUID id, String source, String externalId) {
        errors.addAll(kind.rows().problems(row));
        errors.addAll(kind.rows().singleWriteProblems(input, row));
        errors.addAll(externalIdClash(id, source, externalId));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    /** Bulk upsert of a JSON body; fields a record leaves out keep their stored value. */
    BulkResult upsert(JsonNode body, boolean atomic, BulkUpserts.Writer<I> writer) {
        return bulk.upsert(body, atomic, kind.inputType(), kind.externalId(), this::requireExternalId, writer);
    }

    /** Bulk upsert of records built in code; every field of each record is written. */
    BulkResult upsert(List<I> records, boolean atomic, BulkUpserts.Writer<I> writer) {
        return bulk.upsert(records, fields, atomic, kind.externalId(), this::requireExternalId, writer);
    }

    private List<FieldError> requireExternalId(I input) {
        String externalId = kind.externalId().apply(input);
        return externalId == null || externalId.isBlank()
                ? List.of(FieldError.of("externalId", "is required in a bulk upsert"))
                : List.of();
    }

    /** The stored records the candidates name by external id in {@code source}, by id. */
    Map<UUID, T> stored(Map<String, UUID> known) {
        Map<UUID, T> current = new HashMap<>();
        table.findAll(known.values()).forEach(t -> current.put(kind.storedId().apply(t), t));
        return current;
    }

    /** The accounts the candidates name, looked up at once. */
    AccountReferences references(String source, List<Candidate<I>> candidates) {
        return AccountReferences.lookup(
                accounts,
                source,
                candidates.stream().map(c -> kind.accountId().apply(c.record())).toList(),
                candidates.stream()
                        .map(c -> kind.accountExternalId().apply(c.record()))
                        .toList());
    }

    /** The account a candidate names, or the stored record's when it names none. */
    UUID account(AccountReferences references, Candidate<I> candidate, T stored, List<FieldError> problems) {
        I input = candidate.record();
        return references.resolve(
                candidate.has("accountExternalId"),
                kind.accountExternalId().apply(input),
                candidate.has("accountId"),
                kind.accountId().apply(input),
                stored == null ? null : kind.storedAccountId().apply(stored),
                problems);
    }

    /** The row a candidate becomes: the whole record when new, else merged over the stored one. */
    R row(UUID id, UUID account, Candidate<I> candidate, T stored, String source) {
        return stored == null
                ? kind.rows().row(id, account, candidate.record(), source, candidate.externalId(), null)
                : kind.rows().merge(id, account, candidate.record(), candidate, stored, source);
    }

    /** Writes bulk candidates whose only references are their accounts. */
    List<RecordResult> writeBulk(String source, List<Candidate<I>> candidates) {
        Map<String, UUID> known = table.idsByExternalId(
                source, candidates.stream().map(Candidate::externalId).toList());
        Map<UUID, T> current = stored(known);
        AccountReferences references = references(source, candidates);

        List<RecordResult> results = new ArrayList<>();
        List<R> inserts = new ArrayList<>();
        List<R> updates = new ArrayList<>();
        Map<Integer, UUID> written = new HashMap<>();
        Map<UUID, UUID> accountOf = new HashMap<>();
        for (Candidate<I> candidate : candidates) {
            UUID id = known.getOrDefault(candidate.externalId(), Ids.newId());
            T stored = current.get(id);
            List<FieldError> problems = new ArrayList<>();
            UUID account = account(references, candidate, stored, problems);
            R row = row(id, account, candidate, stored, source);
            problems.addAll(kind.rows().problems(row));
            if (problems.isEmpty()) {
                (stored == null ? inserts : updates).add(row);
                written.put(candidate.index(), id);
                accountOf.put(id, account);
            } else {
                results.add(RecordResult.rejected(candidate.index(), candidate.externalId(), problems));
            }
        }
        requireAllInserted(table.insert(inserts), inserts.size());
        Set<UUID> changed = table.updateChanged(updates);
        Set<UUID> touched = new HashSet<>();
        accountOf.forEach((id, account) -> {
            if (!current.containsKey(id) || changed.contains(id)) {
                touched.add(account);
            }
        });
        announce(touched);
        for (Candidate<I> candidate : candidates) {
            UUID id = written.get(candidate.index());
            if (id != null) {
                results.add(RecordResult.stored(
                        candidate.index(), candidate.externalId(), status(current.keySet(), changed, id), id));
            }
        }
        return results;
    }

    /**
     * Tells the modules that read these records (health's re-score, insight's figures, segments) that a bulk write
     * created or changed records of these accounts; nothing when none was.
     */
    void announce(Set<UUID> accounts) {
        if (!accounts.isEmpty()) {
            events.publishEvent(new AccountRecordsChanged(kind.noun(), accounts));
        }
    }

    /**
     * Makes the bulk write start again when some of the records it meant to create were stored by another writer since
     * it looked their external ids up; done again, it finds and updates them.
     */
    void requireAllInserted(Set<UUID> inserted, int meant) {
        if (inserted.size() < meant) {
            throw new BulkUpserts.WrittenMeanwhile((meant - inserted.size()) + " " + kind.noun() + "(s)");
        }
    }

    /** What became of a written record: new, changed, or the same as stored. */
    static BulkResult.Status status(Set<UUID> stored, Set<UUID> changed, UUID id) {
        return !stored.contains(id)
                ? BulkResult.Status.created
                : changed.contains(id) ? BulkResult.Status.updated : BulkResult.Status.unchanged;
    }

    private List<FieldError> externalIdClash(UUID id, String source, String externalId) {
        if (externalId == null) {
            return List.of();
        }
        UUID owner = table.idsByExternalId(source, List.of(externalId)).get(externalId);
        return owner == null || owner.equals(id)
                ? List.of()
                : List.of(FieldError.of(
                        "externalId",
                        "'" + externalId + "' in source '" + source + "' already belongs to " + kind.noun() + " "
                                + owner));
    }
}
