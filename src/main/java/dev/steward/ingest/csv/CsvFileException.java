package dev.steward.ingest.csv;

/** A file that cannot be read as CSV at all (empty, or a quote never closed), so no row of it is imported. */
class CsvFileException extends RuntimeException {

    CsvFileException(String message) {
        super(message);
    }
}
