package dev.steward.core;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs a bulk upsert the same way for every entity: each record is parsed and validated on its own (one bad record
 * never spoils its neighbours), records that repeat an external id in the batch are refused, and the valid ones are
 * written in one transaction. With {@code atomic} any refusal means nothing is written.
 *
 * <p>Writers that run at the same time (two instances, two copies of one import) may both find an external id
 * unknown and both set out to create its record. The unique key on (source, external id) lets only one of them
 * store it: a writer inserts with {@code ON CONFLICT DO NOTHING} and, when the database skipped a record it meant to
 * create, throws {@link WrittenMeanwhile}. The write is then undone to a savepoint and done again, and now finds the
 * record the other writer stored and updates it. A deadlock between writers that meet in opposite orders is handled
 * the same way.
 */
@Component
public class BulkUpserts {

    private static final Logger log = LoggerFactory.getLogger(BulkUpserts.class);

    /** Most records one request may carry. */
    public static final int MAX_RECORDS = 10_000;

    /**
     * How many times a write is done in all when other writers keep storing the same external ids first; each time
     * the write finds the records they stored, so a second attempt is almost always the last.
     */
    static final int MAX_ATTEMPTS = 5;

    private final ObjectMapper json;
    private final Validator validator;
    private final TransactionTemplate transactions;

    private final ObjectProvider<BookScope> books;

    BulkUpserts(
            ObjectMapper json,
            Validator validator,
            PlatformTransactionManager transactionManager,
            ObjectProvider<BookScope> books) {
        this.books = books;
        this.json = json;
        this.validator = validator;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * A record that passed parsing and validation, with its position in the request and the names of the fields it
     * carried, so that a writer can leave fields the client did not send as they are.
     */
    public record Candidate<T>(int index, String externalId, T record, Set<String> present) {

        public boolean has(String field) {
            return present.contains(field);
        }
    }

    /** Writes valid records and says what became of each; may still refuse some (e.g. a reference to nothing). */
    @FunctionalInterface
    public interface Writer<T> {
        List<BulkResult.RecordResult> write(List<Candidate<T>> candidates);
    }

    /** A rule beyond bean validation, checked on one record before anything is written. */
    @FunctionalInterface
    public interface Check<T> {
        List<FieldError> check(T record);
    }

    /**
     * Bulk upsert of a JSON body: {@code {"records": [...]}} or a bare array. A bulk load crosses books: only someone
     * who may change every account may send one (see {@link BookScope}).
     */
    public <T> BulkResult upsert(
            JsonNode body,
            boolean atomic,
            Class<T> type,
            Function<T, String> externalIdOf,
            Check<T> check,
            Writer<T> writer) {
        books.ifAvailable(scope -> scope.requireEveryBook("A bulk load"));
        JsonNode records = body == null ? null : body.isArray() ? body : body.get("records");
        if (records == null || !records.isArray()) {
            throw new InvalidInputException("records", "send a JSON object with a 'records' array");
        }
        checkSize(records.size());
        List<Parsed<T>> parsed = new ArrayList<>(records.size());
        for (int index = 0; index < records.size(); index++) {
            JsonNode node = records.get(index);
            try {
                parsed.add(new Parsed<>(json.treeToValue(node, type), Set.copyOf(node.propertyNames()), null, null));
            } catch (JacksonException e) {
                parsed.add(new Parsed<>(null, Set.of(), textOf(node.get("externalId")), JsonErrors.describe(e)));
            }
        }
        return run(parsed, atomic, externalIdOf, check, writer);
    }

    /** Bulk upsert of records already in memory (the demo loader, importers); every field counts as present. */
    public <T> BulkResult upsert(
            List<T> records,
            Set<String> fields,
            boolean atomic,
            Function<T, String> externalIdOf,
            Check<T> check,
            Writer<T> writer) {
        checkSize(records.size());
        List<Parsed<T>> parsed =
                records.stream().map(r -> new Parsed<>(r, fields, null, null)).toList();
        return run(parsed, atomic, externalIdOf, check, writer);
    }

    private record Parsed<T>(T record, Set<String> present, String externalId, FieldError error) {}

    private static void checkSize(int size) {
        if (size > MAX_RECORDS) {
            throw new InvalidInputException("records", "at most " + MAX_RECORDS + " records per request, got " + size);
        }
    }

    private <T> BulkResult run(
            List<Parsed<T>> parsed,
            boolean atomic,
            Function<T, String> externalIdOf,
            Check<T> check,
            Writer<T> writer) {
        List<BulkResult.RecordResult> refused = new ArrayList<>();
        List<Candidate<T>> candidates = new ArrayList<>();
        Map<String, Integer> firstIndexOfKey = new HashMap<>();
        for (int index = 0; index < parsed.size(); index++) {
            Parsed<T> item = parsed.get(index);
            if (item.error() != null) {
                refused.add(BulkResult.RecordResult.rejected(index, item.externalId(), List.of(item.error())));
                continue;
            }
            T record = item.record();
            List<FieldError> errors = new ArrayList<>();
            for (ConstraintViolation<T> violation : validator.validate(record)) {
                errors.add(FieldError.of(violation.getPropertyPath().toString(), violation.getMessage()));
            }
            errors.addAll(InputText.problems(record));
            errors.addAll(check.check(record));
            String key = externalIdOf.apply(record);
            if (key != null) {
                Integer first = firstIndexOfKey.putIfAbsent(key, index);
                if (first != null) {
                    errors.add(FieldError.of(
                            "externalId",
                            "'" + key + "' appears more than once in this batch (first at index " + first + ")"));
                }
            }
            if (errors.isEmpty()) {
                candidates.add(new Candidate<>(index, key, record, item.present()));
            } else {
                errors.sort(Comparator.comparing(e -> Objects.toString(e.field(), "")));
                refused.add(BulkResult.RecordResult.rejected(index, key, errors));
            }
        }
        int received = parsed.size();
        if (atomic && !refused.isEmpty()) {
            throw new AtomicBulkRefused(BulkResult.of(true, received, refused));
        }
        List<BulkResult.RecordResult> results = transactions.execute(status -> {
            List<BulkResult.RecordResult> written =
                    candidates.isEmpty() ? List.of() : write(status, writer, candidates);
            if (atomic && written.stream().anyMatch(r -> r.status() == BulkResult.Status.rejected)) {
                status.setRollbackOnly();
            }
            return written;
        });
        List<BulkResult.RecordResult> all = new ArrayList<>(refused);
        all.addAll(results);
        all.sort(Comparator.comparingInt(BulkResult.RecordResult::index));
        BulkResult result = BulkResult.of(atomic, received, all);
        if (atomic && result.rejected() > 0) {
            throw new AtomicBulkRefused(result);
        }
        return result;
    }

    /** Writes the candidates, again from a savepoint when another writer stored one of their external ids first. */
    private static <T> List<BulkResult.RecordResult> write(
            TransactionStatus status, Writer<T> writer, List<Candidate<T>> candidates) {
        for (int attempt = 1; ; attempt++) {
            Object savepoint = status.createSavepoint();
            try {
                List<BulkResult.RecordResult> written = writer.write(candidates);
                status.releaseSavepoint(savepoint);
                return written;
            } catch (WrittenMeanwhile | PessimisticLockingFailureException e) {
                status.rollbackToSavepoint(savepoint);
                log.debug("Bulk write of {} records done again (attempt {}): {}", candidates.size(), attempt + 1, e);
                if (attempt == MAX_ATTEMPTS) {
                    throw ConflictException.of("other requests kept writing the same records while this one was"
                            + " stored (" + MAX_ATTEMPTS + " attempts); nothing of it was written, send it again");
                }
            }
        }
    }

    /**
     * Thrown by a writer when the database did not store a record it meant to create, because another writer stored
     * one with the same key since the writer looked: the write is undone and done again.
     */
    public static class WrittenMeanwhile extends RuntimeException {

        public WrittenMeanwhile(String what) {
            super(what + " was stored by another writer meanwhile");
        }
    }

    private static String textOf(JsonNode node) {
        return node != null && node.isString() ? node.asString() : null;
    }

    /** An atomic bulk request in which some record was refused, so nothing was written. */
    public static class AtomicBulkRefused extends InvalidInputException {
        private final BulkResult result;

        AtomicBulkRefused(BulkResult result) {
            super(result.errors());
            this.result = result;
        }

        public BulkResult result() {
            return result;
        }
    }
}
