package dev.steward.ingest;

import dev.steward.core.Digests;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Creates, lists, revokes and checks the write keys of sources. A key is 32 random letters and digits, like
 * Segment's own, because some senders check the shape; only its SHA-256 hash is stored.
 */
@Repository
class WriteKeys {

    /**
     * Checking a key on every request would add a query to each batch; a key stays trusted this long. Revoking
     * forgets it at once on this instance; other instances follow within this time.
     */
    static final Duration TRUSTED_FOR = Duration.ofSeconds(10);

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int LENGTH = 32;
    private static final int PREFIX_LENGTH = 6;

    private final JdbcClient jdbc;
    private final Sources sources;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Trusted> trusted = new ConcurrentHashMap<>();

    private record Trusted(UUID keyId, Source source, Instant until) {}

    WriteKeys(JdbcClient jdbc, Sources sources, Clock clock) {
        this.jdbc = jdbc;
        this.sources = sources;
        this.clock = clock;
    }

    WriteKey.Created create(String sourceName, String name) {
        Source source = sources.get(sourceName);
        String label = name == null || name.isBlank() ? "write key" : name.trim();
        if (label.length() > 200) {
            throw new InvalidInputException("name", "is " + label.length() + " characters long; at most 200");
        }
        StringBuilder key = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        WriteKey created = new WriteKey(Ids.newId(), label, key.substring(0, PREFIX_LENGTH), clock.instant(), null);
        jdbc.sql("""
                        insert into ingest_write_key (id, source_id, name, prefix, key_hash, created_at)
                        values (?, ?, ?, ?, ?, ?)""")
                .params(
                        created.id(),
                        source.id(),
                        created.name(),
                        created.prefix(),
                        Digests.sha256Hex(key.toString()),
                        Timestamp.from(created.createdAt()))
                .update();
        return new WriteKey.Created(created, key.toString());
    }

    /** A source's keys, newest first, revoked ones included so that people see what stopped working. */
    List<WriteKey> list(String sourceName) {
        Source source = sources.get(sourceName);
        return jdbc.sql("""
                        select id, name, prefix, created_at, revoked_at from ingest_write_key
                        where source_id = ? order by created_at desc, id desc""")
                .param(source.id())
                .query((rs, n) -> new WriteKey(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getString("prefix"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("revoked_at") == null
                                ? null
                                : rs.getTimestamp("revoked_at").toInstant()))
                .list();
    }

    /** Revokes a key of the source; revoking twice changes nothing. */
    void revoke(String sourceName, UUID id) {
        Source source = sources.get(sourceName);
        int changed = jdbc.sql("""
                        update ingest_write_key set revoked_at = coalesce(revoked_at, ?)
                        where id = ? and source_id = ?""")
                .params(Timestamp.from(clock.instant()), id, source.id())
                .update();
        if (changed == 0) {
            throw new NotFoundException("write key", id);
        }
        trusted.values().removeIf(t -> t.keyId().equals(id));
    }

    /** The source a key belongs to, unless the key is unknown or revoked. */
    Optional<Source> authenticate(String key) {
        if (key == null || key.isEmpty() || key.length() > 200) {
            return Optional.empty();
        }
        String hash = Digests.sha256Hex(key);
        Instant now = clock.instant();
        Trusted known = trusted.get(hash);
        if (known != null && known.until().isAfter(now)) {
            return Optional.of(known.source());
        }
        Optional<UUID[]> match = jdbc.sql("""
                        select id, source_id from ingest_write_key where key_hash = ? and revoked_at is null""")
                .param(hash)
                .query((rs, n) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)})
                .optional();
        if (match.isEmpty()) {
            trusted.remove(hash);
            return Optional.empty();
        }
        Source source = sources.find(match.get()[1]).orElseThrow();
        trusted.put(hash, new Trusted(match.get()[0], source, now.plus(TRUSTED_FOR)));
        return Optional.of(source);
    }
}
