package dev.steward.ingest.csv;

import dev.steward.core.InvalidInputException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;
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
        if (mapping.skip() != null) {
            document.put("skip", json.convertValue(mapping.skip(), Map.class));
        }
        if (mapping.keep() != null) {
            document.put("keep", json.convertValue(mapping.keep(), Map.class));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        mapping.fields().forEach((field, source) -> {
            if (source.plainColumn()) {
                fields.put(field, source.column());
            } else {
                Map<String, Object> parts = new LinkedHashMap<>();
                json.convertValue(source, Map.class).forEach((k, v) -> parts.put((String) k, plain(v)));
                fields.put(field, parts);
            }
        });
        document.put("fields", fields);
        if (mapping.columns() != null) {
            Map<String, Object> columns = new LinkedHashMap<>();
            mapping.columns()
                    .forEach((column, wide) -> columns.put(column, plain(json.convertValue(wide, Object.class))));
            document.put("columns", columns);
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        return new Yaml(new Representer(options), options).dump(document);
    }

    /** Numbers as written by hand ({@code 12}, not {@code 12.0}), inside maps too. */
    private static Object plain(Object value) {
        if (value instanceof Number number) {
            return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, plain(v)));
            return copy;
        }
        return value;
    }

    /**
     * YAML read the way a mapping means it: {@code Yes}, {@code No}, {@code On} and {@code Off} are text (cells such
     * as a Churned column's), not YAML 1.1's booleans, and {@code 2024-06-30} stays the date as written; only {@code
     * true} and {@code false} are yes/no.
     */
    private static final class MappingResolver extends Resolver {

        private static final Pattern TRUE_OR_FALSE = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, TRUE_OR_FALSE, "tTfF");
            addImplicitResolver(Tag.INT, Resolver.INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, Resolver.FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, Resolver.MERGE, "<");
            addImplicitResolver(Tag.NULL, Resolver.NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, Resolver.EMPTY, null);
        }
    }

    private static <T> T read(String yaml, String what, Class<T> type, ObjectMapper json) {
        Object document;
        try {
            LoaderOptions loading = new LoaderOptions();
            document = new Yaml(
                            new SafeConstructor(loading),
                            new Representer(new DumperOptions()),
                            new DumperOptions(),
                            loading,
                            new MappingResolver())
                    .load(yaml);
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
                                    : " with fields (and skip, keep, columns; for usage duplicates and createMetrics)"));
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
