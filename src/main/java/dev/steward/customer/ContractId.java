package dev.steward.customer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;

/** Identifies a contract. */
public record ContractId(@JsonValue UUID value) {

    public ContractId {
        if (value == null) {
            throw new IllegalArgumentException("a contract id needs a value");
        }
    }

    @JsonCreator
    public static ContractId of(UUID value) {
        return new ContractId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
