package dev.steward.customer;

/**
 * A stage of the customer journey, which the lifecycle module decides for every account by its rules: the key kept in
 * facts, filters and the API, and the name people read.
 */
public record JourneyStage(String key, String name) {}
