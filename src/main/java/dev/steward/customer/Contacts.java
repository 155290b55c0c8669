package dev.steward.customer;

import dev.steward.core.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Collection;
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

    Contacts(JdbcClient jdbc, Clock clock) {
        super(
                jdbc,
                clock,
                "contact",
                List.<Column<Row>>of(
                        new Column<>("id", "uuid", Row::id),
                        new Column<>("account_id", "uuid", Row::accountId),
                        new Column<>("name", "text", Row::name),
                        new Column<>("email", "text", Row::email),
                        new Column<>("title", "text", Row::title),
                        new Column<>("phone", "text", Row::phone),
                        new Column<>("role", "text", r -> r.role().name()),
                        new Column<>("joined_at", "date", Row::joinedAt),
                        new Column<>("left_at", "date", Row::leftAt),
                        new Column<>("source", "text", Row::source),
                        new Column<>("external_id", "text", Row::externalId),
                        new Column<>("time_zone", "text", Row::timeZone)),
                Contacts::map);
    }

    Page<Contact> list(ContactQuery query) {
        Map<String, Object> filters = new HashMap<>();
        filters.put("account_id", query.accountId());
        filters.put("role", query.role() == null ? null : query.role().name());
        return LISTING.page(
                jdbc, filters, query.sort(), query.limit(), query.cursor(), Contacts::map, c -> c.id().value());
    }

    List<Contact> leftSince(Collection<UUID> accounts, ContactRole role, LocalDate since) {
        return jdbc.sql("""
                        select * from contact
                         where account_id = any(:accounts) and role = :role and left_at >= :since
                         order by account_id, left_at desc, id""")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param("role", role.name())
                .param("since", since)
                .query(Contacts::map)
                .list();
    }

    /**
     * The contacts with an email address in these roles who have not left by {@code day}, of these accounts (of every
     * account when {@code accounts} is null), by account.
     */
    List<Contact> reachable(Collection<UUID> accounts, Collection<ContactRole> roles, LocalDate day) {
        return jdbc.sql("""
                        select * from contact
                         where (cast(:all as boolean) or account_id = any(:accounts))
                           and role = any(:roles)
                           and email is not null and email <> ''
                           and (left_at is null or left_at > :day)
                         order by account_id, id""")
                .param("all", accounts == null)
                .param("accounts", new SqlArrayValue("uuid", accounts == null ? new Object[0] : accounts.toArray()))
                .param(
                        "roles",
                        new SqlArrayValue("text", roles.stream().map(Enum::name).toArray()))
                .param("day", day)
                .query(Contacts::map)
                .list();
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
            String externalId,
            String timeZone) {}

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
                rs.getTimestamp("updated_at").toInstant(),
                rs.getString("time_zone"));
    }
}
