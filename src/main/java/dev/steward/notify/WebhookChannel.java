package dev.steward.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Posts an event to one endpoint as JSON {@code {"id","kind","occurredAt","text","data"}} (a Slack incoming webhook
 * shows {@code text}), signed with the endpoint's secret (see {@link WebhookSignature}) and naming the delivery in
 * {@code Steward-Delivery}, which stays the same when a delivery is tried again. Any 2xx answer is success; anything
 * else, or no answer within {@code steward.notify.webhook-timeout}, is tried again later. Redirects are not followed.
 */
@Component
class WebhookChannel {

    static final String DELIVERY_HEADER = "Steward-Delivery";

    private final Webhooks endpoints;
    private final WebhookEvents events;
    private final JsonMapper json;
    private final Clock clock;
    private final RestClient http;

    WebhookChannel(
            Webhooks endpoints, WebhookEvents events, JsonMapper json, Clock clock, NotifyProperties properties) {
        this.endpoints = endpoints;
        this.events = events;
        this.json = json;
        this.clock = clock;
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(properties.webhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(properties.webhookTimeout());
        this.http = RestClient.builder().requestFactory(requests).build();
    }

    Outcome send(Delivery delivery) {
        Optional<WebhookEndpoint> endpoint = endpoints.find(delivery.endpointId());
        if (endpoint.isEmpty()) {
            return new Outcome.Refused("the endpoint was removed");
        }
        if (!endpoint.get().enabled()) {
            return new Outcome.Refused("the endpoint is disabled");
        }
        Optional<WebhookEvent> event = events.find(delivery.eventId());
        if (event.isEmpty()) {
            return new Outcome.Refused("the event was removed");
        }
        byte[] body = body(event.get());
        String signature =
                WebhookSignature.header(endpoint.get().secret(), clock.instant().getEpochSecond(), body);
        try {
            return http.post()
                    .uri(URI.create(endpoint.get().url()))
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(WebhookSignature.HEADER, signature)
                    .header(DELIVERY_HEADER, delivery.id().toString())
                    .header("User-Agent", "Steward-Webhooks/1")
                    .body(body)
                    .exchange((request, response) -> {
                        int status = response.getStatusCode().value();
                        if (response.getStatusCode().is2xxSuccessful()) {
                            return new Outcome.Sent();
                        }
                        return new Outcome.Failed(
                                "HTTP " + status + " from " + endpoint.get().url() + answer(response.getBody()));
                    });
        } catch (RestClientException | IllegalArgumentException e) {
            return new Outcome.Failed(EmailChannel.describe(e));
        }
    }

    /** The JSON posted for an event: the same bytes for every endpoint and attempt, so that signatures can be checked. */
    byte[] body(WebhookEvent event) {
        ObjectNode root = json.createObjectNode();
        root.put("id", event.id().toString());
        root.put("kind", event.kind());
        root.put("occurredAt", event.occurredAt().toString());
        root.put("text", event.text());
        root.set("data", json.readTree(event.dataJson()));
        return json.writeValueAsBytes(root);
    }

    private static String answer(InputStream body) {
        try (body) {
            String text = new String(body.readNBytes(300), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : ": " + text;
        } catch (IOException e) {
            return "";
        }
    }
}
