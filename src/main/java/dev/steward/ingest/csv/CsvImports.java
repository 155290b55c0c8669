package dev.steward.ingest.csv;

import dev.steward.core.BookScope;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * The import of a CSV file in steps, as the page and the API take it: upload (the file is kept in the database, the
 * mapping saved for the source or else suggested, the first rows previewed), change the mapping, import, report and
 * rejected rows. Importing saves the mapping for the source's next file of the same kind.
 */
@Service
class CsvImports {

    /** How long an uploaded file is kept. */
    static final Duration KEPT = Duration.ofDays(7);

    static final int PREVIEW_ROWS = 20;

    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    private final CsvUploads uploads;
    private final CsvImporter importer;
    private final Sources sources;
    private final Clock clock;

    private final BookScope books;

    CsvImports(CsvUploads uploads, CsvImporter importer, Sources sources, Clock clock, BookScope books) {
        this.books = books;
        this.uploads = uploads;
        this.importer = importer;
        this.sources = sources;
        this.clock = clock;
    }

    ImportView upload(String sourceName, String entityName, String fileName, byte[] content, String uploadedBy) {
        CsvEntity entity = entity(entityName);
        Source source = source(sourceName);
        if (content == null || content.length == 0) {
            throw new InvalidInputException("file", "is empty; upload a CSV file whose first line names the columns");
        }
        Instant now = clock.instant();
        uploads.removeExpired(now);
        List<String> header = header(CsvInput.of(fileName, content));
        CsvMapping saved = uploads.savedMapping(source.id(), entity).orElse(null);
        CsvMapping mapping =
                saved != null ? saved.keepingColumnsOf(header) : MappingSuggestions.suggest(entity, header);
        CsvUploads.Upload upload = new CsvUploads.Upload(
                Ids.newId(),
                source.id(),
                source.name(),
                entity,
                fileName == null || fileName.isBlank() ? "upload.csv" : fileName,
                mapping,
                saved != null ? "saved" : "suggested",
                null,
                now,
                now.plus(KEPT));
        uploads.insert(upload, content, uploadedBy);
        return view(upload, content);
    }

    ImportView view(UUID id) {
        CsvUploads.Upload upload = find(id);
        return view(upload, uploads.content(id));
    }

    /** Replaces the file's mapping; a mapping that does not fit the file is refused naming each field. */
    ImportView changeMapping(UUID id, CsvMapping mapping) {
        CsvUploads.Upload upload = find(id);
        byte[] content = uploads.content(id);
        List<FieldError> problems =
                importer.problems(upload.entity(), mapping, header(CsvInput.of(upload.fileName(), content)));
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        uploads.changeMapping(id, mapping, "edited");
        return view(find(id), content);
    }

    /** Imports the file with its mapping and saves the mapping for the source's next file of this kind. */
    ImportReport run(UUID id, boolean atomic) {
        books.requireEveryBook("A CSV import");
        CsvUploads.Upload upload = find(id);
        byte[] content = uploads.content(id);
        Source source = sources.get(upload.source());
        CsvImporter.Outcome outcome =
                importFile(source, upload.entity(), CsvInput.of(upload.fileName(), content), upload.mapping(), atomic);
        uploads.imported(id, outcome.report(), outcome.rejectedCsv());
        return outcome.report();
    }

    byte[] rejectedCsv(UUID id) {
        find(id);
        return uploads.rejectedCsv(id)
                .orElseThrow(() ->
                        new NotFoundException("Import " + id + " has no rejected rows yet: it has not been imported."));
    }

    /**
     * Imports a file in one go (the command line): with the mapping given, else the one saved for the source, else
     * the one suggested from the header. The mapping used is saved for the source.
     */
    CsvImporter.Outcome importFile(
            String sourceName, CsvEntity entity, CsvInput input, CsvMapping given, boolean atomic) {
        Source source = source(sourceName);
        CsvMapping mapping = given != null ? given : savedOrSuggested(source, entity, header(input));
        return importFile(source, entity, input, mapping, atomic);
    }

    private CsvImporter.Outcome importFile(
            Source source, CsvEntity entity, CsvInput input, CsvMapping mapping, boolean atomic) {
        try {
            CsvImporter.Outcome outcome = importer.run(source, entity, input, mapping, atomic);
            uploads.saveMapping(source.id(), entity, mapping, clock.instant());
            return outcome;
        } catch (CsvFileException e) {
            throw new InvalidInputException("file", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + input.name(), e);
        }
    }

    /** One file of a plan as imported: the upload it became (its rejected rows can be downloaded) and its report. */
    record PlanResult(String file, String entity, UUID importId, ImportReport report) {}

    /**
     * Checks a whole plan before anything is imported: its source, and for each file its kind of record, that the
     * file is there and readable, and that its mapping (given, else saved for the source, else suggested) fits the
     * file; every problem is named by its place in the plan ({@code files[2].mapping.fields.name.column}).
     *
     * @param files the plan's files by name; null for a file that is not there
     */
    void checkPlan(MappingDocuments.ImportPlan plan, String sourceOverride, Function<String, CsvInput> files) {
        List<FieldError> problems = new ArrayList<>();
        String sourceName = sourceOverride != null ? sourceOverride : plan.source();
        // Checked, not created: a refused plan leaves nothing behind.
        Source source = null;
        try {
            checkSourceName(sourceName);
            source = sources.find(sourceName).orElse(null);
        } catch (InvalidInputException e) {
            problems.addAll(e.errors());
        }
        if (plan.files().isEmpty()) {
            problems.add(FieldError.of("files", "the plan lists no files; list each with file, entity and mapping"));
        }
        for (int i = 0; i < plan.files().size(); i++) {
            MappingDocuments.PlanFile entry = plan.files().get(i);
            String at = "files[" + i + "]";
            CsvEntity entity = CsvEntity.named(entry.entity()).orElse(null);
            if (entity == null) {
                problems.add(FieldError.of(
                        at + ".entity",
                        (entry.entity() == null ? "is missing" : "'" + entry.entity() + "' is not a kind of record")
                                + "; choose one of " + CsvEntity.names()));
            }
            CsvInput input = entry.file() == null ? null : files.apply(entry.file());
            if (entry.file() == null || entry.file().isBlank()) {
                problems.add(
                        FieldError.of(at + ".file", "is missing; name the file (as uploaded, or in the directory)"));
                continue;
            }
            if (input == null) {
                problems.add(FieldError.of(at + ".file", "'" + entry.file() + "' is not among the files given"));
                continue;
            }
            if (entity == null) {
                continue;
            }
            List<String> header;
            try {
                header = header(input);
            } catch (InvalidInputException e) {
                e.errors()
                        .forEach(error ->
                                problems.add(FieldError.of(at + ".file", entry.file() + ": " + error.reason())));
                continue;
            }
            CsvMapping mapping = entry.mapping() != null
                    ? entry.mapping()
                    : source == null
                            ? MappingSuggestions.suggest(entity, header)
                            : savedOrSuggested(source, entity, header);
            if (mapping != null) {
                importer.problems(entity, mapping, header)
                        .forEach(error -> problems.add(FieldError.of(
                                at + ".mapping" + (error.field() == null ? "" : "." + error.field()), error.reason())));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /**
     * Imports the files of a plan in its order, each kept as an upload (so that its rejected rows can be downloaded)
     * with the plan's mapping, after checking the whole plan ({@link #checkPlan}). One file may appear several times,
     * as different kinds of record: a customer snapshot is accounts, their attributes and their churn labels.
     */
    List<PlanResult> runPlan(
            MappingDocuments.ImportPlan plan,
            String sourceOverride,
            Map<String, byte[]> files,
            boolean atomic,
            String uploadedBy) {
        checkPlan(plan, sourceOverride, name -> files.containsKey(name) ? CsvInput.of(name, files.get(name)) : null);
        String sourceName = sourceOverride != null ? sourceOverride : plan.source();
        List<PlanResult> results = new ArrayList<>();
        for (MappingDocuments.PlanFile entry : plan.files()) {
            ImportView upload = upload(sourceName, entry.entity(), entry.file(), files.get(entry.file()), uploadedBy);
            if (entry.mapping() != null) {
                uploads.changeMapping(upload.id(), entry.mapping(), "edited");
            }
            ImportReport report = run(upload.id(), atomic || Boolean.TRUE.equals(entry.atomic()));
            results.add(new PlanResult(entry.file(), upload.entity(), upload.id(), report));
        }
        return results;
    }

    private CsvMapping savedOrSuggested(Source source, CsvEntity entity, List<String> header) {
        return uploads.savedMapping(source.id(), entity)
                .map(saved -> saved.keepingColumnsOf(header))
                .orElseGet(() -> MappingSuggestions.suggest(entity, header));
    }

    static CsvEntity entity(String name) {
        return CsvEntity.named(name)
                .orElseThrow(() -> new InvalidInputException(
                        "entity",
                        (name == null || name.isBlank() ? "is missing" : "'" + name + "' is not a kind of record")
                                + "; choose one of " + CsvEntity.names()));
    }

    /** The source by name, created as a CSV source on its first file. */
    private Source source(String name) {
        checkSourceName(name);
        return sources.find(name).orElseGet(() -> {
            try {
                return sources.create(name, Source.Kind.csv, null, null);
            } catch (dev.steward.core.ConflictException createdMeanwhile) {
                return sources.get(name);
            }
        });
    }

    private static void checkSourceName(String name) {
        if (name == null || !SOURCE_NAME.matcher(name).matches()) {
            throw new InvalidInputException(
                    "source",
                    (name == null || name.isBlank() ? "is missing" : "'" + name + "' is not a source name")
                            + "; name the system the file comes from in lower-case letters, digits, '.', '_' or"
                            + " '-' (up to 63), such as crm or billing");
        }
    }

    private CsvUploads.Upload find(UUID id) {
        return uploads.find(id, clock.instant()).orElseThrow(() -> new NotFoundException("import", id));
    }

    private static List<String> header(CsvInput input) {
        try (CsvReader reader = input.reader()) {
            return reader.header();
        } catch (CsvFileException e) {
            throw new InvalidInputException("file", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ImportView view(CsvUploads.Upload upload, byte[] content) {
        Source source = sources.get(upload.source());
        try (CsvReader reader = CsvReader.open(CsvInput.of(upload.fileName(), content))) {
            CsvEntity entity = upload.entity();
            List<FieldError> problems = importer.problems(entity, upload.mapping(), reader.header());
            // The preview reads what it can even while the mapping still has problems.
            CsvMapping usable = upload.mapping().usableFor(entity, reader.header());
            CsvImporter.Preview preview = importer.preview(source, entity, reader, usable, PREVIEW_ROWS);
            List<ImportView.PreviewRow> rows =
                    preview.rows().stream().map(CsvImports::previewRow).toList();
            List<ImportView.PreviewRow> later =
                    preview.later().stream().map(CsvImports::previewRow).toList();
            return new ImportView(
                    upload.id(),
                    upload.source(),
                    entity.name(),
                    upload.fileName(),
                    reader.layout().encoding(),
                    reader.layout().separatorName(),
                    reader.layout().lineEnding(),
                    reader.header(),
                    upload.mapping(),
                    upload.mappingOrigin(),
                    problems,
                    entity.fields().stream().map(ImportView.FieldView::of).toList(),
                    rows,
                    rows.stream().filter(r -> !r.good()).count(),
                    rows.stream().filter(ImportView.PreviewRow::skipped).count(),
                    new ImportView.LaterRows(
                            later,
                            preview.laterRejected(),
                            preview.checkedRows(),
                            preview.wholeFile(),
                            preview.fileError()),
                    upload.report(),
                    upload.expiresAt());
        } catch (CsvFileException e) {
            throw new InvalidInputException("file", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ImportView.PreviewRow previewRow(CsvImporter.PreviewRow r) {
        return new ImportView.PreviewRow(
                r.row().firstLine(),
                r.row().where(),
                Arrays.asList(r.row().cells()),
                r.skipped(),
                r.values(),
                r.problems().stream()
                        .map(p -> new ImportReport.RowError(
                                r.row().firstLine(), r.row().where(), p.column(), p.field(), p.value(), p.reason()))
                        .toList());
    }
}
