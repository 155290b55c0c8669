package dev.steward.ingest.csv;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV file row by row, never holding more than one row: the header names the columns, each row carries the
 * file line it starts on (the header is line 1) and the line it ends on, which differ when a quoted value holds a
 * line break. Blank lines are skipped. Bytes the file's character set cannot decode (invalid UTF-8, such as an
 * encoded lone surrogate) are never quietly turned into another character for storing: a row marks the cells that held
 * them, which shows them as U+FFFD, so that the import refuses the row naming line and column.
 */
final class CsvReader implements AutoCloseable {

    /**
     * What the decoder puts for bytes it cannot decode: an unpaired surrogate, which no decoded text ever holds, so
     * that such cells are told apart from a U+FFFD the file really contains.
     */
    private static final char UNDECODABLE = '\uDFFF';

    /** What a cell shows for bytes that could not be decoded. */
    static final char REPLACEMENT = '\uFFFD';

    private static final Pattern UNCLOSED_QUOTE =
            Pattern.compile("\\(startline (\\d+)\\) EOF reached before encapsulated token finished");

    /** The layout a table's rows are described with: they were never text, so encoding and separator are moot. */
    static final CsvLayout TABLE = new CsvLayout(java.nio.charset.StandardCharsets.UTF_8, 0, ',', "\n");

    private final CsvLayout layout;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private final TableRows table;
    private long lastLine;
    private long rows;

    /**
     * The rows of a table that was never a file (a query's result): each a row of cells, text or null, in the
     * header's order; null at the end.
     */
    interface TableRows extends AutoCloseable {

        String[] next() throws Exception;
    }

    private CsvReader(List<String> header, TableRows table) {
        this.layout = TABLE;
        this.parser = null;
        this.records = null;
        this.table = table;
        this.header = columnNames(header.toArray(String[]::new));
        this.lastLine = 1;
    }

    /** A reader of a table's rows: row N is "row N", and counts as line N + 1 (the header being line 1). */
    static CsvReader ofTable(List<String> header, TableRows rows) {
        return new CsvReader(header, rows);
    }

    private CsvReader(CsvLayout layout, CSVParser parser) {
        this.layout = layout;
        this.parser = parser;
        this.table = null;
        this.records = parser.iterator();
        if (!records.hasNext()) {
            throw new CsvFileException("the file is empty; its first line must name the columns");
        }
        String[] headerCells = records.next().values();
        for (int i = 0; i < headerCells.length; i++) {
            if (headerCells[i].indexOf(UNDECODABLE) >= 0 || headerCells[i].indexOf('\0') >= 0) {
                throw new CsvFileException("the header's column " + (i + 1) + " holds "
                        + (headerCells[i].indexOf('\0') >= 0
                                ? "the NUL character (byte 0x00)"
                                : "bytes that are not valid " + layout.charset().name())
                        + "; column names must be plain text");
            }
        }
        this.header = columnNames(headerCells);
        this.lastLine = parser.getCurrentLineNumber();
    }

    static CsvReader open(CsvInput input) throws IOException {
        InputStream stream = new BufferedInputStream(input.open(), CsvLayout.SAMPLE * 2);
        try {
            stream.mark(CsvLayout.SAMPLE);
            byte[] head = stream.readNBytes(CsvLayout.SAMPLE);
            stream.reset();
            CsvLayout layout = CsvLayout.detect(head, head.length);
            stream.skipNBytes(layout.bomLength());
            Reader reader = new InputStreamReader(
                    stream,
                    layout.charset()
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE)
                            .replaceWith(String.valueOf(UNDECODABLE)));
            CSVFormat format = CSVFormat.RFC4180
                    .builder()
                    .setDelimiter(layout.separator())
                    .setIgnoreEmptyLines(false)
                    .setAllowMissingColumnNames(true)
                    .get();
            return new CsvReader(
                    layout,
                    CSVParser.builder().setReader(reader).setFormat(format).get());
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    CsvLayout layout() {
        return layout;
    }

    /** The column names, made unique ("amount", "amount (2)") and named "column N" where the header cell is blank. */
    List<String> header() {
        return header;
    }

    /**
     * One row of the file; {@code number} counts the rows (1 for the first below the header, blank lines not
     * counted), {@code firstLine} is the line the row starts on, the header being line 1. {@code undecodable} marks
     * the cells that held bytes the character set cannot decode (null when none did).
     */
    record Row(long number, long firstLine, long lastLine, String[] cells, BitSet undecodable, boolean ofTable) {

        Row(long number, long firstLine, long lastLine, String[] cells, BitSet undecodable) {
            this(number, firstLine, lastLine, cells, undecodable, false);
        }

        /**
         * "line 7" or, for a row with line breaks inside quotes, "line 7 (to line 8: a quoted value holds a line
         * break)"; "row 6" for a table's row.
         */
        String where() {
            if (ofTable) {
                return "row " + number;
            }
            return "line " + firstLine
                    + (lastLine > firstLine ? " (to line " + lastLine + ": a quoted value holds a line break)" : "");
        }
    }

    /** The next row that is not blank, or null at the end of the file. */
    Row next() {
        if (table != null) {
            return nextOfTable();
        }
        try {
            while (records.hasNext()) {
                CSVRecord record = records.next();
                long first = lastLine + 1;
                long last = parser.getCurrentLineNumber();
                lastLine = last;
                String[] cells = record.values();
                if (cells.length == 1 && cells[0].isBlank()) {
                    continue;
                }
                BitSet undecodable = null;
                for (int i = 0; i < cells.length; i++) {
                    if (cells[i].indexOf(UNDECODABLE) >= 0) {
                        undecodable = undecodable == null ? new BitSet() : undecodable;
                        undecodable.set(i);
                        cells[i] = cells[i].replace(UNDECODABLE, REPLACEMENT);
                    }
                }
                // The parser counts the line break ending a row only once it reads past it; at the end of a file
                // without a final line break the row ends on the line it started on.
                return new Row(++rows, first, Math.max(first, last), cells, undecodable);
            }
            return null;
        } catch (UncheckedIOException | IllegalStateException e) {
            String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            Matcher unclosed = UNCLOSED_QUOTE.matcher(cause == null ? "" : cause);
            if (unclosed.find()) {
                throw new CsvFileException("the quoted value starting on line " + unclosed.group(1)
                        + " is never closed: the file ends inside it. Close the quote (a quote inside a quoted value"
                        + " is written twice: \"\")");
            }
            throw new CsvFileException("cannot read the file after line " + lastLine + ": " + cause);
        }
    }

    private Row nextOfTable() {
        String[] cells;
        try {
            cells = table.next();
        } catch (CsvFileException e) {
            throw e;
        } catch (Exception e) {
            throw new CsvFileException("cannot read the rows after row " + rows + ": " + e.getMessage());
        }
        if (cells == null) {
            return null;
        }
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i] == null ? "" : cells[i];
        }
        rows++;
        lastLine++;
        return new Row(rows, lastLine, lastLine, cells, null, true);
    }

    @Override
    public void close() throws IOException {
        if (table != null) {
            try {
                table.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
            return;
        }
        parser.close();
    }

    private static List<String> columnNames(String[] cells) {
        List<String> names = new ArrayList<>(cells.length);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < cells.length; i++) {
            String name = cells[i].strip();
            if (name.isEmpty()) {
                name = "column " + (i + 1);
            }
            int count = seen.merge(name, 1, Integer::sum);
            names.add(count == 1 ? name : name + " (" + count + ")");
        }
        return List.copyOf(names);
    }
}
