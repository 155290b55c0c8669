package dev.steward.customer;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a contract still runs; an ended or cancelled contract no longer counts towards today's ARR. */
public enum ContractStatus {
    @JsonProperty("active")
    ACTIVE,
    @JsonProperty("ended")
    ENDED,
    @JsonProperty("cancelled")
    CANCELLED
}
