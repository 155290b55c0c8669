package dev.steward.customer;

import dev.steward.core.Cursor;
import dev.steward.core.InvalidInputException;
import dev.steward.core.Page;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keyset paging over one table aliased {@code t}: equality filters, a sort field chosen by name (prefix {@code -}
 * for descending) and the cursor of the previous page, the same way accounts are listed.
 */
final class Listing {

    /** The SQL expression a field sorts by and the type its cursor value is cast back to. */
    record Sort(String expression, String type) {}

    private final String table;
    private final Map<String, Sort> sorts;
    private final String defaultSort;

    Listing(String table, Map<String, Sort> sorts, String defaultSort) {
        this.table = table;
        this.sorts = sorts;
        this.defaultSort = defaultSort;
    }

    /** One page of rows whose columns equal the non-null values of {@code filters}. */
    <T> Page<T> page(
            JdbcClient jdbc,
            Map<String, Object> filters,
            String sort,
            Integer limit,
            String cursor,
            RowMapper<T> mapper,
            Function<T, UUID> idOf) {
        String requested = sort == null || sort.isBlank() ? defaultSort : sort;
        boolean descending = requested.startsWith("-");
        String field = descending ? requested.substring(1) : requested;
        Sort order = sorts.get(field);
        if (order == null) {
            throw new InvalidInputException(
                    "sort",
                    "cannot sort by '" + field + "'; use one of " + sorts.keySet()
                            + ", with a leading '-' for descending");
        }
        StringBuilder sql = new StringBuilder("select t.*, k.sort_key::text as sort_key from ")
                .append(table)
                .append(" t, lateral (select ")
                .append(order.expression())
                .append(" as sort_key) k where true");
        Map<String, Object> params = new LinkedHashMap<>();
        filters.forEach((column, value) -> {
            if (value != null) {
                String name = "f" + params.size();
                sql.append(" and t.").append(column).append(" = :").append(name);
                params.put(name, value);
            }
        });
        if (cursor != null && !cursor.isBlank()) {
            Cursor after = Cursor.decode(cursor);
            sql.append(" and (k.sort_key, t.id) ")
                    .append(descending ? "<" : ">")
                    .append(" (cast(:after as ")
                    .append(order.type())
                    .append("), :afterId)");
            params.put("after", after.sortValue());
            params.put("afterId", after.id());
        }
        String direction = descending ? " desc" : "";
        int size = AccountQuery.LIMIT.of(limit);
        sql.append(" order by k.sort_key")
                .append(direction)
                .append(", t.id")
                .append(direction)
                .append(" limit ")
                .append(size + 1);
        List<Object[]> rows = jdbc.sql(sql.toString())
                .params(params)
                .query((rs, n) -> new Object[] {mapper.mapRow(rs, n), rs.getString("sort_key")})
                .list();
        List<T> items = new ArrayList<>(rows.size());
        rows.stream().limit(size).forEach(r -> items.add(cast(r[0])));
        String next = null;
        if (rows.size() > size) {
            Object[] last = rows.get(size - 1);
            next = new Cursor((String) last[1], idOf.apply(cast(last[0]))).encode();
        }
        return new Page<>(items, next);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object row) {
        return (T) row;
    }
}
