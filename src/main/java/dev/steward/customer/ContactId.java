package dev.steward.customer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;

/** Identifies a contact. */
public record ContactId(@JsonValue UUID value) {

    public ContactId {
        if (value == null) {
            throw new IllegalArgumentException("a contact id needs a value");
        }
    }

    @JsonCreator
    public static ContactId of(UUID value) {
        return new ContactId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
