package dev.steward.ingest;

import dev.steward.core.StorableText;

/**
 * One record a source sent that was refused: which record (batch index, row number, event id), the field and why,
 * with an excerpt of what was sent. Text the database cannot store (NUL, unpaired surrogates) is kept written out as
 * escapes, so that refusing such input can always be recorded.
 */
public record Rejection(String record, String field, String reason, String excerpt) {

    /** Excerpts are kept short: enough to recognise the record, not a copy of the payload. */
    static final int EXCERPT_LENGTH = 500;

    public Rejection {
        record = StorableText.visible(record);
        field = StorableText.visible(field);
        reason = StorableText.visible(reason);
        excerpt = StorableText.visible(excerpt);
        if (excerpt != null && excerpt.length() > EXCERPT_LENGTH) {
            // Never between the two halves of a surrogate pair.
            int end =
                    Character.isHighSurrogate(excerpt.charAt(EXCERPT_LENGTH - 1)) ? EXCERPT_LENGTH - 1 : EXCERPT_LENGTH;
            excerpt = excerpt.substring(0, end) + "…";
        }
    }
}
