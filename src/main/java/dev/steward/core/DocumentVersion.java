package dev.steward.core;

import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * One entry of a versioned document's history (a scorecard, a segment): which version, whether it is a draft,
 * published or superseded, who saved it and when, and what it was made from when something other than a person's
 * edit made it ({@code origin}, such as a backtest's suggestion; {@code null} otherwise). Serializable because pages
 * carry it across a redirect in the session, which lives in the database.
 */
public record DocumentVersion(
        String name,
        int version,
        Status status,
        boolean valid,
        UUID authorId,
        String author,
        Instant createdAt,
        Instant publishedAt,

        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Origin origin)
        implements Serializable {

    /** A version a person saved. */
    public DocumentVersion(
            String name,
            int version,
            Status status,
            boolean valid,
            UUID authorId,
            String author,
            Instant createdAt,
            Instant publishedAt) {
        this(name, version, status, valid, authorId, author, createdAt, publishedAt, null);
    }

    /**
     * What made a version: its {@code kind} ("backtest"), the id and name of what made it, and the page that shows it.
     */
    public record Origin(String kind, UUID id, String label, String link) implements Serializable {}

    /** Where a version is in its life: saved, in force, or replaced by a later publication. */
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
