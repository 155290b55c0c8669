package dev.steward.ingest.quality;

import java.time.Duration;

/** The kinds of data an account can have, each with how old its latest fact may get before it counts as stale. */
public enum DataKind {
    crm("CRM", "contacts, contracts, opportunities", Duration.ofDays(180)),
    usage("Usage", "daily product usage", Duration.ofDays(3)),
    support("Support", "tickets", Duration.ofDays(30)),
    billing("Billing", "invoices, contracts", Duration.ofDays(120)),
    engagement("Engagement", "meetings, surveys, sentiment", Duration.ofDays(90));

    private final String label;
    private final String facts;
    private final Duration defaultStaleAfter;

    DataKind(String label, String facts, Duration defaultStaleAfter) {
        this.label = label;
        this.facts = facts;
        this.defaultStaleAfter = defaultStaleAfter;
    }

    public String label() {
        return label;
    }

    /** What facts count for this kind, for people reading the report. */
    public String facts() {
        return facts;
    }

    Duration defaultStaleAfter() {
        return defaultStaleAfter;
    }

    /** The snapshot's column; from the enum, never from input. */
    String column() {
        return name() + "_at";
    }
}
