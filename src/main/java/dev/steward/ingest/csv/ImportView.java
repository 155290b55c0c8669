package dev.steward.ingest.csv;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.steward.core.FieldError;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An uploaded file as the mapping step shows it: how it is written, its columns, the mapping (saved for the source,
 * suggested from the header, or edited), what is wrong with the mapping, the fields it can fill, the first rows each
 * checked as the import would, and the report once imported.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ImportView(
        UUID id,
        String source,
        String entity,
        String file,
        String encoding,
        String separator,
        String lineEnding,
        List<String> headers,
        CsvMapping mapping,
        String mappingOrigin,
        List<FieldError> mappingProblems,
        List<FieldView> fields,
        List<PreviewRow> preview,
        long previewRejected,
        long previewSkipped,
        LaterRows later,
        ImportReport report,
        Instant expiresAt) {

    /**
     * What reading on past the preview found: rows the import will reject (the first of them, and how many in all),
     * and how many rows were read (the whole file, or the first {@code checked} of a very large one); fileError when
     * the file cannot be read to its end, so that the import would write nothing.
     */
    record LaterRows(
            List<PreviewRow> rejected, long rejectedCount, long checked, boolean wholeFile, String fileError) {}

    /** A field the file's columns can fill. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record FieldView(String name, String label, String kind, boolean required, List<String> allowed) {

        static FieldView of(CsvField field) {
            return new FieldView(field.name(), field.label(), field.hint(), field.required(), field.allowed());
        }
    }

    /**
     * One row of the preview: its cells, whether the mapping's condition skips it, the values read from it and, if
     * any, why it would be rejected.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record PreviewRow(
            long line,
            String where,
            List<String> cells,
            boolean skipped,
            Map<String, Object> values,
            List<ImportReport.RowError> errors) {

        public boolean good() {
            return errors.isEmpty();
        }

        /** Whether the cell in this column is one the row was rejected for, to highlight it. */
        public boolean faulty(String column) {
            return errors.stream().anyMatch(e -> column.equals(e.column()));
        }
    }
}
