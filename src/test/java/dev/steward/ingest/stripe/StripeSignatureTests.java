package dev.steward.ingest.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.net.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signatures made by Stripe's own Java library pass; anything else is refused with the reason. */
class StripeSignatureTests {

    static final String SECRET = "whsec_test_secret_one";
    static final String NEXT_SECRET = "whsec_test_secret_two";
    static final String PAYLOAD = "{\"id\": \"evt_1\", \"object\": \"event\", \"type\": \"customer.created\"}";
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void aSignatureMadeByStripeJavaPasses() throws Exception {
        String header = Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET, NOW.getEpochSecond());

        assertThatCode(() -> verify(header, List.of(SECRET), NOW)).doesNotThrowAnyException();
    }

    @Test
    void duringRotationAnyV1UnderAnyActiveSecretPasses() throws Exception {
        long t = NOW.getEpochSecond();
        String header = "t=" + t + ",v1=" + Webhook.Util.computeHmacSha256(NEXT_SECRET, t + "." + PAYLOAD) + ",v1="
                + Webhook.Util.computeHmacSha256("whsec_retired", t + "." + PAYLOAD) + ",v0=abc";

        assertThatCode(() -> verify(header, List.of(SECRET, NEXT_SECRET), NOW)).doesNotThrowAnyException();
        assertThatThrownBy(() -> verify(header, List.of(SECRET), NOW))
                .isInstanceOf(StripeSignature.Refused.class)
                .hasMessageContaining("no v1 signature matches")
                .hasMessageContaining("1 signing secret");
    }

    @Test
    void aChangedBodyOrAnotherSecretIsRefused() throws Exception {
        String header = Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET, NOW.getEpochSecond());

        assertThatThrownBy(() -> StripeSignature.parse(header)
                        .verify((PAYLOAD + " ").getBytes(StandardCharsets.UTF_8), List.of(SECRET), NOW))
                .hasMessageContaining("no v1 signature matches");
        assertThatThrownBy(() -> verify(header, List.of(NEXT_SECRET), NOW)).hasMessageContaining("no v1 signature");
    }

    @Test
    void timestampsBeyondThreeHundredSecondsEitherWayAreRefused() throws Exception {
        long t = NOW.getEpochSecond();
        String header = Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET, t);

        assertThatCode(() -> verify(header, List.of(SECRET), NOW.plusSeconds(300)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> verify(header, List.of(SECRET), NOW.plusSeconds(301)))
                .hasMessageContaining("is 301 s old, beyond the tolerance of 300 s");
        assertThatThrownBy(() -> verify(header, List.of(SECRET), NOW.minusSeconds(400)))
                .hasMessageContaining("400 s in the future");
    }

    @Test
    void missingOrGarbledHeadersAreRefusedSayingWhatIsWrong() {
        assertThatThrownBy(() -> StripeSignature.parse(null)).hasMessageContaining("header is missing");
        assertThatThrownBy(() -> StripeSignature.parse("v1=abc")).hasMessageContaining("no timestamp");
        assertThatThrownBy(() -> StripeSignature.parse("t=yesterday,v1=abc"))
                .hasMessageContaining("t='yesterday' is not a number");
        assertThatThrownBy(() -> StripeSignature.parse("t=1492774577,v0=abc")).hasMessageContaining("no v1");
        assertThatThrownBy(() -> StripeSignature.parse("garbage")).hasMessageContaining("not a key=value pair");
    }

    @Test
    void readsTheExampleHeaderFromStripesDocumentation() {
        StripeSignature signature = StripeSignature.parse(
                "t=1492774577,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd,"
                        + "v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39");

        assertThat(signature.timestamp()).isEqualTo(1492774577L);
        assertThat(signature.v1()).containsExactly("5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd");
    }

    @Test
    void whatStripeJavaAcceptsWeAcceptAndTheOtherWayRound() throws Exception {
        String header = Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET);
        assertThat(Webhook.Signature.verifyHeader(PAYLOAD, header, SECRET, 300)).isTrue();
        assertThatCode(() -> verify(header, List.of(SECRET), Instant.now())).doesNotThrowAnyException();
    }

    private static void verify(String header, List<String> secrets, Instant now) {
        StripeSignature.parse(header).verify(PAYLOAD.getBytes(StandardCharsets.UTF_8), secrets, now);
    }
}
