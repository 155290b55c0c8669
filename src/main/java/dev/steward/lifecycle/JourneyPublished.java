package dev.steward.lifecycle;

/** A version of the customer journey was published: every account's stage is decided again. */
public record JourneyPublished(int version) {}
