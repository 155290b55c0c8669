package dev.steward.customer;

import dev.steward.core.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
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

/** Stores contacts; set-based statements so that bulk writes stay fast. */
@Repository
class Contacts {

    private static final Listing LISTING = new Listing(
            "contact",
            Map.of(
                    "name", new Listing.Sort("lower(t.name)", "text"),
                    "joinedAt", new Listing.Sort("t.joined_at", "date"),
                    "leftAt", new Listing.Sort("coalesce(t.left_at, date '9999-12-31')", "date"),
                    "createdAt", new Listing.Sort("t.created_at", "timestamptz"),
                    "updatedAt", new Listing.Sort("t.updated_at", "timestamptz")),
            "name");

    private static final String COLUMNS =
            "(id, account_id, name, email, title, phone, role, joined_at, left_at," + " source, external_id)";
    private static final String VALUES = """
            unnest(:ids, :accounts, :names, :emails, :titles, :phones, :roles, :joined, :left, :sources,
                   :externalIds) as v""" + COLUMNS;

    private final JdbcClient jdbc;

    Contacts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Contact> find(UUID id) {
        return jdbc.sql("select * from contact where id = ?")
                .param(id)
                .query(Contacts::map)
                .optional();
    }

    List<Contact> findAll(Collection<UUID> ids) {
        return jdbc.sql("select * from contact where id = any(?)")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query(Contacts::map)
                .list();
    }

    Page<Contact> list(ContactQuery query) {
        Map<String, Object> filters = new HashMap<>();
        filters.put("account_id", query.accountId());
        filters.put("role", query.role() == null ? null : query.role().name());
        return LISTING.page(
                jdbc, filters, query.sort(), query.limit(), query.cursor(), Contacts::map, c -> c.id().value());
    }

    /** Contact ids for external ids of one source; ids not known are absent from the map. */
    Map<String, UUID> idsByExternalId(String source, Collection<String> externalIds) {
        Map<String, UUID> found = new HashMap<>();
        if (externalIds.isEmpty()) {
            return found;
        }
        jdbc.sql("select external_id, id from contact where source = ? and external_id = any(?)")
                .params(source, new SqlArrayValue("text", externalIds.toArray()))
                .query((rs, n) -> found.put(rs.getString(1), rs.getObject(2, UUID.class)))
                .list();
        return found;
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

    void insert(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.sql("insert into contact " + COLUMNS + " select * from " + VALUES)
                .params(columns(rows))
                .update();
    }

    /** Updates the rows that differ from what is stored and returns the ids of those that changed. */
    Set<UUID> updateChanged(List<Row> rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("update contact c set " + ASSIGNMENTS + " from " + VALUES + """
                         where c.id = v.id
                           and (c.account_id, c.name, c.email, c.title, c.phone, c.role, c.joined_at, c.left_at,
                                c.source, c.external_id)
                               is distinct from
                               (v.account_id, v.name, v.email, v.title, v.phone, v.role, v.joined_at, v.left_at,
                                v.source, v.external_id)
                        returning c.id""")
                .params(columns(rows))
                .query(UUID.class)
                .list());
    }

    private static final String ASSIGNMENTS = """
            account_id = v.account_id, name = v.name, email = v.email, title = v.title, phone = v.phone,
            role = v.role, joined_at = v.joined_at, left_at = v.left_at, source = v.source,
            external_id = v.external_id, version = c.version + 1, updated_at = now()""";

    /** Replaces one contact's fields if it is still at the expected version; false when it was not. */
    boolean update(Row row, long expectedVersion) {
        Map<String, Object> params = columns(List.of(row));
        params.put("expected", expectedVersion);
        return jdbc.sql("update contact c set " + ASSIGNMENTS + " from " + VALUES
                                + " where c.id = v.id and c.version = :expected")
                        .params(params)
                        .update()
                == 1;
    }

    boolean delete(UUID id, long expectedVersion) {
        return jdbc.sql("delete from contact where id = ? and version = ?")
                        .params(id, expectedVersion)
                        .update()
                == 1;
    }

    long version(UUID id) {
        return jdbc.sql("select version from contact where id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    private static Map<String, Object> columns(List<Row> rows) {
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
        params.put("ids", new SqlArrayValue("uuid", (Object[]) ids));
        params.put("accounts", new SqlArrayValue("uuid", (Object[]) accounts));
        params.put("names", new SqlArrayValue("text", (Object[]) names));
        params.put("emails", new SqlArrayValue("text", (Object[]) emails));
        params.put("titles", new SqlArrayValue("text", (Object[]) titles));
        params.put("phones", new SqlArrayValue("text", (Object[]) phones));
        params.put("roles", new SqlArrayValue("text", (Object[]) roles));
        params.put("joined", new SqlArrayValue("date", (Object[]) joined));
        params.put("left", new SqlArrayValue("date", (Object[]) left));
        params.put("sources", new SqlArrayValue("text", (Object[]) sources));
        params.put("externalIds", new SqlArrayValue("text", (Object[]) externalIds));
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
