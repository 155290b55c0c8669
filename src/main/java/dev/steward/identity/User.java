package dev.steward.identity;

import java.util.UUID;

/** A person who signs in to Steward, as other modules see them (never with credentials). */
public record User(UUID id, String email, String displayName, Role role, boolean enabled) {}
