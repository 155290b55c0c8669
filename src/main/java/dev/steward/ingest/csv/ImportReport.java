package dev.steward.ingest.csv;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.steward.core.StorableText;
import java.util.List;

/**
 * What an import did: rows read, accepted, rejected and skipped (left out by the mapping's condition: never checked,
 * never rejected), for a wide file the values its cells gave, what became of the accepted ones, and for each rejected
 * row the file line, column, value and reason. {@code written} says whether anything was stored: an all-or-nothing
 * import with a rejected row stores nothing, and so does a file that cannot be read to its end.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ImportReport(
        String source,
        String entity,
        String file,
        String encoding,
        String separator,
        boolean atomic,
        long rows,
        long accepted,
        long rejected,
        Long skipped,
        Long values,
        Long created,
        Long updated,
        long changed,
        long unchanged,
        List<String> metricsAdded,
        boolean written,
        String summary,
        List<RowError> errors,
        long errorsNotListed,
        String fileError,
        double seconds) {

    /** Most rejected rows listed in a report; the rejected-rows CSV has them all. */
    static final int LISTED_ERRORS = 1_000;

    /**
     * Why a row was rejected: where in the file, which column and field, what it held. Text the database cannot store
     * (a NUL) is written out as an escape, so that the report itself can be kept.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RowError(long line, String where, String column, String field, String value, String reason) {

        RowError {
            column = StorableText.visible(column);
            value = StorableText.visible(value);
            reason = StorableText.visible(reason);
        }

        @Override
        public String toString() {
            return where + (column == null ? "" : ", column '" + column + "'")
                    + (field == null || field.equals(column) ? "" : " (" + field + ")")
                    + (value == null || value.isEmpty() ? "" : ", value '" + value + "'") + ": " + reason;
        }
    }
}
