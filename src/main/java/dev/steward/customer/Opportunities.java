package dev.steward.customer;

import dev.steward.core.Page;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** Stores opportunities; set-based statements so that bulk writes stay fast. */
@Repository
class Opportunities extends AccountRecordTable<Opportunities.Row, Opportunity> {

    private static final Listing LISTING = new Listing(
            "opportunity",
            Map.of(
                    "closeDate", new Listing.Sort("coalesce(t.close_date, date '9999-12-31')", "date"),
                    "amount", new Listing.Sort("coalesce(t.amount, -1)", "numeric"),
                    "name", new Listing.Sort("lower(t.name)", "text"),
                    "createdAt", new Listing.Sort("t.created_at", "timestamptz"),
                    "updatedAt", new Listing.Sort("t.updated_at", "timestamptz")),
            "closeDate");

    Opportunities(JdbcClient jdbc) {
        super(
                jdbc,
                "opportunity",
                List.of(
                        "id",
                        "account_id",
                        "name",
                        "type",
                        "amount",
                        "stage",
                        "close_date",
                        "created_at",
                        "source",
                        "external_id"),
                Opportunities::map);
    }

    Page<Opportunity> list(OpportunityQuery query) {
        Map<String, Object> filters = new HashMap<>();
        filters.put("account_id", query.accountId());
        filters.put("type", query.type() == null ? null : query.type().name());
        filters.put("stage", query.stage() == null || query.stage().isBlank() ? null : query.stage());
        return LISTING.page(
                jdbc, filters, query.sort(), query.limit(), query.cursor(), Opportunities::map, o -> o.id().value());
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

    @Override
    Map<String, Object> parameters(List<Row> rows) {
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
        params.put("id", new SqlArrayValue("uuid", (Object[]) ids));
        params.put("account_id", new SqlArrayValue("uuid", (Object[]) accounts));
        params.put("name", new SqlArrayValue("text", (Object[]) names));
        params.put("type", new SqlArrayValue("text", (Object[]) types));
        params.put("amount", new SqlArrayValue("numeric", (Object[]) amounts));
        params.put("stage", new SqlArrayValue("text", (Object[]) stages));
        params.put("close_date", new SqlArrayValue("date", (Object[]) closes));
        params.put("created_at", new SqlArrayValue("timestamptz", (Object[]) created));
        params.put("source", new SqlArrayValue("text", (Object[]) sources));
        params.put("external_id", new SqlArrayValue("text", (Object[]) externalIds));
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
