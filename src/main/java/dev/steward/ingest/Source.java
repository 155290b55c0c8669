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
        /** Companies, contacts and deals pulled from HubSpot's CRM. */
        hubspot,
        /** Accounts, contacts and opportunities pulled from a Salesforce org. */
        salesforce,
        pendo,
        api,
        /** Events pulled from Amplitude's Export API (and sent to its endpoints), stored as Segment's are. */
        amplitude,
        /** Events pulled from Mixpanel's raw export (and sent to its endpoints), stored as Segment's are. */
        mixpanel;

        /**
         * Whether the source's data are tracked events, stored and mapped to metrics as Segment's are (its settings
         * are a Segment source's: the mapping, the group key, what group calls may change).
         */
        public boolean tracksEvents() {
            return this == segment || this == amplitude || this == mixpanel;
        }
    }
}
