package dev.steward.health;

/** A scorecard version became the one that scores accounts; whoever keeps scores re-scores on it. */
public record ScorecardPublished(String name, int version) {}
