package dev.steward.ingest.sync;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * How the fields of a vendor's JSON record read as Steward takes them (Zendesk, Intercom, Freshdesk…): a text that is
 * there or not, a whole-number id, an ISO 8601 time; a value that is not what it should be refuses the record, naming
 * the field ({@link RecordRefused}).
 */
public final class VendorFields {

    private VendorFields() {}

    /** A text field, stripped; null when absent, not a text or blank. */
    public static @Nullable String text(JsonNode record, String field) {
        JsonNode value = record.path(field);
        return value.isString() && !value.asString().isBlank()
                ? value.asString().strip()
                : null;
    }

    /** An id that is a positive whole number ({@code vendor} names whose, in the refusal). */
    public static long wholeId(JsonNode record, String field, String vendor) {
        JsonNode id = record.path(field);
        if (id.isMissingNode() || id.isNull()) {
            throw new RecordRefused(field, null, "is missing");
        }
        if (!id.isIntegralNumber() || id.asLong() <= 0) {
            throw new RecordRefused(field, id.toString(), "is not a " + vendor + " id (a positive whole number)");
        }
        return id.asLong();
    }

    /** A time in ISO 8601 with its offset ({@code 2026-03-01T10:00:00Z}); null when absent. */
    public static @Nullable Instant isoTime(JsonNode record, String field) {
        JsonNode value = record.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asString());
        } catch (DateTimeParseException e) {
            throw new RecordRefused(field, value.asString(), "is not a time (ISO 8601, e.g. 2026-03-01T10:00:00Z)");
        }
    }

    /** The day (UTC) of a time. */
    public static LocalDate day(Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** A text cut to {@code length} characters, an ellipsis saying it was. */
    public static String clip(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    /** A text stripped, or null when blank. */
    public static @Nullable String blankToNull(String value) {
        return value.isBlank() ? null : value.strip();
    }

    /** A domain as accounts are matched by it: lower case, without scheme, {@code www.} or path; null when none. */
    public static @Nullable String domain(@Nullable String given) {
        if (given == null) {
            return null;
        }
        String domain = given.strip()
                .toLowerCase(Locale.ROOT)
                .replaceFirst("^[a-z]+://", "")
                .replaceFirst("^www\\.", "")
                .replaceFirst("[/?#:].*$", "");
        return domain.isBlank() ? null : domain;
    }
}
