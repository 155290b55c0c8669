package dev.steward.ingest.stripe;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Stripe's REST API as the backfill reads it: the account a key belongs to, and its customers, subscriptions and
 * invoices a page at a time. The address is {@code steward.stripe.api-url} (Stripe's own by default; tests point it
 * at a local server answering as Stripe does).
 */
@Component
class StripeApi {

    /** Stripe's largest page. */
    static final int PAGE_SIZE = 100;

    /** Stripe answered with an error, or could not be reached: the sentence to show, with Stripe's own message. */
    static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status Stripe answered with; 0 when it could not be reached. */
        int status() {
            return status;
        }
    }

    /** The account a key belongs to; the name is null when Stripe gives none or the key may not read it. */
    record Account(String id, @Nullable String name) {}

    /** One page of a list: its objects and whether Stripe has more after the last. */
    record Page(List<JsonNode> objects, boolean hasMore) {}

    private final RestClient http;
    private final ObjectMapper json;

    StripeApi(@Value("${steward.stripe.api-url:https://api.stripe.com}") String apiUrl, ObjectMapper json) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(Duration.ofSeconds(30));
        this.http = RestClient.builder()
                .baseUrl(apiUrl)
                .requestFactory(requests)
                .defaultHeader("Stripe-Version", "2025-03-31.basil")
                .build();
        this.json = json;
    }

    /**
     * Checks a key by reading one customer (what the backfill needs the key for), then names its account. A restricted
     * key that may read customers but not the account connects without the account's name.
     */
    Account check(String apiKey) {
        get(apiKey, "/v1/customers?limit=1");
        try {
            JsonNode account = get(apiKey, "/v1/account");
            String name = text(account.path("settings").path("dashboard"), "display_name");
            if (name == null) {
                name = text(account.path("business_profile"), "name");
            }
            return new Account(account.path("id").asString(""), name);
        } catch (Refused e) {
            if (e.status() == 403) {
                return new Account("", null);
            }
            throw e;
        }
    }

    /** A page of customers, subscriptions (of every status) or invoices, after the object with this id. */
    Page page(String apiKey, String path, @Nullable String startingAfter) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath(path).queryParam("limit", PAGE_SIZE);
        if (path.equals("/v1/subscriptions")) {
            uri.queryParam("status", "all");
        }
        if (startingAfter != null) {
            uri.queryParam("starting_after", startingAfter);
        }
        JsonNode list = get(apiKey, uri.build().toUriString());
        List<JsonNode> objects = new ArrayList<>();
        list.path("data").forEach(objects::add);
        return new Page(objects, list.path("has_more").asBoolean(false));
    }

    private JsonNode get(String apiKey, String pathAndQuery) {
        try {
            String body = http.get()
                    .uri(URI.create(pathAndQuery).toString())
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey)
                    .retrieve()
                    .body(String.class);
            return json.readTree(body == null ? "{}" : body);
        } catch (RestClientResponseException e) {
            throw new Refused(e.getStatusCode().value(), stripeMessage(e));
        } catch (RestClientException e) {
            throw new Refused(
                    0,
                    "Stripe could not be reached: " + e.getMostSpecificCause().getMessage());
        } catch (JacksonException e) {
            throw new Refused(0, "Stripe's answer was not JSON: " + e.getOriginalMessage());
        }
    }

    private String stripeMessage(RestClientResponseException e) {
        try {
            String message = text(json.readTree(e.getResponseBodyAsString()).path("error"), "message");
            if (message != null) {
                return message;
            }
        } catch (JacksonException ignored) {
            // not Stripe's error object: say the status
        }
        return "Stripe answered " + e.getStatusCode().value();
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.asString().isBlank() ? value.asString() : null;
    }
}
