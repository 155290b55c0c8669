package dev.steward.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The app_user table: users with their password hashes, which never leave this module. */
@Repository
class Users {

    private static final String COLUMNS = "id, email, display_name, role, enabled, must_change_password";

    private final JdbcClient jdbc;
    private final Clock clock;

    Users(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * A user with what signing in needs: the password hash, absent for users who cannot sign in yet, and when a
     * one-time password (one the user must replace) was used to sign in, {@code null} while it has not been.
     */
    record Credentials(SignedInUser user, String passwordHash, Instant oneTimeUsedAt) {}

    Optional<Credentials> credentials(String email) {
        return jdbc.sql("select " + COLUMNS
                        + ", password_hash, one_time_used_at from app_user where lower(email) = lower(?)")
                .param(email)
                .query((rs, row) -> credentials(rs))
                .optional();
    }

    Optional<Credentials> credentials(UUID id) {
        return jdbc.sql("select " + COLUMNS + ", password_hash, one_time_used_at from app_user where id = ?")
                .param(id)
                .query((rs, row) -> credentials(rs))
                .optional();
    }

    Optional<SignedInUser> signedIn(String email) {
        return jdbc.sql("select " + COLUMNS + " from app_user where lower(email) = lower(?)")
                .param(email)
                .query((rs, row) -> signedIn(rs))
                .optional();
    }

    List<User> list() {
        return jdbc.sql("select " + COLUMNS + " from app_user order by lower(display_name), lower(email)")
                .query(UserDirectory::map)
                .list();
    }

    boolean anyAdministrator() {
        return jdbc.sql("select exists (select 1 from app_user where role = 'ADMIN')")
                .query(Boolean.class)
                .single();
    }

    long enabledAdministratorsOtherThan(UUID id) {
        return jdbc.sql("select count(*) from app_user where role = 'ADMIN' and enabled and id <> ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    /** Inserts the user unless one with the same email (in any case) exists; says whether it did. */
    boolean insertIfAbsent(User user, String passwordHash, boolean mustChangePassword) {
        return jdbc.sql("""
                        insert into app_user (id, email, display_name, role, enabled, password_hash, must_change_password,
                                              created_at)
                        values (:id, :email, :displayName, :role, :enabled, :passwordHash, :mustChange, :at)
                        on conflict ((lower(email))) do nothing""")
                        .param("id", user.id())
                        .param("email", user.email())
                        .param("displayName", user.displayName())
                        .param("role", user.role().name())
                        .param("enabled", user.enabled())
                        .param("passwordHash", passwordHash)
                        .param("mustChange", mustChangePassword)
                        .param("at", Timestamp.from(clock.instant()))
                        .update()
                == 1;
    }

    void update(User user) {
        jdbc.sql("update app_user set display_name = ?, role = ?, enabled = ? where id = ?")
                .params(user.displayName(), user.role().name(), user.enabled(), user.id())
                .update();
    }

    void setPassword(UUID id, String passwordHash, boolean mustChangePassword) {
        jdbc.sql("""
                        update app_user set password_hash = ?, must_change_password = ?, one_time_used_at = null
                        where id = ?""").params(passwordHash, mustChangePassword, id).update();
    }

    /**
     * Records that the user's one-time password was used to sign in, unless it was already; says whether this call
     * recorded it (so that two sign-ins at once cannot both use it).
     */
    boolean useOneTimePassword(UUID id, Instant at) {
        return jdbc.sql("""
                        update app_user set one_time_used_at = ?
                         where id = ? and must_change_password and one_time_used_at is null""").params(Timestamp.from(at), id).update() == 1;
    }

    private static Credentials credentials(ResultSet rs) throws SQLException {
        Timestamp used = rs.getTimestamp("one_time_used_at");
        return new Credentials(signedIn(rs), rs.getString("password_hash"), used == null ? null : used.toInstant());
    }

    private static SignedInUser signedIn(ResultSet rs) throws SQLException {
        return SignedInUser.of(UserDirectory.map(rs, 0), rs.getBoolean("must_change_password"));
    }
}
