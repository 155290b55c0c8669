package dev.steward.ingest.csv;

import java.nio.file.Path;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * The CSV import as a user's file takes it (the mapping suggested from the header), for the benchmarks of other ways
 * in that measure themselves against it.
 */
@Component
public class CsvBaseline {

    private final CsvImports imports;

    CsvBaseline(CsvImports imports) {
        this.imports = imports;
    }

    /**
     * Imports a file of {@code entity} records ({@code accounts}, {@code contacts}, {@code opportunities}…) into the
     * source; answers the records taken, or fails saying why when the import refused any.
     */
    public long importFile(String source, String entity, Path file) {
        CsvImporter.Outcome outcome = imports.importFile(
                source, CsvEntity.valueOf(entity.toLowerCase(Locale.ROOT)), CsvInput.of(file), null, false);
        ImportReport report = outcome.report();
        if (report.rejected() > 0 || !report.written()) {
            throw new IllegalStateException("The CSV import of " + file.getFileName() + " did not take every record: "
                    + report.summary() + " " + report.errors().stream().limit(5).toList());
        }
        return report.accepted();
    }
}
