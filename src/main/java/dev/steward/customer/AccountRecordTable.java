package dev.steward.customer;

import dev.steward.core.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * The statements every table of records that belong to an account shares (contacts, contracts, opportunities),
 * written from its column names; set-based so that bulk writes stay fast.
 *
 * @param <R> a row to write: the stored fields, {@code id} first
 * @param <T> a record as read back
 */
abstract class AccountRecordTable<R, T> {

    final JdbcClient jdbc;
    private final Clock clock;
    private final String table;
    private final RowMapper<T> mapper;
    private final List<Column<R>> written;
    private final String columns;
    private final String values;
    private final String assignments;
    private final String changed;
    private final String inserted;
    private final String stamps;

    /** A written column: its name, the SQL type of its bind array, and its value in a row. */
    record Column<R>(String name, String type, Function<R, Object> value) {}

    /** {@code written} are the columns a row fills, {@code id} first. */
    AccountRecordTable(JdbcClient jdbc, Clock clock, String table, List<Column<R>> written, RowMapper<T> mapper) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.table = table;
        this.mapper = mapper;
        this.written = List.copyOf(written);
        List<String> columns = written.stream().map(Column::name).toList();
        List<String> fields = columns.subList(1, columns.size());
        this.columns = "(" + String.join(", ", columns) + ")";
        this.values = columns.stream().map(c -> ":" + c).collect(Collectors.joining(", ", "unnest(", ") as v"))
                + this.columns;
        this.assignments = fields.stream().map(c -> c + " = v." + c).collect(Collectors.joining(", "))
                + ", version = t.version + 1, updated_at = :at";
        // A table may take its created_at from the source (opportunities); otherwise the row is created now.
        boolean created = columns.contains("created_at");
        this.inserted = "(" + String.join(", ", columns) + (created ? "" : ", created_at") + ", updated_at)";
        this.stamps = created ? ":at" : ":at, :at";
        this.changed = fields.stream().map(c -> "t." + c).collect(Collectors.joining(", ", "(", ")"))
                + " is distinct from "
                + fields.stream().map(c -> "v." + c).collect(Collectors.joining(", ", "(", ")"));
    }

    /** One array per column, named after it, holding the rows' values in order; unnest turns them into rows. */
    private Map<String, Object> parameters(List<R> rows) {
        Map<String, Object> params = new HashMap<>();
        for (Column<R> column : written) {
            Object[] values = rows.stream().map(column.value()).toArray();
            params.put(column.name(), new SqlArrayValue(column.type(), values));
        }
        params.put("at", Timestamp.from(clock.instant()));
        return params;
    }

    Optional<T> find(UUID id) {
        return jdbc.sql("select * from " + table + " where id = ?")
                .param(id)
                .query(mapper)
                .optional();
    }

    List<T> findAll(Collection<UUID> ids) {
        return jdbc.sql("select * from " + table + " where id = any(?)")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query(mapper)
                .list();
    }

    /** Ids for external ids of one source; ids not known are absent from the map. */
    Map<String, UUID> idsByExternalId(String source, Collection<String> externalIds) {
        Map<String, UUID> found = new HashMap<>();
        if (externalIds.isEmpty()) {
            return found;
        }
        jdbc.sql("select external_id, id from " + table + " where source = ? and external_id = any(?)")
                .params(source, new SqlArrayValue("text", externalIds.toArray()))
                .query((rs, n) -> found.put(rs.getString(1), rs.getObject(2, UUID.class)))
                .list();
        return found;
    }

    /**
     * Inserts the rows, except those whose (source, external id) another record already holds: the unique key decides
     * between writers that both found an external id unknown. Returns the ids of the rows inserted; a caller that meant
     * to create the others learns that someone stored them first. Rows go in in key order, so that writers inserting
     * the same keys queue behind each other rather than deadlock.
     */
    Set<UUID> insert(List<R> rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql(
                        "insert into " + table + " " + inserted + " select v.*, " + stamps + " from " + values
                                + " order by v.source, v.external_id on conflict (source, external_id) do nothing returning id")
                .params(parameters(rows))
                .query(UUID.class)
                .list());
    }

    /** Updates the rows that differ from what is stored and returns the ids of those that changed. */
    Set<UUID> updateChanged(List<R> rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("update " + table + " t set " + assignments + " from " + values
                        + " where t.id = v.id and " + changed + " returning t.id")
                .params(parameters(rows))
                .query(UUID.class)
                .list());
    }

    /** Replaces one record's fields if it is still at the expected version; false when it was not. */
    boolean update(R row, long expectedVersion) {
        Map<String, Object> params = parameters(List.of(row));
        params.put("expected", expectedVersion);
        return jdbc.sql("update " + table + " t set " + assignments + " from " + values
                                + " where t.id = v.id and t.version = :expected")
                        .params(params)
                        .update()
                == 1;
    }

    boolean delete(UUID id, long expectedVersion) {
        return jdbc.sql("delete from " + table + " where id = ? and version = ?")
                        .params(id, expectedVersion)
                        .update()
                == 1;
    }

    /** The record's version; a record deleted meanwhile (a change racing a delete) is not found. */
    long version(UUID id) {
        return jdbc.sql("select version from " + table + " where id = ?")
                .param(id)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new NotFoundException(table, id));
    }
}
