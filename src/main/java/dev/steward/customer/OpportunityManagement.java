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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** Creates, changes, finds and bulk-upserts sales opportunities; the customer module's API for them. */
@Service
public class OpportunityManagement {

    private static final Set<String> FIELDS = Arrays.stream(OpportunityInput.class.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toUnmodifiableSet());

    private final Opportunities opportunities;
    private final AccountManagement accounts;
    private final BulkUpserts bulk;
    private final Clock clock;

    OpportunityManagement(Opportunities opportunities, AccountManagement accounts, BulkUpserts bulk, Clock clock) {
        this.opportunities = opportunities;
        this.accounts = accounts;
        this.bulk = bulk;
        this.clock = clock;
    }

    public Optional<Opportunity> find(OpportunityId id) {
        return opportunities.find(id.value());
    }

    public Opportunity get(OpportunityId id) {
        return find(id).orElseThrow(() -> new NotFoundException("opportunity", id));
    }

    public Page<Opportunity> list(OpportunityQuery query) {
        return opportunities.list(query);
    }

    @Transactional
    public Opportunity create(OpportunityInput input) {
        UUID id = Ids.newId();
        List<FieldError> errors = new ArrayList<>();
        UUID account = AccountReferences.single(accounts, input.accountId(), input.accountExternalId(), errors);
        String source = input.externalId() == null ? null : AccountManagement.DEFAULT_SOURCE;
        Opportunities.Row row = row(id, account, input, source, input.externalId(), null);
        errors.addAll(problems(row));
        errors.addAll(externalIdClash(id, source, input.externalId()));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        opportunities.insert(List.of(row));
        return opportunities.find(id).orElseThrow();
    }

    /** Replaces an opportunity's fields, provided nobody changed it since the client read {@code expectedVersion}. */
    @Transactional
    public Opportunity replace(OpportunityId id, long expectedVersion, OpportunityInput input) {
        Opportunity stored = get(id);
        List<FieldError> errors = new ArrayList<>();
        UUID account = AccountReferences.single(accounts, input.accountId(), input.accountExternalId(), errors);
        String externalId = input.externalId() == null ? stored.externalId() : input.externalId();
        String source = externalId == null
                ? null
                : stored.source() == null ? AccountManagement.DEFAULT_SOURCE : stored.source();
        Opportunities.Row row = row(id.value(), account, input, source, externalId, stored);
        errors.addAll(problems(row));
        errors.addAll(externalIdClash(id.value(), source, externalId));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (!opportunities.update(row, expectedVersion)) {
            throw ConflictException.staleVersion("opportunity", id, opportunities.version(id.value()));
        }
        return opportunities.find(id.value()).orElseThrow();
    }

    @Transactional
    public void delete(OpportunityId id, long expectedVersion) {
        get(id);
        if (!opportunities.delete(id.value(), expectedVersion)) {
            throw ConflictException.staleVersion("opportunity", id, opportunities.version(id.value()));
        }
    }

    /**
     * Creates or updates opportunities by their external id in {@code source}. Fields a record leaves out keep
     * their stored value; sending the same batch twice changes nothing the second time.
     */
    public BulkResult upsert(String source, JsonNode body, boolean atomic) {
        return bulk.upsert(
                body,
                atomic,
                OpportunityInput.class,
                OpportunityInput::externalId,
                OpportunityManagement::requireExternalId,
                candidates -> writeBulk(source, candidates));
    }

    /** Bulk upsert of records built in code (demo data, importers); every field of each record is written. */
    public BulkResult upsert(String source, List<OpportunityInput> records, boolean atomic) {
        return bulk.upsert(
                records,
                FIELDS,
                atomic,
                OpportunityInput::externalId,
                OpportunityManagement::requireExternalId,
                candidates -> writeBulk(source, candidates));
    }

    private static List<FieldError> requireExternalId(OpportunityInput input) {
        return input.externalId() == null || input.externalId().isBlank()
                ? List.of(FieldError.of("externalId", "is required in a bulk upsert"))
                : List.of();
    }

    private List<RecordResult> writeBulk(String source, List<Candidate<OpportunityInput>> candidates) {
        Map<String, UUID> known = opportunities.idsByExternalId(
                source, candidates.stream().map(Candidate::externalId).toList());
        Map<UUID, Opportunity> current = new HashMap<>();
        opportunities.findAll(known.values()).forEach(o -> current.put(o.id().value(), o));
        AccountReferences references = AccountReferences.lookup(
                accounts,
                source,
                candidates.stream().map(c -> c.record().accountId()).toList(),
                candidates.stream().map(c -> c.record().accountExternalId()).toList());

        List<RecordResult> results = new ArrayList<>();
        List<Opportunities.Row> inserts = new ArrayList<>();
        List<Opportunities.Row> updates = new ArrayList<>();
        Map<Integer, UUID> written = new HashMap<>();
        for (Candidate<OpportunityInput> candidate : candidates) {
            OpportunityInput input = candidate.record();
            UUID id = known.getOrDefault(candidate.externalId(), Ids.newId());
            Opportunity stored = current.get(id);
            List<FieldError> problems = new ArrayList<>();
            UUID account = references.resolve(
                    candidate.has("accountExternalId"),
                    input.accountExternalId(),
                    candidate.has("accountId"),
                    input.accountId(),
                    stored == null ? null : stored.accountId().value(),
                    problems);
            Opportunities.Row row = merge(id, account, input, candidate, stored, source);
            problems.addAll(problems(row));
            if (problems.isEmpty()) {
                (stored == null ? inserts : updates).add(row);
                written.put(candidate.index(), id);
            } else {
                results.add(RecordResult.rejected(candidate.index(), candidate.externalId(), problems));
            }
        }
        opportunities.insert(inserts);
        Set<UUID> changed = opportunities.updateChanged(updates);
        for (Candidate<OpportunityInput> candidate : candidates) {
            UUID id = written.get(candidate.index());
            if (id != null) {
                BulkResult.Status status = !current.containsKey(id)
                        ? BulkResult.Status.created
                        : changed.contains(id) ? BulkResult.Status.updated : BulkResult.Status.unchanged;
                results.add(RecordResult.stored(candidate.index(), candidate.externalId(), status, id));
            }
        }
        return results;
    }

    private Opportunities.Row merge(
            UUID id,
            UUID account,
            OpportunityInput in,
            Candidate<OpportunityInput> c,
            Opportunity stored,
            String source) {
        if (stored == null) {
            return row(id, account, in, source, c.externalId(), null);
        }
        return new Opportunities.Row(
                id,
                account,
                c.has("name") && in.name() != null ? in.name() : stored.name(),
                c.has("type") && in.type() != null ? in.type() : stored.type(),
                c.has("amount") ? in.amount() : stored.amount(),
                c.has("stage") && in.stage() != null ? in.stage() : stored.stage(),
                c.has("closeDate") ? in.closeDate() : stored.closeDate(),
                c.has("createdAt") && in.createdAt() != null ? micros(in.createdAt()) : stored.createdAt(),
                source,
                c.externalId());
    }

    /** A row from a whole record; the opening time it leaves out is kept from {@code stored} or is now. */
    private Opportunities.Row row(
            UUID id, UUID account, OpportunityInput in, String source, String externalId, Opportunity stored) {
        Instant created =
                in.createdAt() != null ? in.createdAt() : stored != null ? stored.createdAt() : Instant.now(clock);
        return new Opportunities.Row(
                id,
                account,
                in.name(),
                in.type(),
                in.amount(),
                in.stage(),
                in.closeDate(),
                micros(created),
                source,
                externalId);
    }

    /** PostgreSQL keeps microseconds; finer input would never compare equal to what was stored. */
    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** Rules on the record as it would be stored, after fields left out were filled from the stored opportunity. */
    private static List<FieldError> problems(Opportunities.Row row) {
        List<FieldError> errors = new ArrayList<>();
        if (row.name() == null || row.name().isBlank()) {
            errors.add(FieldError.of("name", "must not be blank"));
        }
        if (row.type() == null) {
            errors.add(FieldError.of("type", "must not be null"));
        }
        if (row.stage() == null || row.stage().isBlank()) {
            errors.add(FieldError.of("stage", "must not be blank"));
        }
        return errors;
    }

    private List<FieldError> externalIdClash(UUID id, String source, String externalId) {
        if (externalId == null) {
            return List.of();
        }
        UUID owner = opportunities.idsByExternalId(source, List.of(externalId)).get(externalId);
        return owner == null || owner.equals(id)
                ? List.of()
                : List.of(FieldError.of(
                        "externalId",
                        "'" + externalId + "' in source '" + source + "' already belongs to opportunity " + owner));
    }
}
