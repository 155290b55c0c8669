package dev.steward.identity;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;

/** Looks up users for other modules: account owners, assignees, authors. */
@Service
public class UserDirectory {

    private static final String COLUMNS = "id, email, display_name, role, enabled";

    private final JdbcClient jdbc;

    UserDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<User> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from app_user where id = ?")
                .param(id)
                .query(UserDirectory::map)
                .optional();
    }

    public Optional<User> findByEmail(String email) {
        return jdbc.sql("select " + COLUMNS + " from app_user where lower(email) = lower(?)")
                .param(email)
                .query(UserDirectory::map)
                .optional();
    }

    public Map<UUID, User> findAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbc
                .sql("select " + COLUMNS + " from app_user where id = any(?)")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query(UserDirectory::map)
                .list()
                .stream()
                .collect(Collectors.toMap(User::id, Function.identity()));
    }

    /** Users who can own accounts (CSMs and managers), by name. */
    public List<User> accountOwners() {
        return jdbc.sql("select " + COLUMNS
                        + " from app_user where enabled and role in ('CSM', 'MANAGER') order by display_name")
                .query(UserDirectory::map)
                .list();
    }

    static User map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new User(
                rs.getObject("id", UUID.class),
                rs.getString("email"),
                rs.getString("display_name"),
                Role.valueOf(rs.getString("role")),
                rs.getBoolean("enabled"));
    }
}
