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
 * metrics the catalog lacks are added to it ({@code createMetrics}). Rows can be left out by a condition ({@code
 * skip} the rows it matches, {@code keep} only those it matches); a wide file (usage, account attributes) maps
 * several {@code columns}, each to a metric or attribute name, and gives one value per non-empty cell.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CsvMapping(
        Map<String, FieldSource> fields,
        Duplicates duplicates,
        Boolean createMetrics,
        RowCondition skip,
        RowCondition keep,
        Map<String, WideColumn> columns) {

    /** What to do with rows that repeat an account, metric and day. */
    enum Duplicates {
        reject,
        sum
    }

    static final Pattern DERIVED_DEFAULT =
            Pattern.compile("([A-Za-z][A-Za-z0-9]*)\\s*\\+\\s*(\\d+)\\s*(day|days|month|months|year|years)");
    private static final Pattern TEMPLATE_COLUMN = Pattern.compile("\\{([^{}]+)}");
    private static final Set<String> VIA = Set.of("accounts", "contracts");

    /** Most columns one wide mapping may map: each row's values are written together. */
    static final int MAX_COLUMNS = 1_000;

    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern METRIC_KEY = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    CsvMapping {
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        columns = columns == null || columns.isEmpty()
                ? null
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    CsvMapping(Map<String, FieldSource> fields, Duplicates duplicates, Boolean createMetrics) {
        this(fields, duplicates, createMetrics, null, null, null);
    }

    static CsvMapping of(Map<String, FieldSource> fields) {
        return new CsvMapping(fields, null, null);
    }

    /** Whether the file is wide: several columns mapped, each a value of its own. */
    boolean wide() {
        return columns != null;
    }

    CsvMapping withFields(Map<String, FieldSource> newFields) {
        return new CsvMapping(newFields, duplicates, createMetrics, skip, keep, columns);
    }

    CsvMapping withColumns(Map<String, WideColumn> newColumns) {
        return new CsvMapping(fields, duplicates, createMetrics, skip, keep, newColumns);
    }

    CsvMapping withConditions(RowCondition newSkip, RowCondition newKeep) {
        return new CsvMapping(fields, duplicates, createMetrics, newSkip, newKeep, columns);
    }

    /**
     * A key made from a column's name, as the page names a metric or attribute after its column: {@code Monthly
     * Charges} and {@code MonthlyCharges} become {@code monthly_charges}.
     */
    static String keyFromColumn(String column) {
        String key = column.strip()
                .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        if (key.isEmpty() || !Character.isLetter(key.charAt(0))) {
            key = "c_" + key;
        }
        return key;
    }

    Duplicates duplicatesOrDefault() {
        return duplicates == null ? Duplicates.reject : duplicates;
    }

    boolean createsMetrics() {
        return Boolean.TRUE.equals(createMetrics);
    }

    /**
     * The mapping a form gives: the field chosen per column (blank: not imported; {@code customFields.*}: a custom
     * field named after the column; {@code columns.*}: in a wide file, a value of its own under a key named after the
     * column) and values for fields no column fills. A field mapped from the same column before keeps its extras
     * (multiply, values, default, via); fields filled by a template, a hash or the row number stay, and so do the
     * conditions.
     */
    CsvMapping fromForm(List<String> header, Map<Integer, String> chosen, Map<String, String> defaults) {
        Map<String, FieldSource> mapped = new LinkedHashMap<>();
        Map<String, WideColumn> wideColumns = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String field = chosen.get(i);
            if (field == null || field.isBlank()) {
                continue;
            }
            String column = header.get(i);
            if (field.equals(WIDE_CHOICE)) {
                WideColumn before = columns == null ? null : columns.get(column);
                wideColumns.put(column, before != null ? before : WideColumn.of(keyFromColumn(column)));
                continue;
            }
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
            if (source != null && source.column() == null && (source.template() != null || source.generated())) {
                mapped.putIfAbsent(field, source);
            }
        });
        defaults.forEach((field, value) -> {
            String given = value == null || value.isBlank() ? null : value.strip();
            FieldSource source = mapped.get(field);
            if (source != null) {
                mapped.put(field, source.withDefault(given));
            } else if (given != null) {
                mapped.put(field, FieldSource.constant(given));
            }
        });
        return new CsvMapping(
                mapped, duplicates, createMetrics, skip, keep, wideColumns.isEmpty() ? null : wideColumns);
    }

    /** What the form's column choice says for a wide column. */
    static final String WIDE_CHOICE = "columns.*";

    /** The fields of this mapping that can be read from the file: known to the entity, with columns the file has. */
    CsvMapping usableFor(CsvEntity entity, List<String> header) {
        Map<String, FieldSource> usable = new LinkedHashMap<>();
        CsvMapping kept = keepingColumnsOf(header);
        kept.fields().forEach((field, source) -> {
            if (source != null && entity.field(field).isPresent()) {
                usable.put(field, source);
            }
        });
        return new CsvMapping(
                usable,
                duplicates,
                createMetrics,
                kept.skip() != null && kept.skip().problems("skip", header).isEmpty() ? kept.skip() : null,
                kept.keep() != null && kept.keep().problems("keep", header).isEmpty() ? kept.keep() : null,
                entity.wide() == null ? null : kept.columns());
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
            boolean hashKnown = source.hash() == null || header.containsAll(source.hash());
            if (columnKnown && templateKnown && hashKnown) {
                kept.put(field, source);
            }
        });
        Map<String, WideColumn> keptColumns = new LinkedHashMap<>();
        if (columns != null) {
            columns.forEach((column, wide) -> {
                if (header.contains(column)) {
                    keptColumns.put(column, wide);
                }
            });
        }
        // A condition stays even when its column went: importing the rows it was meant to leave out would be worse
        // than a mapping that asks to be fixed.
        return new CsvMapping(kept, duplicates, createMetrics, skip, keep, keptColumns.isEmpty() ? null : keptColumns);
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
            if (source.column() == null
                    && source.template() == null
                    && source.fallback() == null
                    && !source.generated()) {
                problems.add(FieldError.of(at, "give a column, a template, a hash, the row number or a default"));
            }
            long ways = java.util.stream.Stream.of(
                            source.column(),
                            source.template(),
                            source.hash(),
                            Boolean.TRUE.equals(source.rowNumber()) ? true : null)
                    .filter(java.util.Objects::nonNull)
                    .count();
            if (ways > 1) {
                problems.add(
                        FieldError.of(at, "give one of a column, a template, a hash or the row number, not several"));
            }
            if (source.rowNumber() != null && !source.rowNumber()) {
                problems.add(FieldError.of(at + ".rowNumber", "write rowNumber: true, or leave it out"));
            }
            if (source.generated() && field.get().type() != CsvField.Type.TEXT) {
                problems.add(FieldError.of(
                        at,
                        "only text fields such as externalId can be a hash or the row number; " + name + " is a "
                                + field.get().hint()));
            }
            if (source.hash() != null) {
                if (source.hash().isEmpty()) {
                    problems.add(FieldError.of(
                            at + ".hash", "list the columns that together tell the rows apart, such as [email, date]"));
                }
                source.hash().stream()
                        .filter(c -> !header.contains(c))
                        .forEach(c -> problems.add(FieldError.of(
                                at + ".hash",
                                "the file has no column '" + c + "'; its columns are " + String.join(", ", header))));
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
        if (skip != null) {
            problems.addAll(skip.problems("skip", header));
        }
        if (keep != null) {
            problems.addAll(keep.problems("keep", header));
        }
        CsvEntity.Wide wide = entity.wide();
        if (columns != null) {
            problems.addAll(columnProblems(entity, header));
        }
        for (CsvField field : entity.fields()) {
            boolean fromColumns = columns != null
                    && wide != null
                    && (field.name().equals(wide.keyField()) || field.name().equals(CsvEntity.VALUE));
            if (fromColumns) {
                if (fields.containsKey(field.name())) {
                    problems.add(FieldError.of(
                            "fields." + field.name(),
                            "comes from the columns in a wide mapping (each column's " + wide.keyName()
                                    + " and its cells); remove it from fields"));
                }
                continue;
            }
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

    /** What is wrong with the wide columns: a kind of record that is never wide, unknown columns, bad keys. */
    private List<FieldError> columnProblems(CsvEntity entity, List<String> header) {
        List<FieldError> problems = new ArrayList<>();
        CsvEntity.Wide wide = entity.wide();
        if (wide == null) {
            problems.add(FieldError.of(
                    "columns",
                    "only files of usage or account_attributes can be wide (one value per mapped column); "
                            + entity.name() + " files hold one record per row"));
            return problems;
        }
        if (columns.size() > MAX_COLUMNS) {
            problems.add(FieldError.of(
                    "columns", "maps " + columns.size() + " columns; at most " + MAX_COLUMNS + " per file"));
        }
        java.util.Set<String> fieldColumns = new java.util.HashSet<>();
        fields.values().stream()
                .filter(java.util.Objects::nonNull)
                .map(FieldSource::column)
                .filter(java.util.Objects::nonNull)
                .forEach(fieldColumns::add);
        Map<String, String> keys = new LinkedHashMap<>();
        columns.forEach((column, value) -> {
            String at = "columns." + column;
            if (!header.contains(column)) {
                problems.add(FieldError.of(
                        at, "the file has no column '" + column + "'; its columns are " + String.join(", ", header)));
            }
            if (fieldColumns.contains(column)) {
                problems.add(FieldError.of(
                        at, "is already read into a field; a column is either a field or a value of its own"));
            }
            String key = value == null ? null : value.key();
            if (key == null || key.isBlank()) {
                problems.add(FieldError.of(
                        at,
                        "give the " + wide.keyName() + " its cells are stored under, such as " + column + ": "
                                + keyFromColumn(column)));
                return;
            }
            boolean valid = wide.keyField().equals("metric")
                    ? METRIC_KEY.matcher(key).matches() && key.length() <= 100
                    : ATTRIBUTE_NAME.matcher(key).matches() && key.length() <= 100;
            if (!valid) {
                problems.add(FieldError.of(
                        at,
                        "'" + key + "' cannot be "
                                + (wide.keyField().equals("metric") ? "a metric key" : "an attribute" + " name")
                                + ": lower-case letters, digits and '_'"
                                + (wide.keyField().equals("metric") ? " (words joined by '.')" : "")
                                + ", starting with a letter, up to 100, such as " + keyFromColumn(key)));
            } else if (wide.keyField().equals("metric") && dev.steward.usage.UsageMetric.reservedReason(key) != null) {
                problems.add(FieldError.of(at, "'" + key + "': " + dev.steward.usage.UsageMetric.reservedReason(key)));
            }
            String before = keys.putIfAbsent(key, column);
            if (before != null) {
                problems.add(FieldError.of(
                        at,
                        "'" + key + "' is also the " + wide.keyName() + " of column '" + before + "'; each column"
                                + " needs its own"));
            }
            if (value.multiply() != null
                    && value.multiply().signum() < 0
                    && wide.keyField().equals("metric")) {
                problems.add(FieldError.of(at + ".multiply", "usage values are ≥ 0; multiply by a positive number"));
            }
        });
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
