package dev.steward.ingest.sync;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RateLimiter;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.StreamUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A vendor's JSON API as a pull calls it (Zendesk, Intercom…): within the vendor's documented rate limits (a smooth
 * limiter per source and kind of endpoint: never more than the limit in any minute), waiting out a 429 for its {@code
 * Retry-After} (or until its {@code X-RateLimit-Reset}, or else with backoff and jitter), retrying a 5xx or a request that got no answer with
 * exponential backoff and jitter a bounded number of times, and counting every attempt. A refusal says why in the
 * vendor's own words.
 */
public final class VendorHttp {

    /**
     * How a vendor is called: {@code vendor} names it in sentences, {@code properties} is the prefix of its settings
     * (steward.zendesk); the rest as each vendor's properties document them.
     */
    public record Settings(
            String vendor,
            String properties,
            int maxRetries,
            Duration backoff,
            Duration maxBackoff,
            Duration maxRetryAfter,
            Duration timeout) {}

    /** The vendor refused a request, or could not be reached: the sentence to show, with the vendor's own words. */
    public static final class Refused extends RuntimeException {
        private final int status;

        public Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status the vendor answered with; 0 when it could not be reached. */
        public int status() {
            return status;
        }
    }

    /** The requests one run sent, retries and refused ones included: what counts against the vendor's limits. */
    public static final class Calls {
        private final AtomicLong count = new AtomicLong();

        public long count() {
            return count.get();
        }
    }

    /**
     * Reads the body of a successful answer as it arrives (an export too large to hold), given its headers. An {@link
     * java.io.IOException} it throws is taken for a connection that broke, and the request is sent again.
     */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(HttpHeaders headers, InputStream body) throws IOException;
    }

    /** What the vendor answered: its JSON ({@code {}} when empty) and its headers (paging links, rate limits). */
    public record Response(JsonNode body, HttpHeaders headers) {

        /**
         * The address of the next page a {@code Link} header names ({@code <https://…?page=2>; rel="next"}, RFC 8288);
         * null when there is none (this was the last page).
         */
        public @Nullable String nextLink() {
            for (String header : headers.getOrEmpty(HttpHeaders.LINK)) {
                for (String link : header.split(",(?=\\s*<)")) {
                    int open = link.indexOf('<');
                    int close = link.indexOf('>');
                    if (open < 0 || close < open) {
                        continue;
                    }
                    for (String parameter : link.substring(close + 1).split(";")) {
                        String[] pair = parameter.split("=", 2);
                        if (pair.length == 2
                                && pair[0].strip().equalsIgnoreCase("rel")
                                && List.of(pair[1].strip().replace("\"", "").split("\\s+"))
                                        .contains("next")) {
                            return link.substring(open + 1, close).strip();
                        }
                    }
                }
            }
            return null;
        }
    }

    /**
     * What the vendor answered to one attempt: its body as text and its headers, or what the reader made of a
     * successful one.
     */
    private record Answer(
            int status,
            @Nullable Duration retryAfter,
            String body,
            HttpHeaders headers,
            @Nullable Object read) {}

    private final RestClient http;
    private final ObjectMapper json;
    private final Settings settings;
    private final Clock clock;
    private final Function<JsonNode, @Nullable String> errorMessage;
    private final RetryPolicy<Answer> waitAsTold;
    private final RetryPolicy<Answer> backOff;
    private final Map<String, RateLimiter<Object>> limiters = new ConcurrentHashMap<>();

    /** {@code errorMessage} finds the vendor's words in the body of a refusal (null: none there). */
    public VendorHttp(
            Settings settings, ObjectMapper json, Clock clock, Function<JsonNode, @Nullable String> errorMessage) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(settings.timeout());
        this.http = RestClient.builder().requestFactory(requests).build();
        this.json = json;
        this.settings = settings;
        this.clock = clock;
        this.errorMessage = errorMessage;
        this.waitAsTold = RetryPolicy.<Answer>builder()
                .handleIf((answer, failure) -> failure == null && answer.status() == 429)
                .abortIf((answer, failure) -> failure == null && answer.status() == 429 && tooLong(answer))
                .withDelayFn(context -> {
                    Answer last = context.getLastResult();
                    if (last != null && last.retryAfter() != null) {
                        return last.retryAfter();
                    }
                    // No wait named (HubSpot's 429s may name none): back off as after a 5xx, doubling, with jitter.
                    int doublings = Math.min(16, Math.max(0, context.getAttemptCount() - 1));
                    Duration wait = settings.backoff().multipliedBy(1L << doublings);
                    Duration longest = max(settings.backoff(), settings.maxBackoff());
                    if (wait.compareTo(longest) > 0) {
                        wait = longest;
                    }
                    double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
                    return Duration.ofNanos((long) (wait.toNanos() * jitter));
                })
                .withMaxRetries(settings.maxRetries())
                .build();
        this.backOff = RetryPolicy.<Answer>builder()
                .handleIf((answer, failure) ->
                        failure != null ? failure instanceof RestClientException : answer.status() >= 500)
                .withBackoff(settings.backoff(), max(settings.backoff(), settings.maxBackoff()))
                .withJitter(0.25)
                .withMaxRetries(settings.maxRetries())
                .build();
    }

    /** The limiter of one source and kind of endpoint ({@code key}), at most {@code perMinute} requests a minute. */
    public RateLimiter<Object> limiter(String key, int perMinute) {
        return limiter(key, perMinute, Duration.ofMinutes(1));
    }

    /** The limiter of one source and kind of endpoint ({@code key}), at most {@code permits} requests a {@code period}. */
    public RateLimiter<Object> limiter(String key, int permits, Duration period) {
        return limiters.computeIfAbsent(
                key, k -> RateLimiter.smoothBuilder(permits, period).build());
    }

    /**
     * Sends a request (a JSON {@code body}, or none) with these headers, within the limiter if one is given; each
     * attempt is counted in {@code calls} if given. Answers the JSON the vendor answered ({@code {}} when empty).
     */
    public JsonNode send(
            HttpMethod method,
            URI uri,
            Map<String, String> headers,
            @Nullable String body,
            @Nullable RateLimiter<Object> limiter,
            @Nullable Calls calls) {
        return exchange(method, uri, headers, body, limiter, calls).body();
    }

    /** As {@link #send}, answering the response's headers with its JSON (for a vendor that pages by links). */
    public Response exchange(
            HttpMethod method,
            URI uri,
            Map<String, String> headers,
            @Nullable String body,
            @Nullable RateLimiter<Object> limiter,
            @Nullable Calls calls) {
        return response(call(method, uri, headers, body, MediaType.APPLICATION_JSON, limiter, calls, null));
    }

    /**
     * Sends a form ({@code application/x-www-form-urlencoded}, as OAuth 2 token endpoints take one) as a POST, without
     * a limiter; answers the JSON the vendor answered.
     */
    public JsonNode sendForm(URI uri, Map<String, String> form, @Nullable Calls calls) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return response(call(
                        HttpMethod.POST, uri, Map.of(), body, MediaType.APPLICATION_FORM_URLENCODED, null, calls, null))
                .body();
    }

    private Response response(Answer answer) {
        try {
            return new Response(json.readTree(answer.body().isEmpty() ? "{}" : answer.body()), answer.headers());
        } catch (JacksonException e) {
            throw new Refused(answer.status(), settings.vendor() + "'s answer was not JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Sends a GET as {@link #send} does, and hands the body of a successful answer to {@code reader} as it arrives,
     * without holding it: answers what the reader answered. A refusal (a 4xx, or a 5xx or 429 that lasted) is thrown
     * before the reader sees anything.
     */
    @SuppressWarnings("unchecked")
    public <T> T stream(
            URI uri,
            Map<String, String> headers,
            @Nullable RateLimiter<Object> limiter,
            @Nullable Calls calls,
            BodyReader<T> reader) {
        return (T) call(HttpMethod.GET, uri, headers, null, null, limiter, calls, reader)
                .read();
    }

    private Answer call(
            HttpMethod method,
            URI uri,
            Map<String, String> headers,
            @Nullable String body,
            @Nullable MediaType contentType,
            @Nullable RateLimiter<Object> limiter,
            @Nullable Calls calls,
            @Nullable BodyReader<?> reader) {
        Answer answer;
        try {
            answer = Failsafe.with(waitAsTold, backOff).get(() -> {
                if (limiter != null) {
                    limiter.acquirePermit();
                }
                if (calls != null) {
                    calls.count.incrementAndGet();
                }
                RestClient.RequestBodySpec request = http.method(method)
                        .uri(uri)
                        .header(HttpHeaders.ACCEPT, "application/json")
                        .headers(h -> headers.forEach(h::set));
                if (body != null) {
                    request = request.contentType(contentType == null ? MediaType.APPLICATION_JSON : contentType)
                            .body(body);
                }
                return request.exchange(
                        (req, response) -> {
                            int status = response.getStatusCode().value();
                            if (reader != null && status >= 200 && status < 300) {
                                return new Answer(
                                        status,
                                        null,
                                        "",
                                        HttpHeaders.copyOf(response.getHeaders()),
                                        reader.read(response.getHeaders(), response.getBody()));
                            }
                            return new Answer(
                                    status,
                                    retryAfter(response.getHeaders()),
                                    StreamUtils.copyToString(response.getBody(), StandardCharsets.UTF_8),
                                    HttpHeaders.copyOf(response.getHeaders()),
                                    null);
                        },
                        true);
            });
        } catch (RestClientException e) {
            throw new Refused(
                    0,
                    settings.vendor() + " could not be reached at " + uri.getHost() + " (" + (settings.maxRetries() + 1)
                            + " tries): " + e.getMostSpecificCause().getMessage());
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new Refused(0, "the pull was interrupted (Steward is stopping)");
            }
            throw new Refused(0, settings.vendor() + " could not be reached: " + e.getCause());
        }
        if (answer.status() == 429) {
            throw new Refused(
                    429,
                    tooLong(answer)
                            ? settings.vendor() + " asked to wait "
                                    + answer.retryAfter().toSeconds()
                                    + " s before the next request, longer than " + settings.properties()
                                    + ".max-retry-after ("
                                    + settings.maxRetryAfter().toSeconds() + " s)"
                            : settings.vendor() + " kept answering 429 Too Many Requests ("
                                    + (settings.maxRetries() + 1) + " tries)");
        }
        if (answer.status() >= 300) {
            throw new Refused(answer.status(), message(answer));
        }
        return answer;
    }

    private boolean tooLong(Answer answer) {
        return answer.retryAfter() != null && answer.retryAfter().compareTo(settings.maxRetryAfter()) > 0;
    }

    private String message(Answer answer) {
        try {
            String message = errorMessage.apply(json.readTree(answer.body()));
            if (message != null && !message.isBlank()) {
                return message;
            }
        } catch (JacksonException ignored) {
            // not the vendor's error object (an HTML page from a proxy, a closed account): say the status
        }
        return settings.vendor() + " answered " + answer.status();
    }

    /**
     * How long a 429 asks to wait: its {@code Retry-After} in seconds, else until its {@code X-RateLimit-Reset} (the
     * time, in seconds since the epoch, the window resets: Intercom's way); null when it says neither.
     */
    private @Nullable Duration retryAfter(HttpHeaders headers) {
        String after = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (after != null && after.strip().matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(after.strip()));
        }
        String reset = headers.getFirst("X-RateLimit-Reset");
        if (reset != null && reset.strip().matches("\\d{1,12}")) {
            long seconds = Long.parseLong(reset.strip()) - clock.instant().getEpochSecond();
            return Duration.ofSeconds(Math.max(1, seconds));
        }
        return null;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
