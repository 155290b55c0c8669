package dev.steward.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The outcome of a bulk upsert: totals and one result per record, in request order. Answered with 200 when every
 * record was stored and 207 (Multi-Status) when some were rejected, so a client that only looks at the status code
 * still notices.
 */
public record BulkResult(
        boolean atomic,
        int received,
        int created,
        int updated,
        int unchanged,
        int rejected,
        List<RecordResult> results) {

    /** What happened to one record. */
    public enum Status {
        created,
        updated,
        unchanged,
        rejected
    }

    /** The result for the record at {@code index} of the request. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record RecordResult(int index, String externalId, Status status, UUID id, List<FieldError> errors) {

        public static RecordResult stored(int index, String externalId, Status status, UUID id) {
            return new RecordResult(index, externalId, status, id, List.of());
        }

        public static RecordResult rejected(int index, String externalId, List<FieldError> errors) {
            return new RecordResult(
                    index,
                    externalId,
                    Status.rejected,
                    null,
                    errors.stream().map(e -> e.forRecord(index, externalId)).toList());
        }
    }

    static BulkResult of(boolean atomic, int received, List<RecordResult> results) {
        int created = 0, updated = 0, unchanged = 0, rejected = 0;
        for (RecordResult result : results) {
            switch (result.status()) {
                case created -> created++;
                case updated -> updated++;
                case unchanged -> unchanged++;
                case rejected -> rejected++;
            }
        }
        return new BulkResult(atomic, received, created, updated, unchanged, rejected, results);
    }

    public List<FieldError> errors() {
        return results.stream().flatMap(r -> r.errors().stream()).toList();
    }

    public ResponseEntity<BulkResult> toResponse() {
        return ResponseEntity.status(rejected == 0 ? HttpStatus.OK : HttpStatus.MULTI_STATUS)
                .body(this);
    }
}
