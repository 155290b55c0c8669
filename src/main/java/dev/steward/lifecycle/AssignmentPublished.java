package dev.steward.lifecycle;

/** A version of the assignment rules was published: every account's owner is decided again. */
public record AssignmentPublished(int version) {}
