package dev.steward.customer;

import dev.steward.core.BulkResult;
import dev.steward.core.BulkUpserts;
import dev.steward.core.BulkUpserts.Candidate;
import dev.steward.core.FieldError;
import dev.steward.core.Page;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** Creates, changes, finds and bulk-upserts sales opportunities; the customer module's API for them. */
@Service
public class OpportunityManagement {

    private final Opportunities opportunities;
    private final AccountRecords<OpportunityInput, Opportunities.Row, Opportunity> records;
    private final Clock clock;

    OpportunityManagement(
            Opportunities opportunities,
            AccountManagement accounts,
            BulkUpserts bulk,
            Clock clock,
            ApplicationEventPublisher events) {
        this.opportunities = opportunities;
        this.clock = clock;
        this.records = new AccountRecords<>(
                new AccountRecords.Kind<>(
                        "opportunity",
                        OpportunityInput.class,
                        OpportunityInput::accountId,
                        OpportunityInput::accountExternalId,
                        OpportunityInput::externalId,
                        o -> o.id().value(),
                        o -> o.accountId().value(),
                        Opportunity::source,
                        Opportunity::externalId,
                        new OpportunityRows()),
                opportunities,
                accounts,
                bulk,
                events);
    }

    public Optional<Opportunity> find(OpportunityId id) {
        return records.find(id.value());
    }

    public Opportunity get(OpportunityId id) {
        return records.get(id.value());
    }

    public Page<Opportunity> list(OpportunityQuery query) {
        return opportunities.list(query);
    }

    @Transactional
    public Opportunity create(OpportunityInput input) {
        return records.create(input);
    }

    /** Replaces an opportunity's fields, provided nobody changed it since the client read {@code expectedVersion}. */
    @Transactional
    public Opportunity replace(OpportunityId id, long expectedVersion, OpportunityInput input) {
        return records.replace(id.value(), expectedVersion, input);
    }

    @Transactional
    public void delete(OpportunityId id, long expectedVersion) {
        records.delete(id.value(), expectedVersion);
    }

    /**
     * Deletes the opportunities these external ids in {@code source} name (a source that deleted them); ids Steward
     * does not have are passed over. Answers how many were deleted.
     */
    @Transactional
    public int deleteAll(String source, Collection<String> externalIds) {
        return records.deleteAll(source, externalIds);
    }

    /**
     * Creates or updates opportunities by their external id in {@code source}. Fields a record leaves out keep
     * their stored value; sending the same batch twice changes nothing the second time.
     */
    public BulkResult upsert(String source, JsonNode body, boolean atomic) {
        return records.upsert(body, atomic, candidates -> records.writeBulk(source, candidates));
    }

    /** Bulk upsert of records built in code (demo data, importers); every field of each record is written. */
    public BulkResult upsert(String source, List<OpportunityInput> inputs, boolean atomic) {
        return records.upsert(inputs, atomic, candidates -> records.writeBulk(source, candidates));
    }

    /** PostgreSQL keeps microseconds; finer input would never compare equal to what was stored. */
    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** An opportunity's own fields and rules. */
    private final class OpportunityRows
            implements AccountRecords.Rows<OpportunityInput, Opportunities.Row, Opportunity> {

        @Override
        public Opportunities.Row merge(
                UUID id,
                UUID account,
                OpportunityInput in,
                Candidate<OpportunityInput> c,
                Opportunity stored,
                String source) {
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

        /** The opening time a record leaves out is kept from {@code stored} or is now. */
        @Override
        public Opportunities.Row row(
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

        @Override
        public List<FieldError> problems(Opportunities.Row row) {
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
    }
}
