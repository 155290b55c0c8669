package dev.steward.ingest.csv;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
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

@RestController
@RequestMapping("/api/v1/imports")
@Tag(
        name = "Imports",
        description = "CSV import with field mapping: upload, map columns to fields, preview, import, report")
class ImportController {

    private final CsvImports imports;

    ImportController(CsvImports imports) {
        this.imports = imports;
    }

    /** A kind of record a file can hold and its fields. */
    record EntityView(String name, String label, List<ImportView.FieldView> fields, List<String> mapFields) {}

    @GetMapping("/entities")
    @Operation(summary = "The kinds of record a CSV file can hold, with their fields")
    List<EntityView> entities() {
        return Arrays.stream(CsvEntity.values())
                .map(e -> new EntityView(
                        e.name(),
                        e.label(),
                        e.fields().stream().map(ImportView.FieldView::of).toList(),
                        e.mapFields()))
                .toList();
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(
            summary = "Upload a CSV file to import",
            description = "Multipart form: file, entity (accounts, contacts, contracts, opportunities, usage,"
                    + " usage_events, tickets, invoices, meetings, survey_responses, churn_events) and source (the"
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

    @GetMapping("/{id}")
    @Operation(summary = "An uploaded file: its mapping, preview and, once imported, the report")
    ImportView get(@PathVariable UUID id) {
        return imports.view(id);
    }

    @PutMapping("/{id}/mapping")
    @Operation(
            summary = "Change how the file's columns map to fields",
            description = "Body: {\"fields\": {\"<field>\": \"<column>\" or {column | template, default, multiply,"
                    + " values, via}}, \"duplicates\": \"reject\" | \"sum\", \"createMetrics\": false}. Answers the"
                    + " preview with the new mapping; 422 naming each field if the mapping does not fit the file.")
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
