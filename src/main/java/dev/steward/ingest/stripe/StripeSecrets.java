package dev.steward.ingest.stripe;

import dev.steward.core.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The signing secrets of each Stripe source's webhook endpoint. */
@Repository
class StripeSecrets {

    /** A signing secret as the API shows it: never the secret itself, only its last characters. */
    record SecretHint(UUID id, String hint, Instant addedAt) {}

    private final JdbcClient jdbc;

    StripeSecrets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<String> of(UUID source) {
        return jdbc.sql("select secret from ingest_stripe_secret where source_id = ? order by added_at")
                .param(source)
                .query(String.class)
                .list();
    }

    List<SecretHint> hints(UUID source) {
        return jdbc.sql(
                        "select id, secret, added_at from ingest_stripe_secret where source_id = ? order by added_at, id")
                .param(source)
                .query((rs, n) -> new SecretHint(
                        rs.getObject("id", UUID.class),
                        hint(rs.getString("secret")),
                        rs.getTimestamp("added_at").toInstant()))
                .list();
    }

    /** Adds a secret; adding one the source already has changes nothing and returns the stored one. */
    SecretHint add(UUID source, String secret, Instant at) {
        jdbc.sql("""
                        insert into ingest_stripe_secret (id, source_id, secret, added_at) values (?, ?, ?, ?)
                        on conflict (source_id, secret) do nothing""").params(Ids.newId(), source, secret, Timestamp.from(at)).update();
        return jdbc.sql("select id, added_at from ingest_stripe_secret where source_id = ? and secret = ?")
                .params(source, secret)
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
