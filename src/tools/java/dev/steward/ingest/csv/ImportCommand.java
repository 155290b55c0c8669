package dev.steward.ingest.csv;

import dev.steward.core.CommandOptions;
import dev.steward.core.InvalidInputException;
import dev.steward.core.SubCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code import}: imports a CSV file, or every file of a multi-table export as a plan lists them, through the same
 * path as the page and the API; prints each report and exits with 1 if any row was rejected.
 */
@Component
class ImportCommand implements SubCommand {

    /** Rejected rows listed on the console per file; the rejected-rows file has them all. */
    private static final int PRINTED_ERRORS = 20;

    private final CsvImports imports;
    private final ObjectMapper json;
    private final PrintStream out;

    @Autowired
    ImportCommand(CsvImports imports, ObjectMapper json) {
        this(imports, json, System.out);
    }

    /** Prints to {@code out} instead of the console, for tests. */
    ImportCommand(CsvImports imports, ObjectMapper json, PrintStream out) {
        this.imports = imports;
        this.json = json;
        this.out = out;
    }

    @Override
    public String name() {
        return "import";
    }

    @Override
    public String usage() {
        return "--source crm --entity accounts --file accounts.csv [--mapping mapping.yaml] [--atomic]"
                + " [--rejected rejected.csv] | --dir export/ --plan plan.yaml [--rejected dir/]  import CSV files";
    }

    @Override
    public int run(List<String> arguments) throws IOException {
        CommandOptions options = new CommandOptions(arguments);
        try {
            if (options.has("plan")) {
                return runPlan(options);
            }
            String file = options.get("file", null);
            if (file == null || options.get("entity", null) == null || options.get("source", null) == null) {
                System.err.println("Usage: java -jar steward.jar import " + usage());
                System.err.println("Kinds of record (--entity): " + CsvEntity.names());
                return 2;
            }
            CsvMapping mapping = options.has("mapping")
                    ? MappingDocuments.mapping(Files.readString(Path.of(options.get("mapping", null))), json)
                    : null;
            String rejected = options.get("rejected", null);
            return importFile(
                    options.get("source", null),
                    options.get("entity", null),
                    Path.of(file),
                    mapping,
                    options.has("atomic"),
                    rejected == null ? null : Path.of(rejected));
        } catch (InvalidInputException e) {
            e.errors().forEach(error -> System.err.println("Refused: " + error));
            return 2;
        }
    }

    private int runPlan(CommandOptions options) throws IOException {
        Path dir = Path.of(options.get("dir", "."));
        Path planFile = Path.of(options.get("plan", null));
        if (!Files.exists(planFile) && Files.exists(dir.resolve(planFile))) {
            planFile = dir.resolve(planFile);
        }
        MappingDocuments.ImportPlan plan = MappingDocuments.plan(Files.readString(planFile), json);
        String source = options.get("source", plan.source());
        // The whole plan is checked before its first file is imported: a mistake in the last file's mapping is
        // better found before the first files are in.
        imports.checkPlan(
                plan, source, name -> Files.isReadable(dir.resolve(name)) ? CsvInput.of(dir.resolve(name)) : null);
        String rejectedDir = options.get("rejected", null);
        int exit = 0;
        for (int i = 0; i < plan.files().size(); i++) {
            MappingDocuments.PlanFile file = plan.files().get(i);
            // One file may be imported as several kinds of record: each gets its own rejected-rows file.
            Path rejected = rejectedDir == null
                    ? null
                    : Path.of(
                            rejectedDir,
                            file.file()
                                    + (plan.files().stream()
                                                            .filter(f ->
                                                                    file.file().equals(f.file()))
                                                            .count()
                                                    > 1
                                            ? "." + file.entity()
                                            : "")
                                    + ".rejected.csv");
            try {
                exit = Math.max(
                        exit,
                        importFile(
                                source,
                                file.entity(),
                                dir.resolve(file.file()),
                                file.mapping(),
                                Boolean.TRUE.equals(file.atomic()) || options.has("atomic"),
                                rejected));
            } catch (InvalidInputException e) {
                out.println(file.file() + ": refused, nothing imported");
                e.errors().forEach(error -> out.println("  " + error));
                exit = 1;
            }
        }
        return exit;
    }

    private int importFile(String source, String entity, Path file, CsvMapping mapping, boolean atomic, Path rejected)
            throws IOException {
        if (!Files.isReadable(file)) {
            throw new InvalidInputException("file", "cannot read " + file.toAbsolutePath());
        }
        CsvImporter.Outcome outcome =
                imports.importFile(source, CsvImports.entity(entity), CsvInput.of(file), mapping, atomic);
        ImportReport report = outcome.report();
        out.printf(
                "%s → %s (source %s; %s, %s-separated), %.1f s%n",
                report.file(),
                report.entity(),
                report.source(),
                report.encoding(),
                report.separator(),
                report.seconds());
        out.println("  " + report.summary());
        if (report.metricsAdded() != null) {
            out.println("  Metrics added to the catalog: " + String.join(", ", report.metricsAdded()));
        }
        report.errors().stream().limit(PRINTED_ERRORS).forEach(error -> out.println("  " + error));
        long more = report.errors().size() + report.errorsNotListed() - PRINTED_ERRORS;
        if (more > 0) {
            out.println("  … and " + more + " more");
        }
        if (rejected != null && report.rejected() > 0) {
            Files.createDirectories(rejected.toAbsolutePath().getParent());
            Files.write(rejected, outcome.rejectedCsv());
            out.println("  Rejected rows with their errors: " + rejected);
        }
        return report.rejected() > 0 || report.fileError() != null ? 1 : 0;
    }
}
