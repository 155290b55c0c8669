package dev.steward.customer;

import dev.steward.core.BulkResult;
import dev.steward.core.BulkResult.RecordResult;
import dev.steward.core.BulkUpserts;
import dev.steward.core.BulkUpserts.Candidate;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.Page;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
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
import org.springframework.context.ApplicationEventPublisher;
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

    private final Contracts contracts;
    private final AccountRecords<ContractInput, Contracts.Row, Contract> records;
    private final Clock clock;

    ContractManagement(
            Contracts contracts,
            AccountManagement accounts,
            BulkUpserts bulk,
            Clock clock,
            ApplicationEventPublisher events) {
        this.contracts = contracts;
        this.clock = clock;
        this.records = new AccountRecords<>(
                new AccountRecords.Kind<>(
                        AccountRecordsChanged.CONTRACT,
                        ContractInput.class,
                        ContractInput::accountId,
                        ContractInput::accountExternalId,
                        ContractInput::externalId,
                        c -> c.id().value(),
                        c -> c.accountId().value(),
                        Contract::source,
                        Contract::externalId,
                        new ContractRows()),
                contracts,
                accounts,
                bulk,
                events);
    }

    public Optional<Contract> find(ContractId id) {
        return records.find(id.value());
    }

    public Contract get(ContractId id) {
        return records.get(id.value());
    }

    /** The accounts of the contracts known in {@code source} under the given external ids, by external id. */
    public Map<String, AccountId> accountsByExternalId(String source, Collection<String> externalIds) {
        Map<String, UUID> ids = contracts.idsByExternalId(source, externalIds);
        Map<UUID, UUID> accountOf = contracts.accountsOf(ids.values());
        Map<String, AccountId> accounts = new HashMap<>();
        ids.forEach((externalId, id) -> {
            UUID account = accountOf.get(id);
            if (account != null) {
                accounts.put(externalId, new AccountId(account));
            }
        });
        return accounts;
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
        return records.create(input);
    }

    /** Replaces a contract's fields, provided nobody changed it since the client read {@code expectedVersion}. */
    @Transactional
    public Contract replace(ContractId id, long expectedVersion, ContractInput input) {
        return records.replace(id.value(), expectedVersion, input);
    }

    @Transactional
    public void delete(ContractId id, long expectedVersion) {
        records.delete(id.value(), expectedVersion);
    }

    /**
     * Creates or updates contracts by their external id in {@code source}. Fields a record leaves out keep their
     * stored value; sending the same batch twice changes nothing the second time.
     */
    public BulkResult upsert(String source, JsonNode body, boolean atomic) {
        return records.upsert(body, atomic, candidates -> writeBulk(source, candidates));
    }

    /** Bulk upsert of records built in code (demo data, importers); every field of each record is written. */
    public BulkResult upsert(String source, List<ContractInput> inputs, boolean atomic) {
        return records.upsert(inputs, atomic, candidates -> writeBulk(source, candidates));
    }

    private List<RecordResult> writeBulk(String source, List<Candidate<ContractInput>> candidates) {
        Map<String, UUID> known = contracts.idsByExternalId(
                source, candidates.stream().map(Candidate::externalId).toList());
        Map<String, UUID> idOf = new HashMap<>(known);
        candidates.forEach(c -> idOf.computeIfAbsent(c.externalId(), k -> Ids.newId()));
        Map<UUID, Contract> current = records.stored(known);
        AccountReferences references = records.references(source, candidates);
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
            UUID account = records.account(references, candidate, stored, problems);
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
            Contracts.Row row =
                    records.row(id, account, candidate, stored, source).renewing(previous);
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
        records.requireAllInserted(contracts.insert(inserts), inserts.size());
        Set<UUID> changed = contracts.updateChanged(updates);
        contracts.refreshAccounts(touchedAccounts, LocalDate.now(clock));
        // Announced as a single write is, for the accounts whose contracts were created or changed (a contract moved
        // to another account, both): their scores, figures and segments read ARR, seats and renewal dates.
        Set<UUID> announced = new HashSet<>();
        for (Contracts.Row row : rows.values()) {
            Contract stored = current.get(row.id());
            if (stored == null || changed.contains(row.id())) {
                announced.add(row.accountId());
                if (stored != null) {
                    announced.add(stored.accountId().value());
                }
            }
        }
        records.announce(announced);

        List<RecordResult> results = new ArrayList<>();
        for (Candidate<ContractInput> candidate : candidates) {
            Contracts.Row row = rows.get(candidate.index());
            if (row == null) {
                results.add(RecordResult.rejected(
                        candidate.index(), candidate.externalId(), errors.get(candidate.index())));
            } else {
                results.add(RecordResult.stored(
                        candidate.index(),
                        candidate.externalId(),
                        AccountRecords.status(current.keySet(), changed, row.id()),
                        row.id()));
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

    /** A contract's own fields and rules, and the account totals that follow from them. */
    private final class ContractRows implements AccountRecords.Rows<ContractInput, Contracts.Row, Contract> {

        /** Keeps the stored renewal link: the bulk writer resolves links itself, since they may name the batch. */
        @Override
        public Contracts.Row merge(
                UUID id, UUID account, ContractInput in, Candidate<ContractInput> c, Contract stored, String source) {
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
                    stored.previousContractId() == null
                            ? null
                            : stored.previousContractId().value(),
                    source,
                    c.externalId());
        }

        /** The status and auto-renewal a record leaves out are kept from {@code stored} or defaulted. */
        @Override
        public Contracts.Row row(
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

        @Override
        public List<FieldError> problems(Contracts.Row row) {
            return ContractManagement.problems(row);
        }

        /** The contract a single create or replace renews must exist and belong to the same account. */
        @Override
        public List<FieldError> singleWriteProblems(ContractInput input, Contracts.Row row) {
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

        @Override
        public void accountsChanged(Set<UUID> accounts) {
            contracts.refreshAccounts(accounts, LocalDate.now(clock));
        }

        /** A contract counts from its start up to the day before its end (open-ended: no end). */
        @Override
        public AccountRecordsChanged.Days days(Contract stored, Contracts.Row row) {
            AccountRecordsChanged.Days before =
                    stored == null ? null : new AccountRecordsChanged.Days(stored.startDate(), stored.endDate());
            AccountRecordsChanged.Days after =
                    row == null ? null : new AccountRecordsChanged.Days(row.startDate(), row.endDate());
            return before == null ? after : after == null ? before : before.and(after);
        }
    }

    /** Rules on the record as it would be stored, after fields left out were filled from the stored contract. */
    private static List<FieldError> problems(Contracts.Row row) {
        List<FieldError> errors = new ArrayList<>();
        if (row.startDate() == null) {
            errors.add(FieldError.of("startDate", "must not be null"));
        }
        if (row.endDate() == null && row.status() == ContractStatus.CANCELLED) {
            errors.add(FieldError.of(
                    "endDate",
                    "a cancelled contract needs the day it ended; leave it empty only for one that runs on"));
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
}
