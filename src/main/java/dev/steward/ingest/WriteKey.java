package dev.steward.ingest;

import java.time.Instant;
import java.util.UUID;

/** A write key of a source as listed: never the key itself, only its first characters. */
record WriteKey(UUID id, String name, String prefix, Instant createdAt, Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }

    /** A key just created, with the key itself: the only time it is shown. */
    record Created(WriteKey key, String writeKey) {}
}
