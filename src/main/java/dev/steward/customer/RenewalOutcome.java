package dev.steward.customer;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What became of a contract when it came up for renewal. */
public enum RenewalOutcome {
    /** Renewed at the same ARR, within 1%. */
    @JsonProperty("renewed")
    RENEWED,
    /** Renewed at a higher ARR. */
    @JsonProperty("expanded")
    EXPANDED,
    /** Renewed at a lower ARR. */
    @JsonProperty("contracted")
    CONTRACTED,
    /** Cancelled, or ended without a successor. */
    @JsonProperty("churned")
    CHURNED,
    /** Still running and not yet renewed. */
    @JsonProperty("pending")
    PENDING
}
