package dev.steward.lifecycle;

import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * One entry of a segment's history: which version, whether it is a draft, published or superseded, who saved it.
 * Serializable because the Segments page carries it across a redirect in the session.
 */
public record SegmentVersion(
        String name,
        int version,
        Status status,
        boolean valid,
        UUID authorId,
        String author,
        Instant createdAt,
        Instant publishedAt)
        implements Serializable {

    /** Where a version is in its life: saved, deciding membership, or replaced by a later publication. */
    public enum Status {
        DRAFT,
        PUBLISHED,
        SUPERSEDED;

        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
