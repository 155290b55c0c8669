package dev.steward.customer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;

/** Identifies a opportunity. */
public record OpportunityId(@JsonValue UUID value) {

    public OpportunityId {
        if (value == null) {
            throw new IllegalArgumentException("a opportunity id needs a value");
        }
    }

    @JsonCreator
    public static OpportunityId of(UUID value) {
        return new OpportunityId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
