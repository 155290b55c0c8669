package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.UUID;

/** How a CSM feels about an account, from 1 (very negative) to 5 (very positive), and why. */
public record Sentiment(
        UUID id,
        AccountId accountId,
        String source,
        String externalId,
        UUID authorId,
        Instant recordedAt,
        int score,
        String reason) {

    static final int LOWEST = 1;
    static final int HIGHEST = 5;
}
