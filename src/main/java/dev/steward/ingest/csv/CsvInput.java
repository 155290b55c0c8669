package dev.steward.ingest.csv;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A CSV file that can be read more than once, from start to end: an upload kept in the database or a file on disk. */
interface CsvInput {

    String name();

    InputStream open() throws IOException;

    /**
     * Whether an import keeps every rejected row for the rejected-rows CSV: a file's are bounded by its size; a
     * table's (a query's answer) may be millions, and its report lists the first ones only.
     */
    default boolean keepsRejectedRows() {
        return true;
    }

    /** A reader of its rows from the first; a table that is not a file reads its rows itself. */
    default CsvReader reader() throws IOException {
        return CsvReader.open(this);
    }

    static CsvInput of(String name, byte[] content) {
        return new CsvInput() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(content);
            }
        };
    }

    static CsvInput of(Path file) {
        return new CsvInput() {
            @Override
            public String name() {
                return file.getFileName().toString();
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }
}
