package dev.steward.identity;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An API key as its owner sees it: never the secret, only its first characters to recognise it by. {@code scope} is
 * the shorthand its areas amount to ({@code read}, {@code read_write}), null when they differ by area.
 */
public record ApiKey(
        UUID id,
        String name,
        @Nullable ApiKeyScope scope,
        Map<ApiArea, ApiAccess> areas,
        String prefix,
        Instant createdAt,
        @Nullable Instant expiresAt,
        @Nullable Instant lastUsedAt,
        @Nullable Instant revokedAt,
        @Nullable UUID replacedBy) {

    public boolean revoked() {
        return revokedAt != null;
    }

    /** What the key may do, as people read it: "all areas: read", or "accounts: write, usage: read". */
    public String areasText() {
        if (scope != null) {
            return scope == ApiKeyScope.READ ? "all areas: read" : "all areas: read and write";
        }
        return areas.entrySet().stream()
                .map(e -> e.getKey().value() + ": " + e.getValue().value())
                .collect(Collectors.joining(", "));
    }

    /** Whether the key has stopped working by this time (revoked, or past its expiry). */
    public boolean endedBy(Instant now) {
        return revoked() || (expiresAt != null && !expiresAt.isAfter(now));
    }
}
