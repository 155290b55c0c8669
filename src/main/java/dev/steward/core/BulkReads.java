package dev.steward.core;

import java.sql.PreparedStatement;
import java.util.Map;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;

/**
 * Reads of many rows at once (scoring every account, backtests) with binary transfer from a statement's first
 * execution: uuids, timestamps and bytea arrive as bytes rather than as text the driver parses. The driver otherwise
 * switches to binary only after five executions of the same statement object, and Spring prepares a new one each time.
 */
public final class BulkReads {

    private BulkReads() {}

    /** Runs the query with these named parameters ({@code :name}), handing each row to the handler. */
    public static void query(JdbcTemplate template, String sql, Map<String, ?> parameters, RowCallbackHandler rows) {
        MapSqlParameterSource source = new MapSqlParameterSource(parameters);
        ParsedSql parsed = NamedParameterUtils.parseSqlStatement(sql);
        String positional = NamedParameterUtils.substituteNamedParameters(parsed, source);
        Object[] values = NamedParameterUtils.buildValueArray(parsed, source, null);
        template.query(
                connection -> {
                    PreparedStatement statement = connection.prepareStatement(positional);
                    statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
                    new ArgumentPreparedStatementSetter(values).setValues(statement);
                    return statement;
                },
                rows);
    }
}
