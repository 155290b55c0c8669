package dev.steward.lifecycle;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file of accounts to add to or remove from a static segment, as read: a header naming the columns, then one
 * account per row, given by its Steward id in an {@code accountId} column or by its id in another system in an
 * {@code externalId} column (the system named with the upload). Other columns are ignored, so a list exported from
 * elsewhere can be sent as it is. UTF-8 (a byte order mark is skipped), comma-separated as RFC 4180 says.
 */
final class SegmentMemberFile {

    /** The largest file read: checked before it is. */
    static final int MAXIMUM_BYTES = 1024 * 1024;

    /** Rows (accounts) one file may name. */
    static final int MAXIMUM_ROWS = SegmentManagement.MAXIMUM_ADDED;

    static final String ACCOUNT_ID = "accountId";
    static final String EXTERNAL_ID = "externalId";

    private SegmentMemberFile() {}

    /**
     * One row below the header: its number (1 for the first: the file's second line, as long as no quoted value holds
     * a line break) and the account it names by id ({@code accountId}, which may not be an id at all) or by external
     * id; the one not given is {@code null}, and both are for a blank row.
     */
    record Row(int number, String accountId, String externalId) {

        boolean blank() {
            return accountId == null && externalId == null;
        }
    }

    /** The rows of the file, and the columns it has that are not read. */
    record Rows(List<Row> rows, List<String> ignoredColumns) {}

    /**
     * Reads the file; refused (field {@code file}) when it is too large, is not text, has no header or no column naming
     * accounts, or has more rows than allowed. Rows are not checked here: see {@link SegmentManagement}.
     */
    static Rows read(byte[] file) {
        if (file.length > MAXIMUM_BYTES) {
            throw tooLarge(file.length);
        }
        int start = file.length >= 3 && (file[0] & 0xff) == 0xef && (file[1] & 0xff) == 0xbb && (file[2] & 0xff) == 0xbf
                ? 3
                : 0;
        Reader reader = new InputStreamReader(
                new ByteArrayInputStream(file, start, file.length - start),
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT));
        CSVFormat format = CSVFormat.RFC4180
                .builder()
                // Blank lines are rows (skipped later), so that row n is line n + 1.
                .setIgnoreEmptyLines(false)
                .setIgnoreSurroundingSpaces(true)
                .get();
        try (CSVParser parser =
                CSVParser.builder().setReader(reader).setFormat(format).get()) {
            List<Row> rows = new ArrayList<>();
            int accountId = -1;
            int externalId = -1;
            List<String> ignored = new ArrayList<>();
            boolean header = true;
            int named = 0;
            for (CSVRecord record : parser) {
                if (header) {
                    header = false;
                    for (int i = 0; i < record.size(); i++) {
                        String column = record.get(i).strip();
                        String key = column.toLowerCase(Locale.ROOT);
                        if (key.equals("accountid") && accountId < 0) {
                            accountId = i;
                        } else if (key.equals("externalid") && externalId < 0) {
                            externalId = i;
                        } else {
                            ignored.add(column);
                        }
                    }
                    if (accountId < 0 && externalId < 0) {
                        throw new InvalidInputException(
                                "file",
                                "its first line names the columns " + record.toList() + "; one must be " + ACCOUNT_ID
                                        + " (Steward account ids) or " + EXTERNAL_ID + " (ids in the system named by"
                                        + " source)");
                    }
                    continue;
                }
                Row row = new Row(rows.size() + 1, cell(record, accountId), cell(record, externalId));
                if (!row.blank() && ++named > MAXIMUM_ROWS) {
                    throw new InvalidInputException(
                            "file",
                            "names more than " + MAXIMUM_ROWS + " accounts; send at most " + MAXIMUM_ROWS + " at once");
                }
                rows.add(row);
            }
            if (header) {
                throw new InvalidInputException(
                        "file", "is empty; its first line must name the columns, such as " + ACCOUNT_ID);
            }
            return new Rows(List.copyOf(rows), List.copyOf(ignored));
        } catch (UncheckedIOException | IOException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            if (cause instanceof java.nio.charset.CharacterCodingException) {
                throw new InvalidInputException("file", "is not UTF-8 text; save it as CSV (UTF-8)");
            }
            throw new InvalidInputException(
                    "file", "cannot be read as CSV: " + (cause == null ? e.getMessage() : cause.getMessage()));
        } catch (IllegalStateException e) {
            // commons-csv reports a quote left open this way.
            throw new InvalidInputException("file", "cannot be read as CSV: " + e.getMessage());
        }
    }

    /** Refuses a file larger than {@value #MAXIMUM_BYTES} bytes, before it is read. */
    static InvalidInputException tooLarge(long bytes) {
        return new InvalidInputException(
                "file", "has " + bytes + " bytes; a file of members may have at most " + MAXIMUM_BYTES + " (1 MB)");
    }

    /** The Steward account id the text is (in its canonical 36-character form), or {@code null}. */
    static UUID accountId(String text) {
        try {
            return text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String cell(CSVRecord record, int column) {
        if (column < 0 || column >= record.size()) {
            return null;
        }
        String value = record.get(column).strip();
        return value.isEmpty() ? null : value;
    }

    /** A row's problem: which row ({@code index}), the column ({@code field}) and why. */
    static FieldError problem(Row row, String column, String reason) {
        return new FieldError(row.number(), row.externalId(), column, reason);
    }
}
