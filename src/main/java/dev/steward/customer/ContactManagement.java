package dev.steward.customer;

import dev.steward.core.BulkResult;
import dev.steward.core.BulkUpserts;
import dev.steward.core.BulkUpserts.Candidate;
import dev.steward.core.FieldError;
import dev.steward.core.Page;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** Creates, changes, finds and bulk-upserts the contacts of customer accounts; the customer module's API for them. */
@Service
public class ContactManagement {

    private final Contacts contacts;
    private final AccountRecords<ContactInput, Contacts.Row, Contact> records;
    private final Clock clock;

    ContactManagement(
            Contacts contacts,
            AccountManagement accounts,
            BulkUpserts bulk,
            Clock clock,
            ApplicationEventPublisher events) {
        this.contacts = contacts;
        this.clock = clock;
        this.records = new AccountRecords<>(
                new AccountRecords.Kind<>(
                        AccountRecordsChanged.CONTACT,
                        ContactInput.class,
                        ContactInput::accountId,
                        ContactInput::accountExternalId,
                        ContactInput::externalId,
                        c -> c.id().value(),
                        c -> c.accountId().value(),
                        Contact::source,
                        Contact::externalId,
                        new ContactRows()),
                contacts,
                accounts,
                bulk,
                events);
    }

    public Optional<Contact> find(ContactId id) {
        return records.find(id.value());
    }

    public Contact get(ContactId id) {
        return records.get(id.value());
    }

    public Page<Contact> list(ContactQuery query) {
        return contacts.list(query);
    }

    /** The contacts of these accounts in the role whose day of leaving is {@code since} or later, in one read. */
    public List<Contact> leftSince(Collection<UUID> accounts, ContactRole role, LocalDate since) {
        return accounts.isEmpty() ? List.of() : contacts.leftSince(accounts, role, since);
    }

    /**
     * The contacts one can email in these roles: with an address, not left by {@code day}; of these accounts, or of
     * every account when {@code accounts} is null. In one read.
     */
    public List<Contact> reachable(
            @org.jspecify.annotations.Nullable Collection<UUID> accounts,
            Collection<ContactRole> roles,
            LocalDate day) {
        if (roles.isEmpty() || (accounts != null && accounts.isEmpty())) {
            return List.of();
        }
        return contacts.reachable(accounts, roles, day);
    }

    @Transactional
    public Contact create(ContactInput input) {
        return records.create(input);
    }

    /** Replaces a contact's fields, provided nobody changed it since the client read {@code expectedVersion}. */
    @Transactional
    public Contact replace(ContactId id, long expectedVersion, ContactInput input) {
        return records.replace(id.value(), expectedVersion, input);
    }

    @Transactional
    public void delete(ContactId id, long expectedVersion) {
        records.delete(id.value(), expectedVersion);
    }

    /**
     * Deletes the contacts these external ids in {@code source} name (a source that deleted them); ids Steward
     * does not have are passed over. Answers how many were deleted.
     */
    @Transactional
    public int deleteAll(String source, Collection<String> externalIds) {
        return records.deleteAll(source, externalIds);
    }

    /**
     * Creates or updates contacts by their external id in {@code source}. Fields a record leaves out keep their
     * stored value; sending the same batch twice changes nothing the second time.
     */
    public BulkResult upsert(String source, JsonNode body, boolean atomic) {
        return records.upsert(body, atomic, candidates -> records.writeBulk(source, candidates));
    }

    /** Bulk upsert of records built in code (demo data, importers); every field of each record is written. */
    public BulkResult upsert(String source, List<ContactInput> inputs, boolean atomic) {
        return records.upsert(inputs, atomic, candidates -> records.writeBulk(source, candidates));
    }

    /** A contact's own fields and rules. */
    private final class ContactRows implements AccountRecords.Rows<ContactInput, Contacts.Row, Contact> {

        @Override
        public Contacts.Row merge(
                UUID id, UUID account, ContactInput in, Candidate<ContactInput> c, Contact stored, String source) {
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
                    c.externalId(),
                    c.has("timeZone") ? blankToNull(in.timeZone()) : stored.timeZone());
        }

        /** The role and join day a record leaves out are kept from {@code stored} or defaulted. */
        @Override
        public Contacts.Row row(
                UUID id, UUID account, ContactInput in, String source, String externalId, Contact stored) {
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
                    externalId,
                    blankToNull(in.timeZone()));
        }

        @Override
        public List<FieldError> problems(Contacts.Row row) {
            List<FieldError> errors = new ArrayList<>();
            if (row.name() == null || row.name().isBlank()) {
                errors.add(FieldError.of("name", "must not be blank"));
            }
            if (row.timeZone() != null && !isZone(row.timeZone())) {
                errors.add(FieldError.of(
                        "timeZone",
                        "'" + row.timeZone() + "' is not a time zone; give an IANA name such as Europe/Berlin"));
            }
            if (row.leftAt() != null && row.leftAt().isBefore(row.joinedAt())) {
                errors.add(FieldError.of(
                        "leftAt",
                        "is " + row.leftAt() + ", before joinedAt " + row.joinedAt() + "; a contact leaves after"
                                + " joining"));
            }
            return errors;
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static boolean isZone(String zone) {
        try {
            java.time.ZoneId.of(zone);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }
}
