package dev.steward.ingest.csv;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.ObjectMapper;

/**
 * The imports page: upload a file, map its columns to fields (suggestions pre-selected), see the first rows checked
 * with their errors highlighted, import, and read the report with the rejected rows to download. Each step
 * replaces the one below it through htmx.
 */
@Controller
@RequestMapping("/imports")
class ImportPages {

    private static final String PAGE = "ingest/imports";

    private final CsvImports imports;
    private final Sources sources;
    private final ObjectMapper json;

    ImportPages(CsvImports imports, Sources sources, ObjectMapper json) {
        this.imports = imports;
        this.sources = sources;
        this.json = json;
    }

    /** A column of the file as the mapping form shows it: a few values, the field it fills and how. */
    record ColumnRow(int index, String name, List<String> samples, String selected, String extras) {}

    /** A field no column fills that takes one value for every row, such as a source's currency. */
    record FixedValue(String field, String label, String value, boolean required) {}

    @GetMapping
    String page(Model model) {
        model.addAttribute("activeNav", "imports");
        model.addAttribute("entities", CsvEntity.values());
        model.addAttribute("sources", sources.all().stream().map(Source::name).toList());
        return PAGE;
    }

    @PostMapping
    String upload(
            @RequestParam(required = false) MultipartFile file,
            @RequestParam(defaultValue = "") String entity,
            @RequestParam(defaultValue = "") String source,
            Authentication authentication,
            Model model)
            throws IOException {
        try {
            if (file == null || file.isEmpty()) {
                throw new InvalidInputException("file", "choose a CSV file to upload");
            }
            ImportView view = imports.upload(
                    source.strip(), entity, file.getOriginalFilename(), file.getBytes(), authentication.getName());
            return step(view, model);
        } catch (InvalidInputException refused) {
            model.addAttribute("refusal", refused.errors());
            return PAGE + " :: refusal";
        }
    }

    /** The mapping form changed: the mapping it now describes, with the preview read with it. */
    @PostMapping("/{id}/mapping")
    String changeMapping(@PathVariable UUID id, @RequestParam MultiValueMap<String, String> form, Model model) {
        ImportView view = imports.view(id);
        Map<Integer, String> chosen = new HashMap<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        form.forEach((name, values) -> {
            if (name.startsWith("column.")) {
                chosen.put(Integer.parseInt(name.substring("column.".length())), values.get(0));
            } else if (name.startsWith("default.")) {
                defaults.put(name.substring("default.".length()), values.get(0));
            }
        });
        CsvMapping mapping = view.mapping().fromForm(view.headers(), chosen, defaults);
        if (form.containsKey("condition.mode")) {
            mapping = withCondition(
                    mapping,
                    form.getFirst("condition.mode"),
                    form.getFirst("condition.column"),
                    form.getFirst("condition.values"));
        }
        return changed(id, mapping, model);
    }

    /**
     * The rows the form's condition leaves out: none ({@code all}), those whose column holds one of the values
     * ({@code skip}) or all but those ({@code keep}); values are separated by commas, one value is {@code equals}.
     */
    static CsvMapping withCondition(CsvMapping mapping, String mode, String column, String values) {
        if (mode == null || mode.equals("all")) {
            return mapping.withConditions(null, null);
        }
        List<String> listed = values == null
                ? List.of()
                : java.util.Arrays.stream(values.split(",")).map(String::strip).toList();
        RowCondition condition =
                listed.size() == 1 ? RowCondition.equalTo(column, listed.get(0)) : RowCondition.in(column, listed);
        return mode.equals("keep") ? mapping.withConditions(null, condition) : mapping.withConditions(condition, null);
    }

    /** Several files, or one file as several kinds of record, imported with a plan. */
    @PostMapping("/plan")
    String runPlan(
            @RequestParam(required = false) MultipartFile plan,
            @RequestParam(required = false) List<MultipartFile> files,
            @RequestParam(defaultValue = "false") boolean atomic,
            Authentication authentication,
            Model model)
            throws IOException {
        try {
            if (plan == null || plan.isEmpty()) {
                throw new InvalidInputException("plan", "choose the plan (a YAML file listing the files)");
            }
            Map<String, byte[]> contents = new LinkedHashMap<>();
            for (MultipartFile file : files == null ? List.<MultipartFile>of() : files) {
                if (!file.isEmpty()) {
                    contents.put(file.getOriginalFilename(), file.getBytes());
                }
            }
            model.addAttribute(
                    "planResults",
                    imports.runPlan(
                            MappingDocuments.plan(
                                    new String(plan.getBytes(), java.nio.charset.StandardCharsets.UTF_8), json),
                            null,
                            contents,
                            atomic,
                            authentication.getName()));
            return PAGE + " :: plan-report";
        } catch (InvalidInputException refused) {
            model.addAttribute("refusal", refused.errors());
            return PAGE + " :: refusal";
        }
    }

    /** The mapping as YAML, for what the form does not offer (templates, value maps, multiplying, via). */
    @PostMapping("/{id}/mapping-yaml")
    String changeMappingYaml(@PathVariable UUID id, @RequestParam(defaultValue = "") String yaml, Model model) {
        try {
            return changed(id, MappingDocuments.mapping(yaml, json), model);
        } catch (InvalidInputException refused) {
            model.addAttribute("yamlRefusal", refused.errors());
            model.addAttribute("yamlText", yaml);
            return step(imports.view(id), model);
        }
    }

    @PostMapping("/{id}/run")
    String run(@PathVariable UUID id, @RequestParam(defaultValue = "false") boolean atomic, Model model) {
        try {
            model.addAttribute("report", imports.run(id, atomic));
            model.addAttribute("importId", id);
            return PAGE + " :: report";
        } catch (InvalidInputException refused) {
            model.addAttribute("refusal", refused.errors());
            return PAGE + " :: refusal";
        }
    }

    @GetMapping("/{id}/rejected.csv")
    ResponseEntity<byte[]> rejected(@PathVariable UUID id) {
        return ImportController.csv(imports.rejectedCsv(id), "rejected-rows.csv");
    }

    private String changed(UUID id, CsvMapping mapping, Model model) {
        try {
            return step(imports.changeMapping(id, mapping), model);
        } catch (InvalidInputException refused) {
            // Show the form as chosen, with what is wrong, rather than the mapping last accepted.
            ImportView view = imports.view(id);
            model.addAttribute("mappingRefusal", refused.errors());
            return step(withMapping(view, mapping, refused.errors()), model);
        } catch (NotFoundException gone) {
            model.addAttribute("refusal", List.of(FieldError.of(null, gone.getMessage())));
            return PAGE + " :: refusal";
        }
    }

    private static ImportView withMapping(ImportView view, CsvMapping mapping, List<FieldError> problems) {
        return new ImportView(
                view.id(),
                view.source(),
                view.entity(),
                view.file(),
                view.encoding(),
                view.separator(),
                view.lineEnding(),
                view.headers(),
                mapping,
                "edited",
                problems,
                view.fields(),
                view.preview(),
                view.previewRejected(),
                view.previewSkipped(),
                view.later(),
                view.report(),
                view.expiresAt());
    }

    private String step(ImportView view, Model model) {
        CsvEntity entity = CsvEntity.valueOf(view.entity());
        List<ColumnRow> columns = new ArrayList<>();
        for (int i = 0; i < view.headers().size(); i++) {
            String column = view.headers().get(i);
            String selected = "";
            String extras = null;
            for (Map.Entry<String, FieldSource> entry : view.mapping().fields().entrySet()) {
                if (entry.getValue() != null && column.equals(entry.getValue().column())) {
                    selected = entry.getKey();
                    extras = entry.getValue().plainColumn() ? null : extras(entry.getValue());
                    break;
                }
            }
            WideColumn wide = view.mapping().columns() == null
                    ? null
                    : view.mapping().columns().get(column);
            if (wide != null && entity.wide() != null) {
                selected = CsvMapping.WIDE_CHOICE;
                extras = entity.wide().keyName() + " " + wide.key()
                        + (wide.multiply() == null
                                ? ""
                                : ", × " + wide.multiply().stripTrailingZeros().toPlainString())
                        + (wide.values() == null ? "" : ", values " + wide.values());
            }
            int index = i;
            List<String> samples = view.preview().stream()
                    .limit(3)
                    .map(r -> index < r.cells().size() ? r.cells().get(index) : "")
                    .toList();
            columns.add(new ColumnRow(i, column, samples, selected, extras));
        }
        List<FixedValue> fixed = new ArrayList<>();
        for (CsvField field : entity.fields()) {
            if (view.mapping().wide()
                    && entity.wide() != null
                    && (field.name().equals(entity.wide().keyField())
                            || field.name().equals(CsvEntity.VALUE))) {
                continue; // each wide column gives these
            }
            FieldSource source = view.mapping().fields().get(field.name());
            boolean unmappedRequired =
                    field.required() && (source == null || source.column() == null && source.template() == null);
            if (unmappedRequired || (source != null && source.column() == null && source.template() == null)) {
                fixed.add(new FixedValue(
                        field.name(), field.label(), source == null ? "" : source.fallback(), field.required()));
            }
        }
        model.addAttribute("view", view);
        model.addAttribute("entity", entity);
        model.addAttribute("columns", columns);
        model.addAttribute("fixedValues", fixed);
        model.addAttribute(
                "templated",
                view.mapping().fields().entrySet().stream()
                        .filter(e -> e.getValue() != null && e.getValue().template() != null)
                        .map(e -> e.getKey() + " = " + e.getValue().template())
                        .toList());
        if (!model.containsAttribute("yamlText")) {
            model.addAttribute("yamlText", MappingDocuments.yaml(view.mapping(), json));
        }
        model.addAttribute("mapFields", entity.mapFields());
        model.addAttribute(
                "wideKey", entity.wide() == null ? null : entity.wide().keyName());
        RowCondition skip = view.mapping().skip();
        RowCondition keep = view.mapping().keep();
        RowCondition shown = skip != null ? skip : keep;
        model.addAttribute("conditionMode", shown == null ? "all" : skip != null ? "skip" : "keep");
        model.addAttribute("conditionColumn", shown == null ? "" : shown.column());
        model.addAttribute(
                "conditionValues",
                shown == null
                        ? ""
                        : String.join(
                                ", ",
                                shown.equalTo() != null
                                        ? List.of(shown.equalTo())
                                        : shown.in() == null ? List.of() : shown.in()));
        // Both at once are written in YAML; the form would lose one of them.
        model.addAttribute("conditionInYamlOnly", skip != null && keep != null);
        return PAGE + " :: step";
    }

    private static String extras(FieldSource source) {
        List<String> parts = new ArrayList<>();
        if (source.multiply() != null) {
            parts.add("× " + source.multiply().stripTrailingZeros().toPlainString());
        }
        if (source.values() != null) {
            parts.add("values " + source.values());
        }
        if (source.fallback() != null) {
            parts.add("if empty: " + source.fallback());
        }
        if (source.via() != null) {
            parts.add("via " + source.via());
        }
        return String.join(", ", parts);
    }
}
