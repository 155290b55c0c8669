package dev.steward.customer;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where an account is in its life with us. */
public enum LifecycleStage {
    @JsonProperty("onboarding")
    ONBOARDING,
    @JsonProperty("adoption")
    ADOPTION,
    @JsonProperty("growth")
    GROWTH,
    @JsonProperty("renewal")
    RENEWAL,
    @JsonProperty("churned")
    CHURNED;

    public String label() {
        return name().charAt(0) + name().substring(1).toLowerCase();
    }
}
