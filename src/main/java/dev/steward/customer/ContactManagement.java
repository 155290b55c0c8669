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

/** Creates, changes, finds and bulk-upserts the contacts of customer accounts; the customer module's API for them. */
@Service
public class ContactManagement {

    private static final Set<String> FIELDS = Arrays.stream(ContactInput.class.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toUnmodifiableSet());

    private final Contacts contacts;
    private final AccountManagement accounts;
    private final BulkUpserts bulk;
    private final Clock clock;

    ContactManagement(Contacts contacts, AccountManagement accounts, BulkUpserts bulk, Clock clock) {
        this.contacts = contacts;
        this.accounts = accounts;
        this.bulk = bulk;
        this.clock = clock;
    }

    public Optional<Contact> find(ContactId id) {
        return contacts.find(id.value());
    }

    public Contact get(ContactId id) {
        return find(id).orElseThrow(() -> new NotFoundException("contact", id));
    }

    public Page<Contact> list(ContactQuery query) {
        return contacts.list(query);
    }

    @Transactional
    public Contact create(ContactInput input) {
        UUID id = Ids.newId();
        List<FieldError> errors = new ArrayList<>();
        UUID account = AccountReferences.single(accounts, input.accountId(), input.accountExternalId(), errors);
        String source = input.externalId() == null ? null : AccountManagement.DEFAULT_SOURCE;
        Contacts.Row row = row(id, account, input, source, input.externalId(), null);
        errors.addAll(problems(row));
        errors.addAll(externalIdClash(id, source, input.externalId()));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        contacts.insert(List.of(row));
        return contacts.find(id).orElseThrow();
    }

    /** Replaces a contact's fields, provided nobody changed it since the client read {@code expectedVersion}. */
    @Transactional
    public Contact replace(ContactId id, long expectedVersion, ContactInput input) {
        Contact stored = get(id);
        List<FieldError> errors = new ArrayList<>();
        UUID account = AccountReferences.single(accounts, input.accountId(), input.accountExternalId(), errors);
        String externalId = input.externalId() == null ? stored.externalId() : input.externalId();
        String source = externalId == null
                ? null
                : stored.source() == null ? AccountManagement.DEFAULT_SOURCE : stored.source();
        Contacts.Row row = row(id.value(), account, input, source, externalId, stored);
        errors.addAll(problems(row));
        errors.addAll(externalIdClash(id.value(), source, externalId));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (!contacts.update(row, expectedVersion)) {
            throw ConflictException.staleVersion("contact", id, contacts.version(id.value()));
        }
        return contacts.find(id.value()).orElseThrow();
    }

    @Transactional
    public void delete(ContactId id, long expectedVersion) {
        get(id);
        if (!contacts.delete(id.value(), expectedVersion)) {
            throw ConflictException.staleVersion("contact", id, contacts.version(id.value()));
        }
    }

    /**
     * Creates or updates contacts by their external id in {@code source}. Fields a record leaves out keep their
     * stored value; sending the same batch twice changes nothing the second time.
     */
    public BulkResult upsert(String source, JsonNode body, boolean atomic) {
        return bulk.upsert(
                body,
                atomic,
                ContactInput.class,
                ContactInput::externalId,
                ContactManagement::requireExternalId,
                candidates -> writeBulk(source, candidates));
    }

    /** Bulk upsert of records built in code (demo data, importers); every field of each record is written. */
    public BulkResult upsert(String source, List<ContactInput> records, boolean atomic) {
        return bulk.upsert(
                records,
                FIELDS,
                atomic,
                ContactInput::externalId,
                ContactManagement::requireExternalId,
                candidates -> writeBulk(source, candidates));
    }

    private static List<FieldError> requireExternalId(ContactInput input) {
        return input.externalId() == null || input.externalId().isBlank()
                ? List.of(FieldError.of("externalId", "is required in a bulk upsert"))
                : List.of();
    }

    private List<RecordResult> writeBulk(String source, List<Candidate<ContactInput>> candidates) {
        Map<String, UUID> known = contacts.idsByExternalId(
                source, candidates.stream().map(Candidate::externalId).toList());
        Map<UUID, Contact> current = new HashMap<>();
        contacts.findAll(known.values()).forEach(c -> current.put(c.id().value(), c));
        AccountReferences references = AccountReferences.lookup(
                accounts,
                source,
                candidates.stream().map(c -> c.record().accountId()).toList(),
                candidates.stream().map(c -> c.record().accountExternalId()).toList());

        List<RecordResult> results = new ArrayList<>();
        List<Contacts.Row> inserts = new ArrayList<>();
        List<Contacts.Row> updates = new ArrayList<>();
        Map<Integer, UUID> written = new HashMap<>();
        for (Candidate<ContactInput> candidate : candidates) {
            ContactInput input = candidate.record();
            UUID id = known.getOrDefault(candidate.externalId(), Ids.newId());
            Contact stored = current.get(id);
            List<FieldError> problems = new ArrayList<>();
            UUID account = references.resolve(
                    candidate.has("accountExternalId"),
                    input.accountExternalId(),
                    candidate.has("accountId"),
                    input.accountId(),
                    stored == null ? null : stored.accountId().value(),
                    problems);
            Contacts.Row row = merge(id, account, input, candidate, stored, source);
            problems.addAll(problems(row));
            if (problems.isEmpty()) {
                (stored == null ? inserts : updates).add(row);
                written.put(candidate.index(), id);
            } else {
                results.add(RecordResult.rejected(candidate.index(), candidate.externalId(), problems));
            }
        }
        contacts.insert(inserts);
        Set<UUID> changed = contacts.updateChanged(updates);
        for (Candidate<ContactInput> candidate : candidates) {
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

    private Contacts.Row merge(
            UUID id, UUID account, ContactInput in, Candidate<ContactInput> c, Contact stored, String source) {
        if (stored == null) {
            return row(id, account, in, source, c.externalId(), null);
        }
        return new Contacts.Row(
                id,
                account,
                c.has("name") && in.name() != null ? in.name() : stored.name(),
                c.has("email") ? in.email() : stored.email(),
                c.has("title") ? in.title() : stored.title(),
                c.has("phone") ? in.phone() : stored.phone(),
                c.has("role") && in.role() != null ? in.role() : stored.role(),
                c.has("joinedAt") && in.joinedAt() != null ? in.joinedAt() : stored.joinedAt(),
                c.has("leftAt") ? in.leftAt() : stored.leftAt(),
                source,
                c.externalId());
    }

    /** A row from a whole record; the role and join day it leaves out are kept from {@code stored} or defaulted. */
    private Contacts.Row row(UUID id, UUID account, ContactInput in, String source, String externalId, Contact stored) {
        LocalDate joined =
                in.joinedAt() != null ? in.joinedAt() : stored != null ? stored.joinedAt() : LocalDate.now(clock);
        ContactRole role = in.role() != null ? in.role() : stored != null ? stored.role() : ContactRole.OTHER;
        return new Contacts.Row(
                id,
                account,
                in.name(),
                in.email(),
                in.title(),
                in.phone(),
                role,
                joined,
                in.leftAt(),
                source,
                externalId);
    }

    /** Rules on the record as it would be stored, after fields left out were filled from the stored contact. */
    private static List<FieldError> problems(Contacts.Row row) {
        List<FieldError> errors = new ArrayList<>();
        if (row.name() == null || row.name().isBlank()) {
            errors.add(FieldError.of("name", "must not be blank"));
        }
        if (row.leftAt() != null && row.leftAt().isBefore(row.joinedAt())) {
            errors.add(FieldError.of(
                    "leftAt",
                    "is " + row.leftAt() + ", before joinedAt " + row.joinedAt() + "; a contact leaves after"
                            + " joining"));
        }
        return errors;
    }

    private List<FieldError> externalIdClash(UUID id, String source, String externalId) {
        if (externalId == null) {
            return List.of();
        }
        UUID owner = contacts.idsByExternalId(source, List.of(externalId)).get(externalId);
        return owner == null || owner.equals(id)
                ? List.of()
                : List.of(FieldError.of(
                        "externalId",
                        "'" + externalId + "' in source '" + source + "' already belongs to contact " + owner));
    }
}
