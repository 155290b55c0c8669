package dev.steward.ingest.csv;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one field's value comes from: a column (written simply as the column's name), or a template of columns
 * such as {@code feature.{feature_name}}; with, where needed, a replacement for listed values ({@code values}, where
 * {@code ""} stands for an empty cell and {@code *} for any other), a factor for numbers ({@code multiply: 12} turns
 * a monthly amount into a yearly one), a {@code default} for empty cells (a value, or another field plus a period
 * such as {@code startDate + 12 months}), and for an account reference the records it goes {@code via}
 * ({@code contracts}: the column holds a contract's external id and the record belongs to that contract's account).
 * For files without an id column a text field such as {@code externalId} can be made: {@code hash} of chosen columns
 * (the same cells give the same id in every import) or {@code rowNumber} (the row's number in the file: 1 for the
 * first row below the header; the same only as long as the file does not change).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FieldSource(
        String column,
        String template,
        @JsonProperty("default") String fallback,
        BigDecimal multiply,
        Map<String, String> values,
        String via,
        List<String> hash,
        Boolean rowNumber) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    FieldSource {
        values = values == null || values.isEmpty() ? null : Map.copyOf(values);
        hash = hash == null ? null : List.copyOf(hash);
    }

    FieldSource(
            String column,
            String template,
            String fallback,
            BigDecimal multiply,
            Map<String, String> values,
            String via) {
        this(column, template, fallback, multiply, values, via, null, null);
    }

    /** The short form: just the column's name. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static FieldSource column(String column) {
        return new FieldSource(column, null, null, null, null, null);
    }

    static FieldSource constant(String value) {
        return new FieldSource(null, null, value, null, null, null);
    }

    FieldSource multipliedBy(BigDecimal factor) {
        return new FieldSource(column, template, fallback, factor, values, via, hash, rowNumber);
    }

    FieldSource withDefault(String given) {
        return new FieldSource(column, template, given, multiply, values, via, hash, rowNumber);
    }

    /** Whether the value is made from the row rather than read from a cell: a hash of columns or the row's number. */
    boolean generated() {
        return hash != null || Boolean.TRUE.equals(rowNumber);
    }

    /** The short form (the column's name) where that says it all, else the parts given. */
    @JsonValue
    Object written() {
        if (plainColumn()) {
            return column;
        }
        Map<String, Object> parts = new LinkedHashMap<>();
        putIfPresent(parts, "column", column);
        putIfPresent(parts, "template", template);
        putIfPresent(parts, "default", fallback);
        putIfPresent(parts, "multiply", multiply);
        putIfPresent(parts, "values", values == null ? null : new TreeMap<>(values));
        putIfPresent(parts, "via", via);
        putIfPresent(parts, "hash", hash);
        putIfPresent(parts, "rowNumber", rowNumber);
        return parts;
    }

    private static void putIfPresent(Map<String, Object> parts, String name, Object value) {
        if (value != null) {
            parts.put(name, value);
        }
    }

    /** Whether the value is only the column, so it can be written in the short form. */
    boolean plainColumn() {
        return column != null
                && template == null
                && fallback == null
                && multiply == null
                && values == null
                && via == null
                && hash == null
                && rowNumber == null;
    }
}
