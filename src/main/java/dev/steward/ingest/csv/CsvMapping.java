package dev.steward.ingest.csv;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.steward.core.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the columns of a file become one kind of record: each field and where its value comes from. For usage rows,
 * also what to do when the file holds the same account, metric and day more than once ({@code reject} the later
 * rows, or {@code sum} them, as when several subscriptions of one account report the same feature), and whether
 * metrics the catalog lacks are added to it ({@code createMetrics}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CsvMapping(Map<String, FieldSource> fields, Duplicates duplicates, Boolean createMetrics) {

    /** What to do with rows that repeat an account, metric and day. */
    enum Duplicates {
        reject,
        sum
    }

    static final Pattern DERIVED_DEFAULT =
            Pattern.compile("([A-Za-z][A-Za-z0-9]*)\\s*\\+\\s*(\\d+)\\s*(day|days|month|months|year|years)");
    private static final Pattern TEMPLATE_COLUMN = Pattern.compile("\\{([^{}]+)}");
    private static final Set<String> VIA = Set.of("accounts", "contracts");

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    CsvMapping {
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    static CsvMapping of(Map<String, FieldSource> fields) {
        return new CsvMapping(fields, null, null);
    }

    Duplicates duplicatesOrDefault() {
        return duplicates == null ? Duplicates.reject : duplicates;
    }

    boolean createsMetrics() {
        return Boolean.TRUE.equals(createMetrics);
    }

    /**
     * The mapping a form gives: the field chosen per column (blank: not imported; {@code customFields.*}: a custom
     * field named after the column) and values for fields no column fills. A field mapped from the same column
     * before keeps its extras (multiply, values, default, via); fields filled by a template stay.
     */
    CsvMapping withColumns(List<String> header, Map<Integer, String> chosen, Map<String, String> defaults) {
        Map<String, FieldSource> mapped = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String field = chosen.get(i);
            if (field == null || field.isBlank()) {
                continue;
            }
            String column = header.get(i);
            if (field.endsWith(".*")) {
                field = field.substring(0, field.length() - 1)
                        + column.strip()
                                .toLowerCase(java.util.Locale.ROOT)
                                .replaceAll("[^a-z0-9]+", "_")
                                .replaceAll("^_|_$", "");
            }
            FieldSource before = fields.get(field);
            mapped.putIfAbsent(
                    field, before != null && column.equals(before.column()) ? before : FieldSource.column(column));
        }
        fields.forEach((field, source) -> {
            if (source != null && source.column() == null && source.template() != null) {
                mapped.putIfAbsent(field, source);
            }
        });
        defaults.forEach((field, value) -> {
            String given = value == null || value.isBlank() ? null : value.strip();
            FieldSource source = mapped.get(field);
            if (source != null) {
                mapped.put(
                        field,
                        new FieldSource(
                                source.column(),
                                source.template(),
                                given,
                                source.multiply(),
                                source.values(),
                                source.via()));
            } else if (given != null) {
                mapped.put(field, FieldSource.constant(given));
            }
        });
        return new CsvMapping(mapped, duplicates, createMetrics);
    }

    /** The fields of this mapping that can be read from the file: known to the entity, with columns the file has. */
    CsvMapping usableFor(CsvEntity entity, List<String> header) {
        Map<String, FieldSource> usable = new LinkedHashMap<>();
        keepingColumnsOf(header).fields().forEach((field, source) -> {
            if (source != null && entity.field(field).isPresent()) {
                usable.put(field, source);
            }
        });
        return new CsvMapping(usable, duplicates, createMetrics);
    }

    /** The mapping without fields whose columns the file lacks: a saved mapping applied to a new file. */
    CsvMapping keepingColumnsOf(List<String> header) {
        Map<String, FieldSource> kept = new LinkedHashMap<>();
        fields.forEach((field, source) -> {
            if (source == null) {
                return;
            }
            boolean columnKnown = source.column() == null || header.contains(source.column());
            boolean templateKnown = source.template() == null
                    || templateColumns(source.template()).stream().allMatch(header::contains);
            if (columnKnown && templateKnown) {
                kept.put(field, source);
            }
        });
        return new CsvMapping(kept, duplicates, createMetrics);
    }

    /** What is wrong with this mapping for this kind of record and these columns, each naming the field. */
    List<FieldError> problems(CsvEntity entity, List<String> header) {
        List<FieldError> problems = new ArrayList<>();
        fields.forEach((name, source) -> {
            String at = "fields." + name;
            var field = entity.field(name);
            if (field.isEmpty()) {
                problems.add(FieldError.of(
                        at,
                        "is not a field of " + entity.name() + "; the fields are "
                                + String.join(
                                        ", ",
                                        entity.fields().stream()
                                                .map(CsvField::name)
                                                .toList())
                                + (entity.mapFields().isEmpty()
                                        ? ""
                                        : " and " + String.join(", ", entity.mapFields()) + ".<key>")));
                return;
            }
            if (source == null) {
                problems.add(FieldError.of(at, "give a column, a template or a default"));
                return;
            }
            if (source.column() == null && source.template() == null && source.fallback() == null) {
                problems.add(FieldError.of(at, "give a column, a template or a default"));
            }
            if (source.column() != null && source.template() != null) {
                problems.add(FieldError.of(at, "give either a column or a template, not both"));
            }
            if (source.column() != null && !header.contains(source.column())) {
                problems.add(FieldError.of(
                        at + ".column",
                        "the file has no column '" + source.column() + "'; its columns are "
                                + String.join(", ", header)));
            }
            if (source.template() != null) {
                List<String> columns = templateColumns(source.template());
                if (columns.isEmpty()) {
                    problems.add(FieldError.of(
                            at + ".template",
                            "names no column; write columns in braces, such as feature.{feature_name}"));
                }
                columns.stream()
                        .filter(c -> !header.contains(c))
                        .forEach(c -> problems.add(FieldError.of(
                                at + ".template",
                                "the file has no column '" + c + "'; its columns are " + String.join(", ", header))));
            }
            if (source.multiply() != null && !field.get().type().numeric()) {
                problems.add(FieldError.of(
                        at + ".multiply",
                        "only numbers can be multiplied; " + name + " is a "
                                + field.get().hint()));
            }
            if (source.via() != null) {
                if (!name.equals(CsvEntity.ACCOUNT_EXTERNAL_ID)) {
                    problems.add(FieldError.of(at + ".via", "only accountExternalId can go via other records"));
                } else if (!VIA.contains(source.via())) {
                    problems.add(FieldError.of(at + ".via", "must be one of " + VIA + ", got '" + source.via() + "'"));
                }
            }
            if (source.fallback() != null) {
                Matcher derived = DERIVED_DEFAULT.matcher(source.fallback().strip());
                if (derived.matches()) {
                    var from = entity.field(derived.group(1));
                    if (from.isEmpty()
                            || !from.get().type().temporal()
                            || !field.get().type().temporal()) {
                        problems.add(FieldError.of(
                                at + ".default",
                                "'" + source.fallback() + "' adds a period to a field; both " + name + " and "
                                        + derived.group(1) + " must be dates"));
                    }
                }
            }
        });
        for (CsvField field : entity.fields()) {
            if (field.required() && !fields.containsKey(field.name())) {
                problems.add(FieldError.of(
                        "fields." + field.name(),
                        "is required for " + entity.name() + "; map a column to it or give a default value"));
            }
        }
        if (entity.belongsToAccount()
                && !fields.containsKey(CsvEntity.ACCOUNT_EXTERNAL_ID)
                && !fields.containsKey(CsvEntity.ACCOUNT_ID)) {
            problems.add(FieldError.of(
                    "fields." + CsvEntity.ACCOUNT_EXTERNAL_ID,
                    "each record needs its account: map the column holding the account's id in the source to"
                            + " accountExternalId (or a Steward account id to accountId)"));
        }
        return problems;
    }

    static List<String> templateColumns(String template) {
        List<String> columns = new ArrayList<>();
        Matcher matcher = TEMPLATE_COLUMN.matcher(template);
        while (matcher.find()) {
            columns.add(matcher.group(1));
        }
        return columns;
    }
}
