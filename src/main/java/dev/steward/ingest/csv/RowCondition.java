package dev.steward.ingest.csv;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.steward.core.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which rows a mapping skips or keeps: those whose cell in {@code column} is one of the values ({@code equals} one
 * value, or {@code in} a list; {@code ""} is an empty cell). Cells are compared without surrounding spaces and
 * ignoring case, before anything else is read from the row, so a row skipped is never checked nor counted as
 * rejected.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RowCondition(String column, @JsonProperty("equals") String equalTo, List<String> in) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    RowCondition {
        in = in == null
                ? null
                : List.copyOf(in.stream().map(v -> v == null ? "" : v).toList());
    }

    static RowCondition equalTo(String column, String value) {
        return new RowCondition(column, value, null);
    }

    static RowCondition in(String column, List<String> values) {
        return new RowCondition(column, null, values);
    }

    /** The values the cell is compared with, as compared: stripped and in lower case. */
    Set<String> comparedValues() {
        List<String> values = equalTo != null ? List.of(equalTo) : in == null ? List.of() : in;
        return values.stream().map(RowCondition::compared).collect(Collectors.toUnmodifiableSet());
    }

    /** The values as a person reads them: {@code 'Yes'} or {@code 'Yes', 'Y'}, an empty cell as {@code ''}. */
    String valuesText() {
        List<String> values = equalTo != null ? List.of(equalTo) : in == null ? List.of() : in;
        return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
    }

    static String compared(String cell) {
        return cell == null ? "" : cell.strip().toLowerCase(Locale.ROOT);
    }

    /** What is wrong with this condition for a file with these columns; {@code at} is {@code skip} or {@code keep}. */
    List<FieldError> problems(String at, List<String> header) {
        List<FieldError> problems = new ArrayList<>();
        if (column == null || column.isBlank()) {
            problems.add(FieldError.of(
                    at + ".column",
                    "name the column whose value decides; its columns are " + String.join(", ", header)));
        } else if (!header.contains(column)) {
            problems.add(FieldError.of(
                    at + ".column",
                    "the file has no column '" + column + "'; its columns are " + String.join(", ", header)));
        }
        if (equalTo == null && in == null) {
            problems.add(FieldError.of(
                    at,
                    "give the values the column is tested for: equals (one value, \"\" for an empty cell) or in"
                            + " (a list), such as {column: Churned, equals: \"No\"}"));
        } else if (equalTo != null && in != null) {
            problems.add(FieldError.of(at, "give either equals or in, not both"));
        } else if (in != null && in.isEmpty()) {
            problems.add(FieldError.of(at + ".in", "list at least one value"));
        }
        return problems;
    }
}
