package dev.steward.customer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The account's recorded stage: the older stage field as typed or imported (a CRM's stage), decided by no rule. The
 * stage the customer journey's rules decide is {@link JourneyStage}, which lists show first.
 */
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
