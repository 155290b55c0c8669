package dev.steward.ingest.csv;

import dev.steward.core.Digests;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the cells of one row into the typed values of a record's fields, as a mapping says, and lists every cell
 * that cannot be read with its column, field, value and reason. Built once per file; {@link #convert} runs per row.
 */
final class RowConverter {

    private static final Pattern METRIC_KEY = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*[;|]\\s*");

    private final CsvEntity entity;
    private final List<String> header;
    private final List<Plan> plans = new ArrayList<>();
    private final List<WidePlan> widePlans = new ArrayList<>();
    private final Test skip;
    private final Test keep;

    /** A problem with one cell (or, with no column, with the row), in words a person can act on. */
    record Problem(String column, String field, String value, String reason) {}

    /**
     * One value of a wide row: the column it was read from, the key it is stored under (a metric, an attribute's
     * name) and the value read.
     */
    record WideValue(String column, String key, Object value) {}

    /**
     * The values read from a row, by field name, and the problems found; the row is good when there are none. A wide
     * row also has its values, one per non-empty mapped cell; a row the mapping's condition leaves out is {@code
     * skipped} and nothing else is read from it.
     */
    record Converted(Map<String, Object> values, List<Problem> problems, List<WideValue> wide, boolean skipped) {

        Converted(Map<String, Object> values, List<Problem> problems) {
            this(values, problems, null, false);
        }

        static final Converted SKIPPED = new Converted(Map.of(), List.of(), null, true);

        boolean good() {
            return !skipped && problems.isEmpty();
        }
    }

    /** A condition as tested: the column's index and the values it matches, as compared. */
    private record Test(int column, java.util.Set<String> values) {

        static Test of(RowCondition condition, List<String> header) {
            return condition == null || !header.contains(condition.column())
                    ? null
                    : new Test(header.indexOf(condition.column()), condition.comparedValues());
        }

        boolean matches(String[] cells) {
            return values.contains(RowCondition.compared(column < cells.length ? cells[column] : null));
        }
    }

    RowConverter(CsvEntity entity, CsvMapping mapping, List<String> header) {
        this.entity = entity;
        this.header = header;
        mapping.fields().forEach((name, source) -> plans.add(plan(name, source)));
        // Defaults that derive from another field are worked out after the fields they derive from.
        plans.sort((a, b) -> Boolean.compare(a.derivedFrom != null, b.derivedFrom != null));
        if (mapping.columns() != null && entity.wide() != null) {
            CsvField value = entity.field(CsvEntity.VALUE).orElseThrow();
            mapping.columns()
                    .forEach((column, wide) -> widePlans.add(new WidePlan(
                            header.indexOf(column),
                            column,
                            wide.key(),
                            value.type(),
                            wide.multiply(),
                            replacements(wide.values()))));
        }
        this.skip = Test.of(mapping.skip(), header);
        this.keep = Test.of(mapping.keep(), header);
    }

    /**
     * Converts a row as read: a cell a field is read from that held bytes the file's character set cannot decode, or
     * the NUL character, refuses the row naming the column, rather than being stored altered.
     */
    Converted convert(CsvReader.Row row) {
        String[] cells = row.cells();
        if ((skip != null && skip.matches(cells)) || (keep != null && !keep.matches(cells))) {
            return Converted.SKIPPED;
        }
        return convert(row.number(), cells, row.undecodable());
    }

    private Converted convert(long number, String[] cells, BitSet undecodable) {
        Map<String, Object> values = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>(0);
        if (cells.length > header.size() && !allBlank(cells, header.size())) {
            problems.add(new Problem(
                    null,
                    null,
                    null,
                    "has " + cells.length + " cells but the header names " + header.size()
                            + " columns; a value holding the separator must be in double quotes"));
            return new Converted(values, problems);
        }
        for (Plan plan : plans) {
            String raw = plan.raw(cells, number);
            if (undecodable != null && plan.readsAny(undecodable)) {
                problems.add(new Problem(
                        plan.columnName(),
                        plan.field.name(),
                        raw,
                        "holds bytes the file's character set cannot decode (shown as " + CsvReader.REPLACEMENT
                                + "), such as an encoded lone surrogate; they are refused, not replaced: fix the"
                                + " file's encoding (save it as UTF-8)"));
                continue;
            }
            if (raw != null && raw.indexOf('\0') >= 0) {
                problems.add(new Problem(
                        plan.columnName(),
                        plan.field.name(),
                        raw,
                        "holds the NUL character (byte 0x00) at position " + (raw.indexOf('\0') + 1)
                                + ", which cannot be stored; remove it"));
                continue;
            }
            try {
                Object value = plan.read(raw, values);
                if (value != null) {
                    values.put(plan.field.name(), value);
                } else if (plan.field.required()) {
                    problems.add(new Problem(
                            plan.columnName(),
                            plan.field.name(),
                            raw,
                            "is empty; " + plan.field.name() + " is required"));
                }
            } catch (CsvValues.Refused refused) {
                problems.add(new Problem(plan.columnName(), plan.field.name(), raw, refused.getMessage()));
            }
        }
        if (widePlans.isEmpty()) {
            return new Converted(values, problems);
        }
        List<WideValue> wide = new ArrayList<>(widePlans.size());
        for (WidePlan plan : widePlans) {
            String raw = plan.column >= 0 && plan.column < cells.length ? cells[plan.column] : null;
            if (undecodable != null && plan.column >= 0 && undecodable.get(plan.column)) {
                problems.add(new Problem(
                        plan.name,
                        plan.key,
                        raw,
                        "holds bytes the file's character set cannot decode; fix the file's"
                                + " encoding (save it as UTF-8)"));
                continue;
            }
            try {
                Object value = plan.read(raw);
                if (value != null) {
                    wide.add(new WideValue(plan.name, plan.key, value));
                }
            } catch (CsvValues.Refused refused) {
                problems.add(new Problem(plan.name, plan.key, raw, refused.getMessage()));
            }
        }
        return new Converted(values, problems, wide, false);
    }

    /** How the cells of one column of a wide file are read. */
    private static final class WidePlan {
        final int column;
        final String name;
        final String key;
        final CsvField.Type type;
        final BigDecimal multiply;
        final Map<String, String> values;

        WidePlan(
                int column,
                String name,
                String key,
                CsvField.Type type,
                BigDecimal multiply,
                Map<String, String> values) {
            this.column = column;
            this.name = name;
            this.key = key;
            this.type = type;
            this.multiply = multiply;
            this.values = values;
        }

        /** The cell's number, or null for an empty cell: an empty cell is no value, never zero. */
        BigDecimal read(String raw) {
            String text = CsvValues.text(raw);
            if (values != null) {
                String replaced = replace(values, text);
                text = replaced == null ? text : CsvValues.text(replaced);
            }
            if (text == null) {
                return null;
            }
            BigDecimal number = type == CsvField.Type.NUMBER_OR_YES_NO ? numberOrYesNo(text) : CsvValues.decimal(text);
            return multiply == null ? number : number.multiply(multiply);
        }
    }

    /** A number, or yes/no as 1/0; refused naming both forms. */
    static BigDecimal numberOrYesNo(String text) {
        try {
            return CsvValues.decimal(text);
        } catch (CsvValues.Refused notANumber) {
            try {
                return CsvValues.bool(text) ? BigDecimal.ONE : BigDecimal.ZERO;
            } catch (CsvValues.Refused notYesNo) {
                throw new CsvValues.Refused("'" + text + "' is neither a number (" + CsvValues.NUMBER_FORMS
                        + ") nor yes/no (" + CsvValues.BOOLEAN_FORMS + "); to translate other values, give the column"
                        + " a values map such as {key: contract_months, values: {Month-to-month: 1, One year: 12}}");
            }
        }
    }

    private static Map<String, String> replacements(Map<String, String> given) {
        if (given == null) {
            return null;
        }
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, String> entry : given.entrySet()) {
            values.put(entry.getKey().strip(), entry.getValue());
            values.putIfAbsent(entry.getKey().strip().toLowerCase(Locale.ROOT), entry.getValue());
        }
        return values;
    }

    private static String replace(Map<String, String> values, String text) {
        if (text == null) {
            return values.get("");
        }
        String replaced = values.get(text);
        if (replaced == null) {
            replaced = values.get(text.toLowerCase(Locale.ROOT));
        }
        return replaced == null ? values.get("*") : replaced;
    }

    /** The column a field is read from, to name it in a problem the bulk API reports about that field. */
    String columnOf(String field) {
        for (Plan plan : plans) {
            if (plan.field.name().equals(field)) {
                return plan.columnName();
            }
        }
        return null;
    }

    /** The cell a field was read from, to quote it in a problem the bulk API reports about that field. */
    String cellOf(String field, CsvReader.Row row) {
        for (Plan plan : plans) {
            if (plan.field.name().equals(field)) {
                return plan.raw(row.cells(), row.number());
            }
        }
        return null;
    }

    /** How a field's value is made, when it is made from the row: "a hash of a, b" or "the row number"; else null. */
    String generatedFrom(String field) {
        for (Plan plan : plans) {
            if (plan.field.name().equals(field) && plan.hash != null) {
                return "a hash of " + String.join(", ", plan.hashNames);
            }
            if (plan.field.name().equals(field) && plan.rowNumber) {
                return "the row number";
            }
        }
        return null;
    }

    private static boolean allBlank(String[] cells, int from) {
        for (int i = from; i < cells.length; i++) {
            if (!cells[i].isBlank()) {
                return false;
            }
        }
        return true;
    }

    private Plan plan(String name, FieldSource source) {
        CsvField field = entity.field(name).orElseThrow();
        int column = source.column() == null ? -1 : header.indexOf(source.column());
        int[] hash = source.hash() == null
                ? null
                : source.hash().stream().mapToInt(header::indexOf).toArray();
        List<Object> template = null;
        if (source.template() != null) {
            template = new ArrayList<>();
            Matcher matcher = Pattern.compile("\\{([^{}]+)}").matcher(source.template());
            int at = 0;
            while (matcher.find()) {
                template.add(source.template().substring(at, matcher.start()));
                template.add(header.indexOf(matcher.group(1)));
                at = matcher.end();
            }
            template.add(source.template().substring(at));
        }
        String constant = null;
        String derivedFrom = null;
        long amount = 0;
        ChronoUnit unit = null;
        if (source.fallback() != null) {
            Matcher derived =
                    CsvMapping.DERIVED_DEFAULT.matcher(source.fallback().strip());
            if (derived.matches() && entity.field(derived.group(1)).isPresent()) {
                derivedFrom = derived.group(1);
                amount = Long.parseLong(derived.group(2));
                unit = derived.group(3).startsWith("day")
                        ? ChronoUnit.DAYS
                        : derived.group(3).startsWith("month") ? ChronoUnit.MONTHS : ChronoUnit.YEARS;
            } else {
                constant = source.fallback();
            }
        }
        Map<String, String> values = replacements(source.values());
        String described = column >= 0
                ? source.column()
                : source.template() != null
                        ? source.template()
                        : hash != null ? String.join(", ", source.hash()) : null;
        return new Plan(
                field,
                column,
                described,
                hash,
                source.hash(),
                Boolean.TRUE.equals(source.rowNumber()),
                template,
                constant,
                derivedFrom,
                amount,
                unit,
                source.multiply(),
                values);
    }

    /** How one field is read. */
    private static final class Plan {
        final CsvField field;
        final int column;
        final String name;
        final int[] hash;
        final List<String> hashNames;
        final boolean rowNumber;
        final List<Object> template;
        final String constant;
        final String derivedFrom;
        final long amount;
        final ChronoUnit unit;
        final BigDecimal multiply;
        final Map<String, String> values;
        /** Files name few metrics in many rows: each is made a key once. */
        final Map<String, String> metrics = new HashMap<>();

        Plan(
                CsvField field,
                int column,
                String name,
                int[] hash,
                List<String> hashNames,
                boolean rowNumber,
                List<Object> template,
                String constant,
                String derivedFrom,
                long amount,
                ChronoUnit unit,
                BigDecimal multiply,
                Map<String, String> values) {
            this.field = field;
            this.column = column;
            this.name = name;
            this.hash = hash;
            this.hashNames = hashNames;
            this.rowNumber = rowNumber;
            this.template = template;
            this.constant = constant;
            this.derivedFrom = derivedFrom;
            this.amount = amount;
            this.unit = unit;
            this.multiply = multiply;
            this.values = values;
        }

        String columnName() {
            return name;
        }

        /** Whether this field is read from any of the marked columns. */
        boolean readsAny(BitSet columns) {
            if (hash != null) {
                for (int index : hash) {
                    if (index >= 0 && columns.get(index)) {
                        return true;
                    }
                }
                return false;
            }
            if (template != null) {
                for (Object part : template) {
                    if (part instanceof Integer index && index >= 0 && columns.get(index)) {
                        return true;
                    }
                }
                return false;
            }
            return column >= 0 && columns.get(column);
        }

        String raw(String[] cells, long number) {
            if (rowNumber) {
                return Long.toString(number);
            }
            if (hash != null) {
                return hash(cells);
            }
            if (template != null) {
                StringBuilder text = new StringBuilder();
                for (Object part : template) {
                    if (part instanceof Integer index) {
                        String cell = index < cells.length ? CsvValues.text(cells[index]) : null;
                        if (cell == null) {
                            return null;
                        }
                        text.append(cell);
                    } else {
                        text.append(part);
                    }
                }
                return text.toString();
            }
            return column >= 0 && column < cells.length ? cells[column] : null;
        }

        Object read(String raw, Map<String, Object> read) {
            String text = CsvValues.text(raw);
            if (values != null) {
                String replaced = replace(text);
                text = replaced == null ? text : CsvValues.text(replaced);
            }
            if (text == null && derivedFrom != null) {
                return derive(read.get(derivedFrom));
            }
            if (text == null) {
                text = constant;
            }
            if (text == null) {
                return null;
            }
            return switch (field.type()) {
                case TEXT -> text;
                case INTEGER ->
                    multiply == null
                            ? CsvValues.integer(text)
                            : CsvValues.integer(
                                    CsvValues.decimal(text).multiply(multiply).toPlainString());
                case DECIMAL ->
                    multiply == null
                            ? CsvValues.decimal(text)
                            : CsvValues.decimal(text).multiply(multiply);
                case DATE -> CsvValues.date(text);
                case INSTANT -> CsvValues.instant(text);
                case BOOLEAN -> CsvValues.bool(text);
                case UUID -> uuid(text);
                case CHOICE -> choice(text);
                case LIST -> Arrays.asList(LIST_SEPARATOR.split(text));
                case METRIC -> metrics.computeIfAbsent(text, Plan::metric);
                case NUMBER_OR_YES_NO ->
                    multiply == null ? numberOrYesNo(text) : numberOrYesNo(text).multiply(multiply);
            };
        }

        private String replace(String text) {
            return RowConverter.replace(values, text);
        }

        /**
         * The first 96 bits of the SHA-256 of the cells (without surrounding spaces), in hex: the same cells give the
         * same id in every import; rows whose cells are all empty have none.
         */
        private String hash(String[] cells) {
            StringBuilder joined = new StringBuilder();
            boolean any = false;
            for (int i = 0; i < hash.length; i++) {
                String cell = hash[i] >= 0 && hash[i] < cells.length ? CsvValues.text(cells[hash[i]]) : null;
                any |= cell != null;
                if (i > 0) {
                    joined.append('\u001f');
                }
                joined.append(cell == null ? "" : cell);
            }
            if (!any) {
                return null;
            }
            return Digests.sha256Hex(joined.toString()).substring(0, 24);
        }

        private Object derive(Object from) {
            if (from instanceof LocalDate date) {
                LocalDate result = date.plus(amount, unit);
                return field.type() == CsvField.Type.DATE
                        ? result
                        : result.atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (from instanceof Instant instant) {
                Instant result =
                        instant.atOffset(ZoneOffset.UTC).plus(amount, unit).toInstant();
                return field.type() == CsvField.Type.INSTANT ? result : LocalDate.ofInstant(result, ZoneOffset.UTC);
            }
            return null;
        }

        private static UUID uuid(String text) {
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                throw new CsvValues.Refused("'" + text + "' is not a Steward id (a UUID such as"
                        + " 0190f5a4-7b9e-7c3d-8a21-5e4f6a7b8c9d)");
            }
        }

        private String choice(String text) {
            String key = text.toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
            for (String allowed : field.allowed()) {
                if (allowed.equals(key)) {
                    return allowed;
                }
            }
            throw new CsvValues.Refused("'" + text + "' is not one of " + String.join(", ", field.allowed())
                    + "; to translate the file's values, give the field a values map such as {" + text + ": "
                    + field.allowed().get(0) + "}");
        }

        private static String metric(String text) {
            if (METRIC_KEY.matcher(text).matches()) {
                return text;
            }
            String key = text.toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9.]+", "_")
                    .replaceAll("_*\\._*", ".")
                    .replaceAll("^[_.]+|[_.]+$", "");
            if (!METRIC_KEY.matcher(key).matches()) {
                throw new CsvValues.Refused("'" + text + "' cannot be a metric key: keys are lower-case words joined"
                        + " by '_' or '.' and start with a letter, such as feature.reports");
            }
            return key;
        }
    }
}
