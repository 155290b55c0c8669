package dev.steward.lifecycle;

/** A segment version was published: every account's membership is evaluated again. */
public record SegmentPublished(String name, int version) {}
