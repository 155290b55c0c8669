package dev.steward.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules of delivery that need no database: signatures, back-off, which endpoint wants what, what is a URL. */
class NotifyRulesTests {

    @Test
    void theSignatureIsTheHexHmacSha256OfTimestampDotBodyAsOpenSslComputesIt() {
        // printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test_secret_123'
        assertThat(WebhookSignature.header(
                        "whsec_test_secret_123", 1_700_000_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("t=1700000000,v1=e89dcbfdce3392fb275033fb083d8c81e095a63bf687d9a2cd50e7d5f55e21f6");
    }

    @Test
    void failedDeliveriesAreTriedAgainLaterEachTimeUntilTheTenthAttemptFails() {
        Retries retries = new Retries(10);
        Instant failedAt = Instant.parse("2026-03-18T10:00:00Z");
        List<Duration> waits = new ArrayList<>();
        for (int attempts = 1; attempts < 10; attempts++) {
            waits.add(Duration.between(failedAt, retries.next(attempts, failedAt)));
        }
        assertThat(waits)
                .containsExactly(
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(10),
                        Duration.ofHours(1),
                        Duration.ofHours(2),
                        Duration.ofHours(4),
                        Duration.ofHours(8),
                        Duration.ofHours(16),
                        Duration.ofHours(24));
        assertThat(retries.next(10, failedAt))
                .as("after the tenth failed attempt")
                .isNull();
        assertThat(new Retries(15).next(12, failedAt)).isEqualTo(failedAt.plus(Duration.ofHours(24)));
    }

    @Test
    void anEndpointWantsTheKindsItNamesThePrefixesItNamesOrEverything() {
        WebhookEndpoint endpoint = endpoint(List.of("cta.*", "playbook.started"));
        assertThat(endpoint.wants("cta.escalated")).isTrue();
        assertThat(endpoint.wants("cta.assigned")).isTrue();
        assertThat(endpoint.wants("playbook.started")).isTrue();
        assertThat(endpoint.wants("playbook.finished")).isFalse();
        assertThat(endpoint.wants("ctas.escalated"))
                .as("a prefix ends at a dot")
                .isFalse();
        assertThat(endpoint(List.of("*")).wants("anything.at_all")).isTrue();
    }

    @Test
    void onlyHttpAndHttpsUrlsWithAHostOfBoundedLengthAreEndpoints() {
        assertThat(Webhooks.urlProblem("https://hooks.slack.com/services/T0/B0/x"))
                .isNull();
        assertThat(Webhooks.urlProblem("http://127.0.0.1:8080/hook?x=1")).isNull();
        assertThat(Webhooks.urlProblem("ftp://example.com/x")).contains("http:// or https://");
        assertThat(Webhooks.urlProblem("javascript:alert(1)")).contains("http:// or https://");
        assertThat(Webhooks.urlProblem("example.com/hook")).contains("http:// or https://");
        assertThat(Webhooks.urlProblem("https:///no-host")).contains("no host");
        assertThat(Webhooks.urlProblem("https://user:pw@example.com/")).contains("user name or password");
        assertThat(Webhooks.urlProblem("https://example.com/" + "a".repeat(2000)))
                .contains("2000");
        assertThat(Webhooks.urlProblem("")).contains("required");
    }

    @Test
    void aNotificationIsCheckedWhenItIsMade() {
        UUID someone = UUID.randomUUID();
        Notification notification = Notification.of(someone, "cta.escalated", "Line one\r\nline two", "Body")
                .withLink("/ctas/42")
                .withKey("cta-42-escalated");
        assertThat(notification.subject())
                .as("one line, as an email subject must be")
                .isEqualTo("Line one line two");
        assertThatThrownBy(() -> Notification.of(someone, "Escalated", "S", "B"))
                .hasMessageStartingWith("kind:");
        assertThatThrownBy(() -> Notification.of(someone, "cta.escalated", " ", "B"))
                .hasMessageStartingWith("subject:");
        assertThatThrownBy(() ->
                        Notification.of(someone, "cta.escalated", "S", "B").withLink("https://evil.example.com"))
                .hasMessageStartingWith("link:");
        assertThatThrownBy(() ->
                        Notification.of(someone, "cta.escalated", "S", "B").withLink("//evil.example.com"))
                .hasMessageStartingWith("link:");
    }

    private static WebhookEndpoint endpoint(List<String> kinds) {
        Instant at = Instant.parse("2026-03-18T10:00:00Z");
        return new WebhookEndpoint(UUID.randomUUID(), "https://example.com", kinds, "", true, "secret", at, at);
    }
}
