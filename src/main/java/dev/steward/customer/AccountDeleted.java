package dev.steward.customer;

/** An account was deleted; modules that keep facts about it without a foreign key remove them on hearing this. */
public record AccountDeleted(AccountId account) {}
