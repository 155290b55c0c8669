package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.UUID;

/** A free-text note about an account. */
public record Note(
        UUID id,
        AccountId accountId,
        String source,
        String externalId,
        UUID authorId,
        Instant writtenAt,
        String body) {}
