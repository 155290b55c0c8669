package dev.steward.identity;

import dev.steward.core.ConflictException;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Creates, lists, revokes and checks API keys. A secret is {@code stw_} and 32 random bytes; only its SHA-256 hash
 * is stored, which is enough for a secret that random (a slow password hash would only slow every API call).
 */
@Component
class ApiKeys {

    static final String SECRET_PREFIX = "stw_";

    /** Recording every use would turn each API read into a write; once a minute is precise enough to read. */
    static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private static final int PREFIX_LENGTH = SECRET_PREFIX.length() + 6;
    private static final String COLUMNS = "id, name, scope, prefix, created_at, last_used_at, revoked_at";

    private final JdbcClient jdbc;
    private final Users users;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiKeys(JdbcClient jdbc, Users users, Clock clock) {
        this.jdbc = jdbc;
        this.users = users;
        this.clock = clock;
    }

    static final int MAXIMUM_NAME_LENGTH = 100;

    CreatedApiKey create(String ownerEmail, NewApiKey request) {
        String name = request.name() == null ? "" : request.name().trim();
        if (name.isEmpty()) {
            throw new InvalidInputException("name", "must not be blank");
        }
        if (name.length() > MAXIMUM_NAME_LENGTH) {
            throw new InvalidInputException(
                    "name", "has " + name.length() + " characters; at most " + MAXIMUM_NAME_LENGTH + " are allowed");
        }
        if (request.scope() == null) {
            throw new InvalidInputException("scope", "is required (read or read_write)");
        }
        SignedInUser owner = users.signedIn(ownerEmail)
                .orElseThrow(() -> ConflictException.of(
                        "Only a user stored in Steward can create API keys; " + ownerEmail + " is not one"));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey key = new ApiKey(
                Ids.newId(), name, request.scope(), secret.substring(0, PREFIX_LENGTH), clock.instant(), null, null);
        jdbc.sql("""
                        insert into api_key (id, user_id, name, scope, prefix, secret_hash, created_at)
                        values (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        key.id(),
                        owner.id(),
                        key.name(),
                        key.scope().value(),
                        key.prefix(),
                        hash(secret),
                        Timestamp.from(key.createdAt()))
                .update();
        return new CreatedApiKey(key, secret);
    }

    /** The keys a user created, newest first, revoked ones included so that people see what stopped working. */
    List<ApiKey> list(String ownerEmail) {
        return jdbc.sql("select " + COLUMNS
                        + " from api_key where user_id = (select id from app_user where lower(email) = lower(?))"
                        + " order by created_at desc, id desc")
                .param(ownerEmail)
                .query(ApiKeys::map)
                .list();
    }

    /** Revokes one of the user's keys; administrators may revoke anyone's. Revoking twice changes nothing. */
    void revoke(String email, boolean administrator, UUID id) {
        int changed = jdbc.sql("""
                        update api_key set revoked_at = coalesce(revoked_at, ?)
                        where id = ? and (? or user_id = (select id from app_user where lower(email) = lower(?)))""")
                .params(Timestamp.from(clock.instant()), id, administrator, email)
                .update();
        if (changed == 0) {
            throw new NotFoundException("API key", id);
        }
    }

    /** The user and scope a secret stands for, unless it is unknown, revoked or its user disabled. */
    Optional<ApiKeyAuthentication> authenticate(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Match> match = jdbc.sql("""
                        select k.id as key_id, k.scope, k.last_used_at,
                            u.id, u.email, u.display_name, u.role, u.enabled
                        from api_key k join app_user u on u.id = k.user_id
                        where k.secret_hash = ? and k.revoked_at is null and u.enabled""")
                .param(hash(secret))
                .query((rs, row) -> new Match(
                        rs.getObject("key_id", UUID.class),
                        instant(rs.getTimestamp("last_used_at")),
                        // A key works whether or not its user has replaced a one-time password yet.
                        new ApiKeyAuthentication(
                                SignedInUser.of(UserDirectory.map(rs, row), false),
                                ApiKeyScope.of(rs.getString("scope")))))
                .optional();
        match.filter(m -> m.lastUsedAt() == null || m.lastUsedAt().isBefore(now.minus(LAST_USED_PRECISION)))
                .ifPresent(m -> touch(m.keyId(), now));
        return match.map(Match::authentication);
    }

    private record Match(UUID keyId, Instant lastUsedAt, ApiKeyAuthentication authentication) {}

    private void touch(UUID keyId, Instant now) {
        // The condition repeats the check so that instances racing on the same key write once.
        jdbc.sql("update api_key set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")
                .params(Timestamp.from(now), keyId, Timestamp.from(now.minus(LAST_USED_PRECISION)))
                .update();
    }

    static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        return new ApiKey(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                ApiKeyScope.of(rs.getString("scope")),
                rs.getString("prefix"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("last_used_at")),
                instant(rs.getTimestamp("revoked_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
