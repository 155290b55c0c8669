package dev.steward.ingest.stripe;

import dev.steward.core.Digests;
import dev.steward.core.Ids;
import dev.steward.core.SecretBox;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The signing secrets of each Stripe source's webhook endpoint, sealed at rest (see {@link SecretBox}). */
@Repository
class StripeSecrets {

    /** A signing secret as the API shows it: never the secret itself, only its last characters. */
    record SecretHint(UUID id, String hint, Instant addedAt) {}

    private final JdbcClient jdbc;
    private final SecretBox box;

    StripeSecrets(JdbcClient jdbc, SecretBox box) {
        this.jdbc = jdbc;
        this.box = box;
    }

    /** The source's signing secrets, opened (a value stored before sealing began is read as it is). */
    List<String> of(UUID source) {
        return jdbc
                .sql("select secret from ingest_stripe_secret where source_id = ? order by added_at")
                .param(source)
                .query(String.class)
                .list()
                .stream()
                .map(s -> SecretBox.isSealed(s) ? box.open(s) : s)
                .toList();
    }

    List<SecretHint> hints(UUID source) {
        return jdbc.sql("select id, hint, added_at from ingest_stripe_secret where source_id = ? order by added_at, id")
                .param(source)
                .query((rs, n) -> new SecretHint(
                        rs.getObject("id", UUID.class),
                        rs.getString("hint"),
                        rs.getTimestamp("added_at").toInstant()))
                .list();
    }

    /** Adds a secret; adding one the source already has changes nothing and returns the stored one. */
    SecretHint add(UUID source, String secret, Instant at) {
        jdbc.sql("""
                        insert into ingest_stripe_secret (id, source_id, secret, secret_digest, hint, added_at)
                        values (?, ?, ?, ?, ?, ?)
                        on conflict (source_id, secret_digest) do nothing""")
                .params(
                        Ids.newId(),
                        source,
                        box.seal(secret),
                        Digests.sha256Hex(secret),
                        hint(secret),
                        Timestamp.from(at))
                .update();
        return jdbc.sql("select id, added_at from ingest_stripe_secret where source_id = ? and secret_digest = ?")
                .params(source, Digests.sha256Hex(secret))
                .query((rs, n) -> new SecretHint(
                        rs.getObject("id", UUID.class),
                        hint(secret),
                        rs.getTimestamp("added_at").toInstant()))
                .single();
    }

    boolean remove(UUID source, UUID secret) {
        return jdbc.sql("delete from ingest_stripe_secret where source_id = ? and id = ?")
                        .params(source, secret)
                        .update()
                > 0;
    }

    static String hint(String secret) {
        return "whsec_…" + secret.substring(Math.max("whsec_".length(), secret.length() - 4));
    }
}
