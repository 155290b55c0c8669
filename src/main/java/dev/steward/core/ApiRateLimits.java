package dev.steward.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rate limits of the programs' APIs, per key, before any other work (even before the key is looked up, so a flood of
 * made-up keys costs no database reads): the REST API ({@code /api/**}) per API key sent as a bearer token, the
 * tracking APIs (Segment's {@code /v1/**}, Amplitude's and Mixpanel's endpoints) per credential in the {@code
 * Authorization} header, else per client address (Amplitude's key travels in the body). People's pages and sessions
 * are not limited. Each key has a token bucket of {@code steward.rate-limit.api-per-minute} (12,000 by default) or
 * {@code steward.rate-limit.tracking-per-minute} (60,000) requests, refilled evenly over the minute, so a burst of a
 * whole minute's allowance is allowed. 0 turns a limit off.
 *
 * <p>Every limited answer carries {@code RateLimit-Limit}, {@code RateLimit-Remaining}, {@code RateLimit-Reset}
 * (seconds until the bucket is full again) and {@code RateLimit-Policy} ({@code 12000;w=60}); a refused request is a
 * 429 problem with {@code Retry-After} in seconds. Buckets live in this instance's memory (at most 100,000 keys, each
 * forgotten after two idle minutes, when it would be full again anyway): with several instances behind a balancer
 * each allows its own share.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class ApiRateLimits extends OncePerRequestFilter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Set<String> TRACKING_PATHS = Set.of("/2/httpapi", "/batch", "/import", "/track");

    private final long apiPerMinute;
    private final long trackingPerMinute;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(2))
            .build();

    @Autowired
    ApiRateLimits(
            @Value("${steward.rate-limit.api-per-minute:12000}") long apiPerMinute,
            @Value("${steward.rate-limit.tracking-per-minute:60000}") long trackingPerMinute,
            Clock clock) {
        if (apiPerMinute < 0 || trackingPerMinute < 0) {
            throw new IllegalArgumentException("steward.rate-limit.* must be 0 (off) or a number of requests a minute");
        }
        this.apiPerMinute = apiPerMinute;
        this.trackingPerMinute = trackingPerMinute;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Limited limited = limited(request);
        if (limited == null) {
            chain.doFilter(request, response);
            return;
        }
        long limit = limited.perMinute();
        Bucket bucket = buckets.get(
                limited.key(),
                key -> Bucket.builder()
                        .addLimit(l -> l.capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)))
                        .withCustomTimePrecision(time)
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long remaining = probe.getRemainingTokens();
        response.setHeader("RateLimit-Limit", Long.toString(limit));
        response.setHeader("RateLimit-Remaining", Long.toString(remaining));
        response.setHeader("RateLimit-Reset", Long.toString(secondsUp((limit - remaining) * 60_000_000_000L / limit)));
        response.setHeader("RateLimit-Policy", limit + ";w=60");
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long wait = Math.max(1, secondsUp(probe.getNanosToWaitForRefill()));
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
        response.setStatus(429);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ApiProblems.TYPE_BASE + "rate-limited");
        problem.put("title", "Too many requests");
        problem.put("status", 429);
        problem.put(
                "detail",
                limited.who() + " sent more than " + limit + " requests in a minute; try again in " + wait
                        + " s (Retry-After)");
        problem.put("instance", request.getRequestURI());
        JSON.writeValue(response.getOutputStream(), problem);
    }

    /** The bucket a request draws on, or null when it is not limited. */
    private @Nullable Limited limited(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (path.startsWith("/api/")) {
            if (apiPerMinute == 0 || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            return new Limited(
                    "api " + Digests.sha256Hex(authorization.substring(7).strip()), apiPerMinute, "This API key");
        }
        if (trackingPerMinute > 0 && (path.startsWith("/v1/") || TRACKING_PATHS.contains(path))) {
            return authorization == null
                    ? new Limited("tracking address " + request.getRemoteAddr(), trackingPerMinute, "This address")
                    : new Limited("tracking " + Digests.sha256Hex(authorization), trackingPerMinute, "This write key");
        }
        return null;
    }

    private record Limited(String key, long perMinute, String who) {}

    private static long secondsUp(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
