package dev.steward.identity;

import dev.steward.core.ConflictException;
import dev.steward.core.Digests;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

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
    private static final String COLUMNS =
            "k.id, k.name, k.areas, k.prefix, k.created_at, k.expires_at, k.last_used_at, k.revoked_at, k.replaced_by";

    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    /** How long a key lives unless its creator says otherwise, and the longest anyone may ask for. */
    static final int DEFAULT_DAYS = 90;

    static final int MAXIMUM_DAYS = 730;

    /** How long a rotated key keeps working beside its replacement unless told otherwise, and the longest allowed. */
    static final int DEFAULT_GRACE_HOURS = 24;

    static final int MAXIMUM_GRACE_HOURS = 720;

    CreatedApiKey create(String ownerEmail, NewApiKey request) {
        String name = request.name() == null ? "" : request.name().trim();
        if (name.isEmpty()) {
            throw new InvalidInputException("name", "must not be blank");
        }
        if (name.length() > MAXIMUM_NAME_LENGTH) {
            throw new InvalidInputException(
                    "name", "has " + name.length() + " characters; at most " + MAXIMUM_NAME_LENGTH + " are allowed");
        }
        Map<ApiArea, ApiAccess> areas = areas(request);
        int days = request.expiresInDays() == null ? DEFAULT_DAYS : request.expiresInDays();
        if (days < 1 || days > MAXIMUM_DAYS) {
            throw new InvalidInputException(
                    "expiresInDays", "is " + days + "; a key lives from 1 to " + MAXIMUM_DAYS + " days");
        }
        SignedInUser owner = users.signedIn(ownerEmail)
                .orElseThrow(() -> ConflictException.of(
                        "Only a user stored in Steward can create API keys; " + ownerEmail + " is not one"));
        Instant now = clock.instant();
        return insert(owner.id(), name, areas, now, now.plus(Duration.ofDays(days)));
    }

    private CreatedApiKey insert(
            UUID ownerId, String name, Map<ApiArea, ApiAccess> areas, Instant now, Instant expires) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey key = new ApiKey(
                Ids.newId(),
                name,
                ApiKeyScope.of(areas),
                areas,
                secret.substring(0, PREFIX_LENGTH),
                now,
                expires,
                null,
                null,
                null);
        jdbc.sql("""
                        insert into api_key (id, user_id, name, areas, prefix, secret_hash, created_at, expires_at)
                        values (?, ?, ?, ?::jsonb, ?, ?, ?, ?)""")
                .params(
                        key.id(),
                        ownerId,
                        key.name(),
                        json(areas),
                        key.prefix(),
                        Digests.sha256Hex(secret),
                        Timestamp.from(key.createdAt()),
                        Timestamp.from(expires))
                .update();
        return new CreatedApiKey(key, secret);
    }

    /** The areas a request asks for, from {@code areas} or the {@code scope} shorthand (exactly one of them). */
    private static Map<ApiArea, ApiAccess> areas(NewApiKey request) {
        if (request.scope() != null && request.areas() != null) {
            throw new InvalidInputException("scope", "give either scope or areas, not both");
        }
        if (request.scope() != null) {
            return request.scope().areas();
        }
        if (request.areas() == null || request.areas().isEmpty()) {
            throw new InvalidInputException(
                    "areas",
                    "is required: what the key may do per area, e.g. {\"accounts\": \"write\", \"usage\": \"read\"}"
                            + " (areas: " + AREA_NAMES + "), or a scope for all of them (read or read_write)");
        }
        Map<ApiArea, ApiAccess> areas = new EnumMap<>(ApiArea.class);
        List<FieldError> errors = new ArrayList<>();
        request.areas().forEach((name, access) -> {
            Optional<ApiArea> area =
                    ApiArea.named(name == null ? "" : name.strip().toLowerCase(Locale.ROOT));
            Optional<ApiAccess> granted = ApiAccess.named(access);
            if (area.isEmpty()) {
                errors.add(FieldError.of("areas." + name, "is not an area; the areas are " + AREA_NAMES));
            } else if (granted.isEmpty()) {
                errors.add(FieldError.of("areas." + name, "is '" + access + "'; it must be read or write"));
            } else {
                areas.put(area.get(), granted.get());
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return areas;
    }

    private static final String AREA_NAMES = String.join(
            ", ", Arrays.stream(ApiArea.values()).map(ApiArea::value).toList());

    /**
     * Replaces one of the user's keys by a new one with the same name, areas and lifetime. The old key keeps working
     * for the grace period (or until it expires, if sooner), so that programs can be moved to the new secret without
     * a gap; a grace of 0 ends it at once. A key already replaced, revoked or expired cannot be rotated.
     */
    CreatedApiKey rotate(String ownerEmail, UUID id, @Nullable Integer graceHours) {
        int grace = graceHours == null ? DEFAULT_GRACE_HOURS : graceHours;
        if (grace < 0 || grace > MAXIMUM_GRACE_HOURS) {
            throw new InvalidInputException(
                    "graceHours",
                    "is " + grace + "; the old key may stay valid 0 to " + MAXIMUM_GRACE_HOURS + " hours");
        }
        Instant now = clock.instant();
        Owned old = jdbc.sql("select k.user_id, " + COLUMNS + " from api_key k"
                        + " where k.id = ? and k.user_id = (select id from app_user where lower(email) = lower(?))"
                        + " for update")
                .params(id, ownerEmail)
                .query((rs, row) -> new Owned(rs.getObject("user_id", UUID.class), map(rs, row)))
                .optional()
                .orElseThrow(() -> new NotFoundException("API key", id));
        ApiKey key = old.key();
        if (key.replacedBy() != null) {
            throw ConflictException.of("The key '" + key.name() + "' (" + key.prefix()
                    + "…) has already been rotated; rotate its replacement instead");
        }
        if (key.endedBy(now)) {
            throw ConflictException.of("The key '" + key.name() + "' (" + key.prefix() + "…) no longer works ("
                    + (key.revoked() ? "revoked" : "expired") + "); create a new key instead");
        }
        Duration lifetime = key.expiresAt() == null
                ? Duration.ofDays(DEFAULT_DAYS)
                : Duration.between(key.createdAt(), key.expiresAt());
        CreatedApiKey replacement = insert(old.userId(), key.name(), key.areas(), now, now.plus(lifetime));
        Instant oldEnds = now.plus(Duration.ofHours(grace));
        if (key.expiresAt() != null && key.expiresAt().isBefore(oldEnds)) {
            oldEnds = key.expiresAt();
        }
        jdbc.sql("update api_key set expires_at = ?, replaced_by = ? where id = ?")
                .params(Timestamp.from(oldEnds), replacement.key().id(), id)
                .update();
        return replacement;
    }

    private record Owned(UUID userId, ApiKey key) {}

    /** The keys a user created, newest first, revoked ones included so that people see what stopped working. */
    List<ApiKey> list(String ownerEmail) {
        return jdbc.sql("select " + COLUMNS
                        + " from api_key k where user_id = (select id from app_user where lower(email) = lower(?))"
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

    /** What a secret stands for: its user and areas, or why it does not work (unknown, revoked, expired). */
    record Check(@Nullable ApiKeyAuthentication authentication, String refusal) {}

    Check authenticate(String secret) {
        Check unknown = new Check(null, "The API key is unknown or has been revoked");
        if (!secret.startsWith(SECRET_PREFIX)) {
            return unknown;
        }
        Instant now = clock.instant();
        Optional<Match> found = jdbc.sql("""
                        select k.id as key_id, k.areas, k.last_used_at, k.revoked_at, k.expires_at,
                            u.id, u.email, u.display_name, u.role, u.enabled
                        from api_key k join app_user u on u.id = k.user_id
                        where k.secret_hash = ? and u.enabled""")
                .param(Digests.sha256Hex(secret))
                .query((rs, row) -> new Match(
                        rs.getObject("key_id", UUID.class),
                        instant(rs.getTimestamp("last_used_at")),
                        instant(rs.getTimestamp("revoked_at")),
                        instant(rs.getTimestamp("expires_at")),
                        // A key works whether or not its user has replaced a one-time password yet.
                        new ApiKeyAuthentication(
                                SignedInUser.of(UserDirectory.map(rs, row), false), areas(rs.getString("areas")))))
                .optional();
        if (found.isEmpty() || found.get().revokedAt() != null) {
            return unknown;
        }
        Match match = found.get();
        if (match.expiresAt() != null && !match.expiresAt().isAfter(now)) {
            return new Check(
                    null,
                    "The API key expired at " + match.expiresAt() + "; create a new one (or rotate keys before they"
                            + " expire)");
        }
        if (match.lastUsedAt() == null || match.lastUsedAt().isBefore(now.minus(LAST_USED_PRECISION))) {
            touch(match.keyId(), now);
        }
        return new Check(match.authentication(), "");
    }

    private record Match(
            UUID keyId,
            @Nullable Instant lastUsedAt,
            @Nullable Instant revokedAt,
            @Nullable Instant expiresAt,
            ApiKeyAuthentication authentication) {}

    private void touch(UUID keyId, Instant now) {
        // The condition repeats the check so that instances racing on the same key write once.
        jdbc.sql("update api_key set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")
                .params(Timestamp.from(now), keyId, Timestamp.from(now.minus(LAST_USED_PRECISION)))
                .update();
    }

    private static String json(Map<ApiArea, ApiAccess> areas) {
        Map<String, String> values = new LinkedHashMap<>();
        areas.forEach((area, access) -> values.put(area.value(), access.value()));
        return JSON.writeValueAsString(values);
    }

    private static Map<ApiArea, ApiAccess> areas(String json) {
        Map<ApiArea, ApiAccess> areas = new EnumMap<>(ApiArea.class);
        Map<String, String> values = JSON.readValue(json, new TypeReference<Map<String, String>>() {});
        values.forEach((name, access) -> ApiArea.named(name)
                .ifPresent(area -> ApiAccess.named(access).ifPresent(granted -> areas.put(area, granted))));
        return areas;
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        Map<ApiArea, ApiAccess> areas = areas(rs.getString("areas"));
        return new ApiKey(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                ApiKeyScope.of(areas),
                areas,
                rs.getString("prefix"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("expires_at")),
                instant(rs.getTimestamp("last_used_at")),
                instant(rs.getTimestamp("revoked_at")),
                rs.getObject("replaced_by", UUID.class));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
