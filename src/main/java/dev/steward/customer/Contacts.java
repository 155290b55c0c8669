package dev.steward.customer;

import dev.steward.core.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** Stores contacts; set-based statements so that bulk writes stay fast. */
@Repository
class Contacts extends AccountRecordTable<Contacts.Row, Contact> {

    private static final Listing LISTING = new Listing(
            "contact",
            Map.of(
                    "name", new Listing.Sort("lower(t.name)", "text"),
                    "joinedAt", new Listing.Sort("t.joined_at", "date"),
                    "leftAt", new Listing.Sort("coalesce(t.left_at, date '9999-12-31')", "date"),
                    "createdAt", new Listing.Sort("t.created_at", "timestamptz"),
                    "updatedAt", new Listing.Sort("t.updated_at", "timestamptz")),
            "name");

    Contacts(JdbcClient jdbc) {
        super(
                jdbc,
                "contact",
                List.of(
                        "id",
                        "account_id",
                        "name",
                        "email",
                        "title",
                        "phone",
                        "role",
                        "joined_at",
                        "left_at",
                        "source",
                        "external_id"),
                Contacts::map);
    }

    Page<Contact> list(ContactQuery query) {
        Map<String, Object> filters = new HashMap<>();
        filters.put("account_id", query.accountId());
        filters.put("role", query.role() == null ? null : query.role().name());
        return LISTING.page(
                jdbc, filters, query.sort(), query.limit(), query.cursor(), Contacts::map, c -> c.id().value());
    }

    /** Row to write: a contact's stored fields. */
    record Row(
            UUID id,
            UUID accountId,
            String name,
            String email,
            String title,
            String phone,
            ContactRole role,
            LocalDate joinedAt,
            LocalDate leftAt,
            String source,
            String externalId) {}

    @Override
    Map<String, Object> parameters(List<Row> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n], accounts = new UUID[n];
        String[] names = new String[n], emails = new String[n], titles = new String[n], phones = new String[n];
        String[] roles = new String[n], sources = new String[n], externalIds = new String[n];
        LocalDate[] joined = new LocalDate[n], left = new LocalDate[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            ids[i] = row.id();
            accounts[i] = row.accountId();
            names[i] = row.name();
            emails[i] = row.email();
            titles[i] = row.title();
            phones[i] = row.phone();
            roles[i] = row.role().name();
            joined[i] = row.joinedAt();
            left[i] = row.leftAt();
            sources[i] = row.source();
            externalIds[i] = row.externalId();
        }
        Map<String, Object> params = new HashMap<>();
        params.put("id", new SqlArrayValue("uuid", (Object[]) ids));
        params.put("account_id", new SqlArrayValue("uuid", (Object[]) accounts));
        params.put("name", new SqlArrayValue("text", (Object[]) names));
        params.put("email", new SqlArrayValue("text", (Object[]) emails));
        params.put("title", new SqlArrayValue("text", (Object[]) titles));
        params.put("phone", new SqlArrayValue("text", (Object[]) phones));
        params.put("role", new SqlArrayValue("text", (Object[]) roles));
        params.put("joined_at", new SqlArrayValue("date", (Object[]) joined));
        params.put("left_at", new SqlArrayValue("date", (Object[]) left));
        params.put("source", new SqlArrayValue("text", (Object[]) sources));
        params.put("external_id", new SqlArrayValue("text", (Object[]) externalIds));
        return params;
    }

    private static Contact map(ResultSet rs, int row) throws SQLException {
        java.sql.Date left = rs.getDate("left_at");
        return new Contact(
                new ContactId(rs.getObject("id", UUID.class)),
                new AccountId(rs.getObject("account_id", UUID.class)),
                rs.getString("name"),
                rs.getString("email"),
                rs.getString("title"),
                rs.getString("phone"),
                ContactRole.valueOf(rs.getString("role")),
                rs.getDate("joined_at").toLocalDate(),
                left == null ? null : left.toLocalDate(),
                rs.getString("source"),
                rs.getString("external_id"),
                rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
