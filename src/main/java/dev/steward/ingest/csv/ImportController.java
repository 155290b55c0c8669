package dev.steward.ingest.csv;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.ObjectMapper;

@RestController
@RequestMapping("/api/v1/imports")
@Tag(
        name = "Imports",
        description = "CSV import with field mapping: upload, map columns to fields, preview, import, report")
class ImportController {

    private final CsvImports imports;
    private final ObjectMapper json;

    ImportController(CsvImports imports, ObjectMapper json) {
        this.imports = imports;
        this.json = json;
    }

    /** What a plan's import did: each file's report, in the plan's order. */
    record PlanRun(List<CsvImports.PlanResult> files) {}

    /**
     * A kind of record a file can hold and its fields; {@code columns} says, for kinds a wide file can hold, what
     * each mapped column's cells are stored under (a metric, an attribute name).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record EntityView(
            String name, String label, List<ImportView.FieldView> fields, List<String> mapFields, String columns) {}

    @GetMapping("/entities")
    @Operation(summary = "The kinds of record a CSV file can hold, with their fields")
    List<EntityView> entities() {
        return Arrays.stream(CsvEntity.values())
                .map(e -> new EntityView(
                        e.name(),
                        e.label(),
                        e.fields().stream().map(ImportView.FieldView::of).toList(),
                        e.mapFields(),
                        e.wide() == null ? null : e.wide().keyName()))
                .toList();
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(
            summary = "Upload a CSV file to import",
            description = "Multipart form: file, entity (accounts, contacts, contracts, opportunities, usage,"
                    + " usage_events, tickets, invoices, meetings, survey_responses, churn_events, account_attributes,"
                    + " churn_labels) and source (the"
                    + " system the file comes from; created as a CSV source on its first file). Answers the detected"
                    + " encoding, separator and line ending, the columns, the mapping saved for the source and"
                    + " entity or else one suggested from the header, and the first 20 rows each checked as the"
                    + " import would. The file is kept for 7 days. Nothing is imported yet.")
    ResponseEntity<ImportView> upload(
            @RequestPart("file") MultipartFile file,
            @RequestParam String entity,
            @RequestParam String source,
            Authentication authentication)
            throws IOException {
        ImportView view =
                imports.upload(source, entity, file.getOriginalFilename(), file.getBytes(), authentication.getName());
        return ResponseEntity.created(URI.create("/api/v1/imports/" + view.id()))
                .body(view);
    }

    @PostMapping(value = "/plans", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(
            summary = "Import several files, or one file as several kinds of record, with a plan",
            description = "Multipart form: plan (a YAML file: source, then files, each with file, entity, mapping and"
                    + " optionally atomic), the files (each part named files, matched to the plan by file name) and"
                    + " optionally source (instead of the plan's) and atomic. The whole plan is checked first (422"
                    + " naming files[i] and the field when a kind of record, a file or a mapping is wrong; nothing is"
                    + " imported then); then the files are imported in the plan's order, each kept as an import whose"
                    + " rejected rows can be downloaded. A file may appear several times: a customer snapshot is"
                    + " accounts, account_attributes and churn_labels. 200 when no row was rejected, 207 otherwise.")
    ResponseEntity<PlanRun> runPlan(
            @RequestPart("plan") MultipartFile plan,
            @RequestPart(value = "files", required = false) List<MultipartFile> files,
            @RequestParam(required = false) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            Authentication authentication)
            throws IOException {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (MultipartFile file : files == null ? List.<MultipartFile>of() : files) {
            String name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename();
            contents.put(name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1), file.getBytes());
        }
        MappingDocuments.ImportPlan parsed =
                MappingDocuments.plan(new String(plan.getBytes(), java.nio.charset.StandardCharsets.UTF_8), json);
        List<CsvImports.PlanResult> results = imports.runPlan(
                parsed,
                source == null || source.isBlank() ? null : source.strip(),
                contents,
                atomic,
                authentication.getName());
        boolean clean = results.stream()
                .allMatch(r -> r.report().rejected() == 0 && r.report().fileError() == null);
        return ResponseEntity.status(clean ? HttpStatus.OK : HttpStatus.MULTI_STATUS)
                .body(new PlanRun(results));
    }

    @GetMapping("/{id}")
    @Operation(summary = "An uploaded file: its mapping, preview and, once imported, the report")
    ImportView get(@PathVariable UUID id) {
        return imports.view(id);
    }

    @PutMapping("/{id}/mapping")
    @Operation(
            summary = "Change how the file's columns map to fields",
            description = "Body: {\"fields\": {\"<field>\": \"<column>\" or {column | template | hash: [columns] |"
                    + " rowNumber: true, default, multiply, values, via}}, \"skip\" or \"keep\": {\"column\": ...,"
                    + " \"equals\": ... | \"in\": [...]}, \"columns\": {\"<column>\": \"<metric or attribute name>\" or"
                    + " {key, multiply, values}} (usage and account_attributes: one value per cell), \"duplicates\":"
                    + " \"reject\" | \"sum\", \"createMetrics\": false}. Answers the preview with the new mapping; 422"
                    + " naming each field if the mapping does not fit the file.")
    ImportView changeMapping(@PathVariable UUID id, @RequestBody CsvMapping mapping) {
        return imports.changeMapping(id, mapping);
    }

    @PostMapping("/{id}/run")
    @Operation(
            summary = "Import the file",
            description = "Good rows are written and rejected rows reported with their line, column, value and"
                    + " reason (200 when none was rejected, 207 when some were). With atomic=true any rejected row"
                    + " means nothing is written. Records are upserted by external id in the source and usage rows"
                    + " by account, metric and day, so importing the same file again adds nothing. The mapping is"
                    + " saved for the source's next file of this kind.")
    ResponseEntity<ImportReport> run(@PathVariable UUID id, @RequestParam(defaultValue = "false") boolean atomic) {
        ImportReport report = imports.run(id, atomic);
        return ResponseEntity.status(
                        report.rejected() == 0 && report.fileError() == null ? HttpStatus.OK : HttpStatus.MULTI_STATUS)
                .body(report);
    }

    @GetMapping(value = "/{id}/rejected.csv", produces = "text/csv")
    @Operation(
            summary = "The rejected rows as CSV",
            description = "The file's columns plus an error column saying, per row, the line, column and reason.")
    ResponseEntity<byte[]> rejected(@Parameter(description = "the import's id") @PathVariable UUID id) {
        return csv(imports.rejectedCsv(id), "rejected-rows.csv");
    }

    static ResponseEntity<byte[]> csv(byte[] content, String name) {
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(name).build().toString())
                .body(content);
    }
}
