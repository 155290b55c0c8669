package dev.steward.activity;

import dev.steward.core.FieldError;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.ObjectMapper;

/**
 * How one kind of activity is stored: its table, the column holding the time it became true, the columns written
 * from an input record, the rules an input must meet beyond bean validation, and how a row is read back. One
 * description per kind lets a single set-based writer, lister and timeline serve all of them.
 */
record FactTable<I extends ActivityInput, R>(
        String kind,
        String table,
        Class<I> inputType,
        String atColumn,
        boolean atIsDate,
        String titleSql,
        String summarySql,
        List<Column<I>> columns,
        Function<I, Instant> at,
        Function<I, List<FieldError>> rules,
        Reader<R> reader) {

    /** A column written from an input; {@code type} is the SQL type its text form is cast to. */
    record Column<I>(String name, String type, Function<I, Object> value) {}

    /** Reads one row; {@code today} is for values derived from the date, such as an invoice's days late. */
    @FunctionalInterface
    interface Reader<R> {
        R read(ResultSet rs, LocalDate today, ObjectMapper json) throws SQLException;
    }

    /** The time column as a timestamp, so that date-only facts sort among the others (at midnight UTC). */
    String atExpression() {
        return atIsDate ? "(" + atColumn + "::timestamp at time zone 'UTC')" : atColumn;
    }
}
