package dev.steward.customer;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an opportunity would bring: a new customer, the renewal of a contract, or more of what a customer has. */
public enum OpportunityType {
    @JsonProperty("new")
    NEW,
    @JsonProperty("renewal")
    RENEWAL,
    @JsonProperty("expansion")
    EXPANSION
}
