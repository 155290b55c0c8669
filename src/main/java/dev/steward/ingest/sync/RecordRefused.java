package dev.steward.ingest.sync;

import org.jspecify.annotations.Nullable;

/** A value in a vendor's record that Steward cannot take as it is: the record is refused, naming the field. */
public final class RecordRefused extends RuntimeException {
    private final String field;
    private final @Nullable String value;

    public RecordRefused(String field, @Nullable String value, String reason) {
        super(reason);
        this.field = field;
        this.value = value;
    }

    public String field() {
        return field;
    }

    public @Nullable String value() {
        return value;
    }
}
