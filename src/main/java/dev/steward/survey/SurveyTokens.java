package dev.steward.survey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The signed token in a survey's links: the survey's and the contact's ids and an HMAC-SHA256 of them (its first 16
 * bytes), Base64url without padding. Keyed with {@code steward.survey.token-key} (at least 32 characters); without
 * one, with a random key made once and kept in the database, so that every instance signs alike. A token that was
 * changed in any way does not read.
 */
@Component
class SurveyTokens {

    private static final int IDS = 32;
    private static final int SIGNATURE = 16;

    private final String configured;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final PlatformTransactionManager transactions;
    private volatile byte[] key;

    SurveyTokens(
            @Value("${steward.survey.token-key:}") String configured,
            JdbcClient jdbc,
            Clock clock,
            PlatformTransactionManager transactions) {
        if (!configured.isBlank() && configured.strip().length() < 32) {
            throw new IllegalStateException("steward.survey.token-key must have at least 32 characters");
        }
        this.configured = configured.strip();
        this.jdbc = jdbc;
        this.clock = clock;
        this.transactions = transactions;
    }

    /** Who a survey's link is for. */
    record Invitee(UUID survey, UUID contact) {}

    String tokenFor(UUID survey, UUID contact) {
        byte[] ids = ByteBuffer.allocate(IDS)
                .putLong(survey.getMostSignificantBits())
                .putLong(survey.getLeastSignificantBits())
                .putLong(contact.getMostSignificantBits())
                .putLong(contact.getLeastSignificantBits())
                .array();
        byte[] token = Arrays.copyOf(ids, IDS + SIGNATURE);
        System.arraycopy(sign(ids), 0, token, IDS, SIGNATURE);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /** The survey and contact of a token, if it is one this installation signed. */
    Optional<Invitee> read(String token) {
        if (token == null || token.length() != 64) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != IDS + SIGNATURE) {
            return Optional.empty();
        }
        byte[] ids = Arrays.copyOf(bytes, IDS);
        byte[] expected = Arrays.copyOf(sign(ids), SIGNATURE);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, IDS, IDS + SIGNATURE))) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(ids);
        return Optional.of(new Invitee(
                new UUID(buffer.getLong(), buffer.getLong()), new UUID(buffer.getLong(), buffer.getLong())));
    }

    private byte[] sign(byte[] ids) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            mac.update("steward-survey:".getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(ids);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] key() {
        byte[] known = key;
        if (known == null) {
            known = configured.isEmpty() ? stored() : configured.getBytes(StandardCharsets.UTF_8);
            key = known;
        }
        return known;
    }

    /**
     * The key kept in the database, made by whichever instance asked first: in a transaction of its own, since the
     * first to ask may be reading a link in a read-only one.
     */
    private byte[] stored() {
        Optional<byte[]> known = read();
        if (known.isPresent()) {
            return known.get();
        }
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        TransactionTemplate own = new TransactionTemplate(transactions);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        own.executeWithoutResult(status -> jdbc.sql(
                        "insert into survey_signing_key (id, key, created_at) values (1, ?, ?) on conflict (id) do nothing")
                .params(fresh, Timestamp.from(clock.instant()))
                .update());
        return read().orElseThrow();
    }

    private Optional<byte[]> read() {
        return jdbc.sql("select key from survey_signing_key where id = 1")
                .query(byte[].class)
                .optional();
    }
}
