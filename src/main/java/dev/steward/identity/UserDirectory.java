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
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
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

    /**
     * The signed-in user, as saving a scorecard, setting an override or adopting a suggestion records and checks it; a
     * principal without a user row (an API key's, a test's) is named by its login and takes its role from its authority.
     */
    public User signedIn(Authentication authentication) {
        return findByEmail(authentication.getName())
                .orElseGet(() ->
                        new User(null, authentication.getName(), authentication.getName(), role(authentication), true));
    }

    /**
     * The id of the signed-in user, read from the principal of their session or API key without a query (a principal
     * of another kind, such as a test's, is looked up by its login); empty when no user row stands behind it.
     */
    public Optional<UUID> signedInId(Authentication authentication) {
        if (authentication == null) {
            return Optional.empty();
        }
        if (authentication.getPrincipal() instanceof SignedInUser user) {
            return Optional.ofNullable(user.id());
        }
        return findByEmail(authentication.getName()).map(User::id);
    }

    private static Role role(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a != null && a.startsWith("ROLE_"))
                .map(a -> Role.valueOf(a.substring(5)))
                .findFirst()
                .orElse(Role.VIEWER);
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

    /** Every user, enabled or not, by email: what documents that name people are checked against. */
    public List<User> everyone() {
        return jdbc.sql("select " + COLUMNS + " from app_user order by lower(email)")
                .query(UserDirectory::map)
                .list();
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
