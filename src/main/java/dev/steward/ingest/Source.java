package dev.steward.ingest;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A connected source of data: its name is what records written from it carry in their {@code source} column. */
public record Source(
        UUID id, String name, Kind kind, JsonNode settings, Integer expectedIntervalHours, Instant createdAt) {

    /** How data arrives from a source. */
    public enum Kind {
        segment,
        csv,
        stripe,
        warehouse,
        zendesk,
        intercom,
        freshdesk,
        pendo,
        api
    }
}
