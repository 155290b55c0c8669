package dev.steward.customer;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The part a contact plays in the relationship with us. */
public enum ContactRole {
    @JsonProperty("champion")
    CHAMPION,
    @JsonProperty("executive_sponsor")
    EXECUTIVE_SPONSOR,
    @JsonProperty("admin")
    ADMIN,
    @JsonProperty("end_user")
    END_USER,
    @JsonProperty("other")
    OTHER
}
