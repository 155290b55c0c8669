package dev.steward.core;

import java.util.Collection;
import java.util.function.Function;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * One column of rows as an SQL array parameter, for set-based writes that {@code unnest} several such columns in
 * step: {@code insert ... select * from unnest(:accounts, :stages, ...)}.
 */
public final class SqlArrays {

    private SqlArrays() {}

    /** The values {@code value} takes from each row, in order, as an array of the SQL {@code type}. */
    public static <T> SqlArrayValue column(String type, Collection<T> rows, Function<? super T, ?> value) {
        return new SqlArrayValue(type, rows.stream().map(value).toArray());
    }
}
