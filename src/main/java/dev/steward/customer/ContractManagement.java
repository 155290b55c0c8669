package dev.steward.customer;

import dev.steward.core.BulkResult;
import dev.steward.core.BulkResult.RecordResult;
import dev.steward.core.BulkUpserts;
import dev.steward.core.BulkUpserts.Candidate;
import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.Page;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Creates, changes, finds and bulk-upserts contracts, derives their renewal outcomes and ARR history, and keeps each
 * account's current ARR and renewal date in step with them; the customer module's API for contracts.
 */
@Service
public class ContractManagement {

    /** Most months one ARR history may span. */
    public static final int MAX_HISTORY_MONTHS = 600;

    private static final Set<String> FIELDS = Arrays.stream(ContractInput.class.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toUnmodifiableSet());

    private final Contracts contracts;
    private final AccountManagement accounts;
    private final BulkUpserts bulk;
    private final Clock clock;

    ContractManagement(Contracts contracts, AccountManagement accounts, BulkUpserts bulk, Clock clock) {
        this.contracts = contracts;
        this.accounts = accounts;
        this.bulk = bulk;
        this.clock = clock;
    }

    public Optional<Contract> find(ContractId id) {
        return contracts.find(id.value());
    }

    public Contract get(ContractId id) {
        return find(id).orElseThrow(() -> new NotFoundException("contract", id));
    }

    public Page<Contract> list(ContractQuery query) {
        return contracts.list(query);
    }

    /** All contracts of an account, oldest first. */
    public List<Contract> ofAccount(AccountId account) {
        return contracts.ofAccount(account.value());
    }

    /** Each contract of an account with what became of it at renewal, oldest first. */
    public List<Renewal> renewals(AccountId account) {
        List<Contract> all = ofAccount(account);
        Map<ContractId, List<Contract>> successors = new HashMap<>();
        all.stream()
                .filter(c -> c.previousContractId() != null)
                .forEach(c -> successors
                        .computeIfAbsent(c.previousContractId(), k -> new ArrayList<>())
                        .add(c));
        LocalDate today = LocalDate.now(clock);
        return all.stream()
                .map(c -> Renewal.of(c, successors.getOrDefault(c.id(), List.of()), today))
                .toList();
    }

    /**
     * An account's ARR on the first day of each month that starts between {@code from} and {@code to}; by default
     * the twelve months up to today.
     */
    public List<MonthlyArr> arrHistory(AccountId account, LocalDate from, LocalDate to) {
        LocalDate today = LocalDate.now(clock);
        LocalDate last = (to == null ? today : to).withDayOfMonth(1);
        LocalDate first = from == null
                ? last.minusMonths(11)
                : from.getDayOfMonth() == 1 ? from : from.withDayOfMonth(1).plusMonths(1);
        if (from != null && to != null && from.isAfter(to)) {
            throw new InvalidInputException("to", "is " + to + ", before from " + from);
        }
        if (ChronoUnit.MONTHS.between(first, last) >= MAX_HISTORY_MONTHS) {
            throw new InvalidInputException(
                    "from", "the history may span at most " + MAX_HISTORY_MONTHS + " months; choose a later date");
        }
        if (first.isAfter(last)) {
            return List.of();
        }
        return contracts.monthlyArr(account.value(), first, last, today);
    }

    /**
     * Recomputes every account's current ARR and renewal date as of today, since both move with the calendar even
     * when no contract changes; returns how many accounts changed.
     */
    @Transactional
    public int refreshAccountTotals() {
        return contracts.refreshAllAccounts(LocalDate.now(clock));
    }

    @Transactional
    public Contract create(ContractInput input) {
        UUID id = Ids.newId();
        List<FieldError> errors = new ArrayList<>();
        UUID account = AccountReferences.single(accounts, input.accountId(), input.accountExternalId(), errors);
        String source = input.externalId() == null ? null : AccountManagement.DEFAULT_SOURCE;
        Contracts.Row row = row(id, account, input, source, input.externalId(), null);
        errors.addAll(problems(row));
        errors.addAll(previousProblems(input, row));
        errors.addAll(externalIdClash(id, source, input.externalId()));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        contracts.insert(List.of(row));
        contracts.refreshAccounts(List.of(account), LocalDate.now(clock));
        return contracts.find(id).orElseThrow();
    }

    /** Replaces a contract's fields, provided nobody changed it since the client read {@code expectedVersion}. */
    @Transactional
    public Contract replace(ContractId id, long expectedVersion, ContractInput input) {
        Contract stored = get(id);
        List<FieldError> errors = new ArrayList<>();
        UUID account = AccountReferences.single(accounts, input.accountId(), input.accountExternalId(), errors);
        String externalId = input.externalId() == null ? stored.externalId() : input.externalId();
        String source = externalId == null
                ? null
                : stored.source() == null ? AccountManagement.DEFAULT_SOURCE : stored.source();
        Contracts.Row row = row(id.value(), account, input, source, externalId, stored);
        errors.addAll(problems(row));
        errors.addAll(previousProblems(input, row));
        errors.addAll(externalIdClash(id.value(), source, externalId));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (!contracts.update(row, expectedVersion)) {
            throw ConflictException.staleVersion("contract", id, contracts.version(id.value()));
        }
        contracts.refreshAccounts(
                new HashSet<>(List.of(account, stored.accountId().value())), LocalDate.now(clock));
        return contracts.find(id.value()).orElseThrow();
    }

    @Transactional
    public void delete(ContractId id, long expectedVersion) {
        Contract stored = get(id);
        if (!contracts.delete(id.value(), expectedVersion)) {
            throw ConflictException.staleVersion("contract", id, contracts.version(id.value()));
        }
        contracts.refreshAccounts(List.of(stored.accountId().value()), LocalDate.now(clock));
    }

    /**
     * Creates or updates contracts by their external id in {@code source}. Fields a record leaves out keep their
     * stored value; sending the same batch twice changes nothing the second time.
     */
    public BulkResult upsert(String source, JsonNode body, boolean atomic) {
        return bulk.upsert(
                body,
                atomic,
                ContractInput.class,
                ContractInput::externalId,
                ContractManagement::requireExternalId,
                candidates -> writeBulk(source, candidates));
    }

    /** Bulk upsert of records built in code (demo data, importers); every field of each record is written. */
    public BulkResult upsert(String source, List<ContractInput> records, boolean atomic) {
        return bulk.upsert(
                records,
                FIELDS,
                atomic,
                ContractInput::externalId,
                ContractManagement::requireExternalId,
                candidates -> writeBulk(source, candidates));
    }

    private static List<FieldError> requireExternalId(ContractInput input) {
        return input.externalId() == null || input.externalId().isBlank()
                ? List.of(FieldError.of("externalId", "is required in a bulk upsert"))
                : List.of();
    }

    private List<RecordResult> writeBulk(String source, List<Candidate<ContractInput>> candidates) {
        Map<String, UUID> known = contracts.idsByExternalId(
                source, candidates.stream().map(Candidate::externalId).toList());
        Map<String, UUID> idOf = new HashMap<>(known);
        candidates.forEach(c -> idOf.computeIfAbsent(c.externalId(), k -> Ids.newId()));
        Map<UUID, Contract> current = new HashMap<>();
        contracts.findAll(known.values()).forEach(c -> current.put(c.id().value(), c));
        AccountReferences references = AccountReferences.lookup(
                accounts,
                source,
                candidates.stream().map(c -> c.record().accountId()).toList(),
                candidates.stream().map(c -> c.record().accountExternalId()).toList());
        Map<String, UUID> previousByExternalId = contracts.idsByExternalId(
                source,
                candidates.stream()
                        .map(c -> c.record().previousContractExternalId())
                        .filter(p -> p != null && !idOf.containsKey(p))
                        .collect(Collectors.toSet()));
        Set<UUID> storedPrevious = new HashSet<>(previousByExternalId.values());
        candidates.stream()
                .map(c -> c.record().previousContractId())
                .filter(Objects::nonNull)
                .forEach(storedPrevious::add);
        current.values().stream()
                .map(Contract::previousContractId)
                .filter(Objects::nonNull)
                .forEach(p -> storedPrevious.add(p.value()));
        Map<UUID, UUID> accountOf = contracts.accountsOf(storedPrevious);
        Set<UUID> batchIds = new HashSet<>(idOf.values());

        Map<Integer, List<FieldError>> errors = new HashMap<>();
        Map<Integer, Contracts.Row> rows = new LinkedHashMap<>();
        Map<Integer, String> previousField = new HashMap<>();
        for (Candidate<ContractInput> candidate : candidates) {
            ContractInput input = candidate.record();
            UUID id = idOf.get(candidate.externalId());
            Contract stored = current.get(id);
            List<FieldError> problems = new ArrayList<>();
            UUID account = references.resolve(
                    candidate.has("accountExternalId"),
                    input.accountExternalId(),
                    candidate.has("accountId"),
                    input.accountId(),
                    stored == null ? null : stored.accountId().value(),
                    problems);
            UUID previous = stored == null || stored.previousContractId() == null
                    ? null
                    : stored.previousContractId().value();
            String previousExternalId = input.previousContractExternalId();
            if (candidate.has("previousContractExternalId") && previousExternalId != null) {
                previousField.put(candidate.index(), "previousContractExternalId");
                previous = idOf.getOrDefault(previousExternalId, previousByExternalId.get(previousExternalId));
                if (previous == null) {
                    problems.add(FieldError.of(
                            "previousContractExternalId",
                            "no contract has external id '" + previousExternalId + "' in source '" + source + "'"));
                }
            } else if (candidate.has("previousContractId") && input.previousContractId() != null) {
                previousField.put(candidate.index(), "previousContractId");
                previous = input.previousContractId();
                if (!accountOf.containsKey(previous) && !batchIds.contains(previous)) {
                    problems.add(FieldError.of("previousContractId", "no contract with id " + previous));
                }
            } else if (candidate.has("previousContractExternalId") || candidate.has("previousContractId")) {
                previous = null;
            }
            Contracts.Row row = merge(id, account, previous, input, candidate, stored, source);
            problems.addAll(problems(row));
            if (problems.isEmpty()) {
                rows.put(candidate.index(), row);
            } else {
                errors.put(candidate.index(), problems);
            }
        }
        rejectBrokenRenewalLinks(rows, errors, previousField, accountOf, current.keySet());

        List<Contracts.Row> inserts = new ArrayList<>();
        List<Contracts.Row> updates = new ArrayList<>();
        Set<UUID> touchedAccounts = new HashSet<>();
        for (Contracts.Row row : rows.values()) {
            Contract stored = current.get(row.id());
            (stored == null ? inserts : updates).add(row);
            touchedAccounts.add(row.accountId());
            if (stored != null) {
                touchedAccounts.add(stored.accountId().value());
            }
        }
        contracts.insert(inserts);
        Set<UUID> changed = contracts.updateChanged(updates);
        contracts.refreshAccounts(touchedAccounts, LocalDate.now(clock));

        List<RecordResult> results = new ArrayList<>();
        for (Candidate<ContractInput> candidate : candidates) {
            Contracts.Row row = rows.get(candidate.index());
            if (row == null) {
                results.add(RecordResult.rejected(
                        candidate.index(), candidate.externalId(), errors.get(candidate.index())));
            } else {
                BulkResult.Status status = !current.containsKey(row.id())
                        ? BulkResult.Status.created
                        : changed.contains(row.id()) ? BulkResult.Status.updated : BulkResult.Status.unchanged;
                results.add(RecordResult.stored(candidate.index(), candidate.externalId(), status, row.id()));
            }
        }
        return results;
    }

    /**
     * Refuses records that renew a contract of another account, and records that renew a contract whose own record
     * was refused in this batch and so will not exist.
     */
    private static void rejectBrokenRenewalLinks(
            Map<Integer, Contracts.Row> rows,
            Map<Integer, List<FieldError>> errors,
            Map<Integer, String> previousField,
            Map<UUID, UUID> storedAccountOf,
            Set<UUID> stored) {
        Map<UUID, UUID> accountOf = new HashMap<>(storedAccountOf);
        rows.values().forEach(r -> accountOf.put(r.id(), r.accountId()));
        rows.forEach((index, row) -> {
            UUID previous = row.previousContractId();
            UUID previousAccount = previous == null ? null : accountOf.get(previous);
            if (previousAccount != null && !previousAccount.equals(row.accountId())) {
                errors.put(
                        index,
                        List.of(FieldError.of(
                                previousField.getOrDefault(index, "previousContractId"),
                                "names contract " + previous + " of account " + previousAccount
                                        + "; a renewal must belong to the same account as the contract it renews")));
            }
        });
        errors.keySet().forEach(rows::remove);
        boolean changed = true;
        while (changed) {
            Set<UUID> written = rows.values().stream().map(Contracts.Row::id).collect(Collectors.toSet());
            changed = false;
            for (Map.Entry<Integer, Contracts.Row> entry : new ArrayList<>(rows.entrySet())) {
                UUID previous = entry.getValue().previousContractId();
                if (previous != null
                        && !written.contains(previous)
                        && !stored.contains(previous)
                        && !storedAccountOf.containsKey(previous)) {
                    errors.put(
                            entry.getKey(),
                            List.of(FieldError.of(
                                    previousField.getOrDefault(entry.getKey(), "previousContractId"),
                                    "the record of the contract it renews was rejected")));
                    rows.remove(entry.getKey());
                    changed = true;
                }
            }
        }
    }

    private static Contracts.Row merge(
            UUID id,
            UUID account,
            UUID previous,
            ContractInput in,
            Candidate<ContractInput> c,
            Contract stored,
            String source) {
        if (stored == null) {
            Contracts.Row whole = row(id, account, in, source, c.externalId(), null);
            return new Contracts.Row(
                    id,
                    account,
                    whole.startDate(),
                    whole.endDate(),
                    whole.arr(),
                    whole.seats(),
                    whole.plan(),
                    whole.status(),
                    whole.autoRenew(),
                    previous,
                    source,
                    c.externalId());
        }
        return new Contracts.Row(
                id,
                account,
                c.has("startDate") && in.startDate() != null ? in.startDate() : stored.startDate(),
                c.has("endDate") && in.endDate() != null ? in.endDate() : stored.endDate(),
                c.has("arr") && in.arr() != null ? in.arr() : stored.arr(),
                c.has("seats") ? in.seats() : stored.seats(),
                c.has("plan") ? in.plan() : stored.plan(),
                c.has("status") && in.status() != null ? in.status() : stored.status(),
                c.has("autoRenew") && in.autoRenew() != null ? in.autoRenew() : stored.autoRenew(),
                previous,
                source,
                c.externalId());
    }

    /** A row from a whole record; the status and auto-renewal it leaves out are kept from {@code stored} or defaulted. */
    private static Contracts.Row row(
            UUID id, UUID account, ContractInput in, String source, String externalId, Contract stored) {
        ContractStatus status =
                in.status() != null ? in.status() : stored != null ? stored.status() : ContractStatus.ACTIVE;
        boolean autoRenew = in.autoRenew() != null ? in.autoRenew() : stored != null && stored.autoRenew();
        return new Contracts.Row(
                id,
                account,
                in.startDate(),
                in.endDate(),
                in.arr(),
                in.seats(),
                in.plan(),
                status,
                autoRenew,
                in.previousContractId(),
                source,
                externalId);
    }

    /** Rules on the record as it would be stored, after fields left out were filled from the stored contract. */
    private static List<FieldError> problems(Contracts.Row row) {
        List<FieldError> errors = new ArrayList<>();
        if (row.startDate() == null) {
            errors.add(FieldError.of("startDate", "must not be null"));
        }
        if (row.endDate() == null) {
            errors.add(FieldError.of("endDate", "must not be null"));
        }
        if (row.arr() == null) {
            errors.add(FieldError.of("arr", "must not be null"));
        }
        if (row.startDate() != null && row.endDate() != null && row.endDate().isBefore(row.startDate())) {
            errors.add(FieldError.of(
                    "endDate",
                    "is " + row.endDate() + ", before startDate " + row.startDate()
                            + "; a contract ends after it starts"));
        }
        if (row.id().equals(row.previousContractId())) {
            errors.add(FieldError.of("previousContractId", "a contract cannot renew itself"));
        }
        return errors;
    }

    /** The contract a single create or replace renews must exist and belong to the same account. */
    private List<FieldError> previousProblems(ContractInput input, Contracts.Row row) {
        List<FieldError> errors = new ArrayList<>();
        if (input.previousContractExternalId() != null) {
            errors.add(FieldError.of(
                    "previousContractExternalId", "is only understood in bulk upserts; send previousContractId"));
        }
        UUID previous = row.previousContractId();
        if (previous == null || previous.equals(row.id())) {
            return errors;
        }
        UUID previousAccount = contracts.accountsOf(List.of(previous)).get(previous);
        if (previousAccount == null) {
            errors.add(FieldError.of("previousContractId", "no contract with id " + previous));
        } else if (row.accountId() != null && !previousAccount.equals(row.accountId())) {
            errors.add(FieldError.of(
                    "previousContractId",
                    "names a contract of account " + previousAccount
                            + "; a renewal must belong to the same account as the contract it renews"));
        }
        return errors;
    }

    private List<FieldError> externalIdClash(UUID id, String source, String externalId) {
        if (externalId == null) {
            return List.of();
        }
        UUID owner = contracts.idsByExternalId(source, List.of(externalId)).get(externalId);
        return owner == null || owner.equals(id)
                ? List.of()
                : List.of(FieldError.of(
                        "externalId",
                        "'" + externalId + "' in source '" + source + "' already belongs to contract " + owner));
    }
}
