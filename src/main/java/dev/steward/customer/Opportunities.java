package dev.steward.customer;

import dev.steward.core.Page;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
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

    Opportunities(JdbcClient jdbc, Clock clock) {
        super(
                jdbc,
                clock,
                "opportunity",
                List.<Column<Row>>of(
                        new Column<>("id", "uuid", Row::id),
                        new Column<>("account_id", "uuid", Row::accountId),
                        new Column<>("name", "text", Row::name),
                        new Column<>("type", "text", r -> r.type().name()),
                        new Column<>("amount", "numeric", Row::amount),
                        new Column<>("stage", "text", Row::stage),
                        new Column<>("close_date", "date", Row::closeDate),
                        new Column<>(
                                "created_at", "timestamptz", r -> r.createdAt().toString()),
                        new Column<>("source", "text", Row::source),
                        new Column<>("external_id", "text", Row::externalId)),
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
