package dev.steward.health;

import dev.steward.customer.AccountId;

/**
 * An override was set on an account's health ({@code endedBy} null) or ended, by someone or by its expiry; the account's
 * timeline records both.
 */
public record HealthOverridden(AccountId account, HealthOverride override, String endedBy) {}
