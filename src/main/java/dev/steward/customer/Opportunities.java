package dev.steward.customer;

import dev.steward.core.Page;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** Stores opportunities; set-based statements so that bulk writes stay fast. */
@Repository
class Opportunities {

    private static final Listing LISTING = new Listing(
            "opportunity",
            Map.of(
                    "closeDate", new Listing.Sort("coalesce(t.close_date, date '9999-12-31')", "date"),
                    "amount", new Listing.Sort("coalesce(t.amount, -1)", "numeric"),
                    "name", new Listing.Sort("lower(t.name)", "text"),
                    "createdAt", new Listing.Sort("t.created_at", "timestamptz"),
                    "updatedAt", new Listing.Sort("t.updated_at", "timestamptz")),
            "closeDate");

    private static final String COLUMNS =
            "(id, account_id, name, type, amount, stage, close_date, created_at, source, external_id)";
    private static final String VALUES = """
            unnest(:ids, :accounts, :names, :types, :amounts, :stages, :closes, :created, :sources, :externalIds)
            as v""" + COLUMNS;
    private static final String ASSIGNMENTS = """
            account_id = v.account_id, name = v.name, type = v.type, amount = v.amount, stage = v.stage,
            close_date = v.close_date, created_at = v.created_at, source = v.source, external_id = v.external_id,
            version = o.version + 1, updated_at = now()""";

    private final JdbcClient jdbc;

    Opportunities(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Opportunity> find(UUID id) {
        return jdbc.sql("select * from opportunity where id = ?")
                .param(id)
                .query(Opportunities::map)
                .optional();
    }

    List<Opportunity> findAll(Collection<UUID> ids) {
        return jdbc.sql("select * from opportunity where id = any(?)")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query(Opportunities::map)
                .list();
    }

    Page<Opportunity> list(OpportunityQuery query) {
        Map<String, Object> filters = new HashMap<>();
        filters.put("account_id", query.accountId());
        filters.put("type", query.type() == null ? null : query.type().name());
        filters.put("stage", query.stage() == null || query.stage().isBlank() ? null : query.stage());
        return LISTING.page(
                jdbc, filters, query.sort(), query.limit(), query.cursor(), Opportunities::map, o -> o.id().value());
    }

    /** Opportunity ids for external ids of one source; ids not known are absent from the map. */
    Map<String, UUID> idsByExternalId(String source, Collection<String> externalIds) {
        Map<String, UUID> found = new HashMap<>();
        if (externalIds.isEmpty()) {
            return found;
        }
        jdbc.sql("select external_id, id from opportunity where source = ? and external_id = any(?)")
                .params(source, new SqlArrayValue("text", externalIds.toArray()))
                .query((rs, n) -> found.put(rs.getString(1), rs.getObject(2, UUID.class)))
                .list();
        return found;
    }

    /** Row to write: an opportunity's stored fields; {@code createdAt} at most microsecond precision. */
    record Row(
            UUID id,
            UUID accountId,
            String name,
            OpportunityType type,
            BigDecimal amount,
            String stage,
            LocalDate closeDate,
            Instant createdAt,
            String source,
            String externalId) {}

    void insert(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.sql("insert into opportunity " + COLUMNS + " select * from " + VALUES)
                .params(columns(rows))
                .update();
    }

    /** Updates the rows that differ from what is stored and returns the ids of those that changed. */
    Set<UUID> updateChanged(List<Row> rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("update opportunity o set " + ASSIGNMENTS + " from " + VALUES + """
                         where o.id = v.id
                           and (o.account_id, o.name, o.type, o.amount, o.stage, o.close_date, o.created_at,
                                o.source, o.external_id)
                               is distinct from
                               (v.account_id, v.name, v.type, v.amount, v.stage, v.close_date, v.created_at,
                                v.source, v.external_id)
                        returning o.id""")
                .params(columns(rows))
                .query(UUID.class)
                .list());
    }

    /** Replaces one opportunity's fields if it is still at the expected version; false when it was not. */
    boolean update(Row row, long expectedVersion) {
        Map<String, Object> params = columns(List.of(row));
        params.put("expected", expectedVersion);
        return jdbc.sql("update opportunity o set " + ASSIGNMENTS + " from " + VALUES
                                + " where o.id = v.id and o.version = :expected")
                        .params(params)
                        .update()
                == 1;
    }

    boolean delete(UUID id, long expectedVersion) {
        return jdbc.sql("delete from opportunity where id = ? and version = ?")
                        .params(id, expectedVersion)
                        .update()
                == 1;
    }

    long version(UUID id) {
        return jdbc.sql("select version from opportunity where id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    private static Map<String, Object> columns(List<Row> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n], accounts = new UUID[n];
        String[] names = new String[n], types = new String[n], stages = new String[n], created = new String[n];
        String[] sources = new String[n], externalIds = new String[n];
        BigDecimal[] amounts = new BigDecimal[n];
        LocalDate[] closes = new LocalDate[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            ids[i] = row.id();
            accounts[i] = row.accountId();
            names[i] = row.name();
            types[i] = row.type().name();
            amounts[i] = row.amount();
            stages[i] = row.stage();
            closes[i] = row.closeDate();
            created[i] = row.createdAt().toString();
            sources[i] = row.source();
            externalIds[i] = row.externalId();
        }
        Map<String, Object> params = new HashMap<>();
        params.put("ids", new SqlArrayValue("uuid", (Object[]) ids));
        params.put("accounts", new SqlArrayValue("uuid", (Object[]) accounts));
        params.put("names", new SqlArrayValue("text", (Object[]) names));
        params.put("types", new SqlArrayValue("text", (Object[]) types));
        params.put("amounts", new SqlArrayValue("numeric", (Object[]) amounts));
        params.put("stages", new SqlArrayValue("text", (Object[]) stages));
        params.put("closes", new SqlArrayValue("date", (Object[]) closes));
        params.put("created", new SqlArrayValue("timestamptz", (Object[]) created));
        params.put("sources", new SqlArrayValue("text", (Object[]) sources));
        params.put("externalIds", new SqlArrayValue("text", (Object[]) externalIds));
        return params;
    }

    private static Opportunity map(ResultSet rs, int row) throws SQLException {
        java.sql.Date close = rs.getDate("close_date");
        return new Opportunity(
                new OpportunityId(rs.getObject("id", UUID.class)),
                new AccountId(rs.getObject("account_id", UUID.class)),
                rs.getString("name"),
                OpportunityType.valueOf(rs.getString("type")),
                rs.getBigDecimal("amount"),
                rs.getString("stage"),
                close == null ? null : close.toLocalDate(),
                rs.getString("source"),
                rs.getString("external_id"),
                rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
