package dev.steward.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Steward-Signature} header of a webhook delivery: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}, the HMAC
 * taken with the endpoint's secret over {@code "<t>.<body>"}. The receiver recomputes it over the raw body it got,
 * compares in constant time, and refuses a {@code t} too far from its own clock (a replay).
 */
final class WebhookSignature {

    static final String HEADER = "Steward-Signature";

    private WebhookSignature() {}

    static String header(String secret, long timestamp, byte[] body) {
        return "t=" + timestamp + ",v1=" + hmac(secret, timestamp, body);
    }

    static String hmac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }
}
