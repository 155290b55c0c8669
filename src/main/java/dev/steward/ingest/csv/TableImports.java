package dev.steward.ingest.csv;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.ingest.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Imports tables that were never files (a warehouse query's result) exactly as CSV files are imported: one kind of
 * record, the same mapping of columns to fields (suggested from the column names as for a file's header), the same
 * checks per row, upserts by external id or by account, metric and day (so that pulling the same rows again changes
 * nothing), and the same report of rejected rows, which name the row ("row 7") instead of a file line.
 */
@Service
public class TableImports {

    /** A table that can be read more than once from its first row, e.g. by running its query again. */
    public interface Table {

        /** What reports call it, e.g. "feed daily-usage". */
        String name();

        Rows open() throws Exception;
    }

    /** An open table: its column names and its rows of text cells (null for no value), null at the end. */
    public interface Rows extends AutoCloseable {

        List<String> header();

        String @Nullable [] next() throws Exception;
    }

    /** A kind of record a table can hold, and its fields, for a mapping form. */
    public record Entity(String name, String label, List<Field> fields) {}

    /** A field of a kind of record: its name in a mapping, what the form calls it, whether a row needs it. */
    public record Field(String name, String label, String hint, boolean required) {}

    /** A row of a check: where, its cells, whether the mapping's condition skips it, what it gives, what is wrong. */
    public record SampleRow(
            String where, List<String> cells, boolean skipped, Map<String, Object> values, List<String> problems) {}

    /** What the mapping makes of the first rows of a table, before anything is stored. */
    public record Check(
            List<String> columns, JsonNode mapping, List<FieldError> mappingProblems, List<SampleRow> rows) {

        public long rejected() {
            return rows.stream().filter(r -> !r.problems().isEmpty()).count();
        }
    }

    /** A rejected row: where, which column and field, what it held and why. */
    public record RowError(
            String where,
            @Nullable String column,
            @Nullable String field,
            @Nullable String value,
            String reason) {}

    /** What an import did; {@code failure} says why nothing was stored, when nothing was. */
    public record Outcome(
            long rows,
            long accepted,
            long rejected,
            long created,
            long updated,
            long unchanged,
            List<String> metricsAdded,
            List<RowError> errors,
            @Nullable String failure,
            String summary) {}

    private final CsvImporter importer;
    private final ObjectMapper json;

    TableImports(CsvImporter importer, ObjectMapper json) {
        this.importer = importer;
        this.json = json;
    }

    /** The kinds of record a table may hold, with their fields. */
    public List<Entity> entities() {
        return Arrays.stream(CsvEntity.values())
                .map(e -> new Entity(
                        e.name(),
                        e.label(),
                        e.fields().stream()
                                .map(f -> new Field(f.name(), f.label(), f.hint(), f.required()))
                                .toList()))
                .toList();
    }

    /** The mapping suggested for these column names, as for a CSV file's header. */
    public JsonNode suggest(String entity, List<String> columns) {
        return json.valueToTree(MappingSuggestions.suggest(CsvImports.entity(entity), columns));
    }

    /**
     * What is wrong with a mapping for a table with these columns: a mapping that cannot be read, or one that does
     * not fit the columns, is named field by field ({@code mapping.<field>}).
     */
    public List<FieldError> problems(String entity, JsonNode mapping, List<String> columns) {
        CsvEntity kind = CsvImports.entity(entity);
        return importer.problems(kind, mapping(mapping), columns).stream()
                .map(p -> FieldError.of("mapping." + p.field(), ofTable(p.reason())))
                .toList();
    }

    /**
     * The table's first rows ({@code limit}) converted and checked as the import would, accounts named by their
     * external ids in {@code accountSource}; nothing is stored.
     */
    public Check check(String accountSource, String entity, @Nullable JsonNode given, Table table, int limit) {
        CsvEntity kind = CsvImports.entity(entity);
        try (CsvReader reader = reader(table)) {
            CsvMapping mapping = given == null || given.isNull() || given.isEmpty()
                    ? MappingSuggestions.suggest(kind, reader.header())
                    : mapping(given);
            List<FieldError> problems = importer.problems(kind, mapping, reader.header()).stream()
                    .map(p -> FieldError.of("mapping." + p.field(), ofTable(p.reason())))
                    .toList();
            CsvMapping usable = mapping.usableFor(kind, reader.header());
            CsvImporter.Preview preview = importer.preview(accountSource, kind, reader, usable, limit);
            List<SampleRow> rows = preview.rows().stream()
                    .map(r -> new SampleRow(
                            r.row().where(),
                            Arrays.asList(r.row().cells()),
                            r.skipped(),
                            r.values(),
                            r.problems().stream()
                                    .map(p -> (p.column() == null ? "" : p.column() + ": ") + p.reason())
                                    .toList()))
                    .toList();
            return new Check(reader.header(), json.valueToTree(mapping), problems, rows);
        } catch (CsvFileException e) {
            throw new InvalidInputException("query", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Imports every row of the table: good rows are stored, bad ones rejected and reported (never all or nothing). A
     * mapping that does not fit the columns is refused before anything is read; a table that cannot be read to its
     * end stores nothing. Records are the source's; rows name accounts by their external ids in {@code
     * accountSource}.
     */
    public Outcome run(Source source, String accountSource, String entity, JsonNode mapping, Table table) {
        CsvEntity kind = CsvImports.entity(entity);
        try {
            CsvImporter.Outcome outcome =
                    importer.run(source, accountSource, kind, input(table), mapping(mapping), false);
            ImportReport report = outcome.report();
            return new Outcome(
                    report.rows(),
                    report.accepted(),
                    report.rejected(),
                    report.created() == null ? 0 : report.created(),
                    report.updated() == null ? report.changed() : report.updated(),
                    report.unchanged(),
                    report.metricsAdded() == null ? List.of() : report.metricsAdded(),
                    report.errors() == null
                            ? List.of()
                            : report.errors().stream()
                                    .map(e -> new RowError(e.where(), e.column(), e.field(), e.value(), e.reason()))
                                    .toList(),
                    report.fileError(),
                    report.summary());
        } catch (CsvFileException e) {
            throw new InvalidInputException("query", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reason written for files, said of a table. */
    private static String ofTable(String reason) {
        return reason.replace("the file has no column", "the table has no column");
    }

    private CsvMapping mapping(JsonNode node) {
        try {
            return json.treeToValue(node, CsvMapping.class);
        } catch (JacksonException e) {
            throw new InvalidInputException("mapping", "cannot be read: " + e.getOriginalMessage());
        }
    }

    private static CsvInput input(Table table) {
        return new CsvInput() {
            @Override
            public String name() {
                return table.name();
            }

            @Override
            public InputStream open() {
                throw new UnsupportedOperationException("a table is read row by row, never as text");
            }

            @Override
            public CsvReader reader() throws IOException {
                return TableImports.reader(table);
            }

            @Override
            public boolean keepsRejectedRows() {
                return false;
            }
        };
    }

    private static CsvReader reader(Table table) throws IOException {
        Rows rows;
        try {
            rows = table.open();
        } catch (InvalidInputException | CsvFileException e) {
            throw e;
        } catch (Exception e) {
            throw new CsvFileException(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return CsvReader.ofTable(rows.header(), new CsvReader.TableRows() {
            @Override
            public String[] next() throws Exception {
                return rows.next();
            }

            @Override
            public void close() throws Exception {
                rows.close();
            }
        });
    }
}
