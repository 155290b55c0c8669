package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Stored secrets follow the key: values stored in plain text before sealing began, and values sealed under the
 * previous key, are sealed again under the current one; a second round finds nothing to do, and the old key alone no
 * longer opens them.
 */
@StewardTest
@TestPropertySource(
        properties = {
            "steward.secrets.key=" + SecretRotationTests.NEW_KEY,
            "steward.secrets.previous-keys=" + SecretRotationTests.OLD_KEY
        })
class SecretRotationTests {

    // "fedcba9876543210fedcba9876543210" and "0123456789abcdef0123456789abcdef" in Base64
    static final String NEW_KEY = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
    static final String OLD_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @Autowired
    SecretRotation rotation;

    @Autowired
    SecretBox box;

    @Autowired
    JdbcClient jdbc;

    @Test
    void plainAndOldKeyValuesAreSealedAgainUnderTheCurrentKey() {
        rotation.sealAgain();
        UUID source = UUID.randomUUID();
        jdbc.sql("insert into ingest_source (id, name, kind, created_at) values (?, ?, 'stripe', now())")
                .params(source, "rotation-" + source.toString().substring(0, 8))
                .update();
        jdbc.sql("""
                        insert into ingest_stripe_api_key (source_id, api_key, key_hint, checked_at)
                        values (?, 'rk_test_51PlainKeyFromBefore', 'rk_test_…fore', now())""").param(source).update();
        SecretBox old = new SecretBox(java.util.Base64.getDecoder().decode(OLD_KEY));
        jdbc.sql("""
                        insert into ingest_stripe_secret (id, source_id, secret, secret_digest, hint, added_at)
                        values (?, ?, ?, 'digest', 'whsec_…0001', now())""")
                .params(UUID.randomUUID(), source, old.seal("whsec_OldKeySecret0001"))
                .update();

        assertThat(rotation.sealAgain()).isEqualTo(2);
        assertThat(rotation.sealAgain()).as("nothing left").isZero();

        String apiKey = jdbc.sql("select api_key from ingest_stripe_api_key where source_id = ?")
                .param(source)
                .query(String.class)
                .single();
        String secret = jdbc.sql("select secret from ingest_stripe_secret where source_id = ?")
                .param(source)
                .query(String.class)
                .single();
        assertThat(List.of(apiKey, secret)).allMatch(box::isCurrent);
        assertThat(apiKey).doesNotContain("PlainKey");
        assertThat(box.open(apiKey)).isEqualTo("rk_test_51PlainKeyFromBefore");
        assertThat(box.open(secret)).isEqualTo("whsec_OldKeySecret0001");
        assertThatThrownBy(() -> old.open(secret)).hasMessageContaining("cannot be decrypted");
    }
}
