package dev.steward.ingest.csv;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One column of a wide file: each of its non-empty cells is a value of its own, stored under {@code key} (a usage
 * metric, or an account attribute's name), read like the entity's value field; {@code values} replaces listed cells
 * first ({@code ""} an empty cell, {@code *} any other), and {@code multiply} scales the number. Written simply as
 * the key when that is all.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WideColumn(String key, BigDecimal multiply, Map<String, String> values) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    WideColumn {
        values = values == null || values.isEmpty() ? null : Map.copyOf(values);
    }

    /** The short form: just the key. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static WideColumn of(String key) {
        return new WideColumn(key, null, null);
    }

    boolean plainKey() {
        return multiply == null && values == null;
    }

    @JsonValue
    Object written() {
        if (plainKey()) {
            return key;
        }
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("key", key);
        if (multiply != null) {
            parts.put("multiply", multiply);
        }
        if (values != null) {
            parts.put("values", new TreeMap<>(values));
        }
        return parts;
    }

    WideColumn withKey(String newKey) {
        return new WideColumn(newKey, multiply, values);
    }
}
