package dev.steward.ingest.csv;

import dev.steward.core.InvalidInputException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Mappings and import plans as YAML, the way people write them by hand: a field is the column's name, or a small
 * map ({@code {column: mrr_amount, multiply: 12}}); a plan lists the files of an export in the order to import them.
 */
final class MappingDocuments {

    private MappingDocuments() {}

    /** The files of a multi-table export, in order, with the kind of record and mapping of each. */
    record ImportPlan(String source, List<PlanFile> files) {

        ImportPlan {
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    /** One file of a plan; without a mapping the one saved for the source (or else suggested) is used. */
    record PlanFile(String file, String entity, CsvMapping mapping, Boolean atomic) {}

    static CsvMapping mapping(String yaml, ObjectMapper json) {
        return read(yaml, "mapping", CsvMapping.class, json);
    }

    static ImportPlan plan(String yaml, ObjectMapper json) {
        return read(yaml, "plan", ImportPlan.class, json);
    }

    /** The mapping as YAML, plain columns written in the short form. */
    static String yaml(CsvMapping mapping, ObjectMapper json) {
        Map<String, Object> document = new LinkedHashMap<>();
        if (mapping.duplicates() != null) {
            document.put("duplicates", mapping.duplicates().name());
        }
        if (mapping.createMetrics() != null) {
            document.put("createMetrics", mapping.createMetrics());
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        mapping.fields().forEach((field, source) -> {
            if (source.plainColumn()) {
                fields.put(field, source.column());
            } else {
                Map<String, Object> parts = new LinkedHashMap<>();
                json.convertValue(source, Map.class)
                        .forEach((k, v) -> parts.put(
                                (String) k,
                                v instanceof Number number
                                        ? new BigDecimal(number.toString())
                                                .stripTrailingZeros()
                                                .toPlainString()
                                        : v));
                fields.put(field, parts);
            }
        });
        document.put("fields", fields);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        return new Yaml(new Representer(options), options).dump(document);
    }

    private static <T> T read(String yaml, String what, Class<T> type, ObjectMapper json) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (MarkedYAMLException e) {
            throw new InvalidInputException(
                    what,
                    "is not valid YAML at line " + (e.getProblemMark().getLine() + 1) + ", column "
                            + (e.getProblemMark().getColumn() + 1) + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new InvalidInputException(what, "is not valid YAML: " + e.getMessage());
        }
        if (!(document instanceof Map)) {
            throw new InvalidInputException(
                    what,
                    "must be a YAML map"
                            + (what.equals("plan")
                                    ? " with source and files"
                                    : " with fields (and, for usage, duplicates and createMetrics)"));
        }
        try {
            return json.convertValue(document, type);
        } catch (JacksonException e) {
            throw new InvalidInputException(
                    what,
                    e.getOriginalMessage()
                            + (e.getPathReference() == null ? "" : " (at " + e.getPathReference() + ")"));
        }
    }
}
