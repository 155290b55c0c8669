package dev.steward.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One reason a record was refused: which record (its position in the request and, where known, its external id),
 * which field, and why. Serializable because pages carry refusals across a redirect in the session, which lives in the
 * database.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(Integer index, String externalId, String field, String reason)
        implements java.io.Serializable {

    public static FieldError of(String field, String reason) {
        return new FieldError(null, null, field, reason);
    }

    public FieldError forRecord(int index, String externalId) {
        return new FieldError(index, externalId, field, reason);
    }

    @Override
    public String toString() {
        String where =
                index == null ? "" : "record " + index + (externalId == null ? "" : " (" + externalId + ")") + ": ";
        return where + (field == null ? "" : field + ": ") + reason;
    }
}
