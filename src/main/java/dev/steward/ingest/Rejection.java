package dev.steward.ingest;

/**
 * One record a source sent that was refused: which record (batch index, row number, event id), the field and why,
 * with an excerpt of what was sent.
 */
public record Rejection(String record, String field, String reason, String excerpt) {

    /** Excerpts are kept short: enough to recognise the record, not a copy of the payload. */
    static final int EXCERPT_LENGTH = 500;

    public Rejection {
        if (excerpt != null && excerpt.length() > EXCERPT_LENGTH) {
            excerpt = excerpt.substring(0, EXCERPT_LENGTH) + "…";
        }
    }
}
