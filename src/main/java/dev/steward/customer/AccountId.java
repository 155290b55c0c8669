package dev.steward.customer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;

/** Identifies a customer account. */
public record AccountId(@JsonValue UUID value) {

    public AccountId {
        if (value == null) {
            throw new IllegalArgumentException("an account id needs a value");
        }
    }

    @JsonCreator
    public static AccountId of(UUID value) {
        return new AccountId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
