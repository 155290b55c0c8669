package dev.steward.notify;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where events for integrators go: an http(s) URL, the kinds it wants ({@code cta.escalated}, {@code cta.*} or
 * {@code *}), and the secret its deliveries are signed with (never shown again after creation; its last four
 * characters are, to tell secrets apart).
 */
record WebhookEndpoint(
        UUID id,
        String url,
        List<String> kinds,
        String description,
        boolean enabled,
        @JsonIgnore String secret,
        Instant createdAt,
        Instant updatedAt) {

    @JsonProperty
    public String secretHint() {
        return "…" + secret.substring(Math.max(0, secret.length() - 4));
    }

    /** Whether this endpoint wants events of this kind. */
    boolean wants(String kind) {
        for (String wanted : kinds) {
            if (wanted.equals("*")
                    || wanted.equals(kind)
                    || (wanted.endsWith(".*") && kind.startsWith(wanted.substring(0, wanted.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
