package dev.steward.identity;

import java.time.Instant;
import java.util.UUID;

/** An API key as its owner sees it: never the secret, only its first characters to recognise it by. */
public record ApiKey(
        UUID id,
        String name,
        ApiKeyScope scope,
        String prefix,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
