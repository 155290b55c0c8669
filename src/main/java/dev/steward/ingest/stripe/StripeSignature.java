package dev.steward.ingest.stripe;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@code Stripe-Signature} header and its check: HMAC-SHA256 of {@code t + "." + body} under an endpoint's signing
 * secret, compared in constant time with every {@code v1} value, and a timestamp within the tolerance of now.
 */
record StripeSignature(long timestamp, List<String> v1) {

    /** What Stripe's own libraries accept by default. */
    static final Duration TOLERANCE = Duration.ofSeconds(300);

    /** Why a delivery was refused; the message says what to check. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** Reads the header: comma-separated {@code key=value} pairs; {@code v0} and unknown keys are ignored. */
    static StripeSignature parse(String header) {
        if (header == null || header.isBlank()) {
            throw new Refused("the Stripe-Signature header is missing; only Stripe's signed deliveries are accepted");
        }
        Long timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int equals = part.indexOf('=');
            if (equals < 0) {
                throw new Refused("the Stripe-Signature header is garbled: '" + abbreviate(part.trim())
                        + "' is not a key=value pair");
            }
            String key = part.substring(0, equals).trim();
            String value = part.substring(equals + 1).trim();
            if (key.equals("t")) {
                try {
                    timestamp = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new Refused("the Stripe-Signature header's timestamp t='" + abbreviate(value)
                            + "' is not a number of seconds");
                }
            } else if (key.equals("v1")) {
                signatures.add(value.toLowerCase());
            }
        }
        if (timestamp == null) {
            throw new Refused("the Stripe-Signature header has no timestamp (t=...)");
        }
        if (signatures.isEmpty()) {
            throw new Refused("the Stripe-Signature header has no v1 signature");
        }
        return new StripeSignature(timestamp, List.copyOf(signatures));
    }

    /**
     * Accepts the delivery if any {@code v1} value is the signature of {@code body} under any of {@code secrets}
     * and the timestamp is no further from {@code now} than {@link #TOLERANCE}.
     */
    void verify(byte[] body, List<String> secrets, Instant now) {
        byte[] signedPayload = signedPayload(body);
        boolean matches = false;
        for (String secret : secrets) {
            byte[] expected =
                    HexFormat.of().formatHex(hmac(secret, signedPayload)).getBytes(StandardCharsets.US_ASCII);
            for (String candidate : v1) {
                // Every pair is compared, in constant time, so the time taken says nothing about near misses.
                matches |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (!matches) {
            throw new Refused("no v1 signature matches the body under any of the source's " + secrets.size()
                    + " signing secret(s); check that the endpoint's signing secret (whsec_...) in the Stripe"
                    + " dashboard is one of them, and that nothing between Stripe and Steward re-encodes the body");
        }
        long age = now.getEpochSecond() - timestamp;
        if (age > TOLERANCE.toSeconds()) {
            throw new Refused("the signature's timestamp " + Instant.ofEpochSecond(timestamp) + " is " + age
                    + " s old, beyond the tolerance of " + TOLERANCE.toSeconds()
                    + " s; a replayed delivery is refused (if Stripe sent it just now, check this server's clock)");
        }
        if (-age > TOLERANCE.toSeconds()) {
            throw new Refused("the signature's timestamp " + Instant.ofEpochSecond(timestamp) + " is " + -age
                    + " s in the future, beyond the tolerance of " + TOLERANCE.toSeconds()
                    + " s; check this server's clock");
        }
    }

    private byte[] signedPayload(byte[] body) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] payload = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, payload, 0, prefix.length);
        System.arraycopy(body, 0, payload, prefix.length, body.length);
        return payload;
    }

    static byte[] hmac(String secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
