package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The rate limits per key, on a clock the test moves: the filter alone, without an application. */
class ApiRateLimitsTests {

    private final MovableClock clock = new MovableClock();
    private final ApiRateLimits limits = new ApiRateLimits(3, 2, clock);

    @Test
    void aKeyPastItsLimitIsRefusedWith429AndRetryAfterUntilTheBucketRefills() throws Exception {
        for (int i = 3; i > 0; i--) {
            MockHttpServletResponse answer = send(api("stw_first"));
            assertThat(answer.getStatus()).isEqualTo(200);
            assertThat(answer.getHeader("RateLimit-Limit")).isEqualTo("3");
            assertThat(answer.getHeader("RateLimit-Remaining")).isEqualTo(Integer.toString(i - 1));
            assertThat(answer.getHeader("RateLimit-Policy")).isEqualTo("3;w=60");
        }
        MockHttpServletResponse refused = send(api("stw_first"));
        assertThat(refused.getStatus()).isEqualTo(429);
        // One request comes back every 20 seconds (3 a minute).
        assertThat(refused.getHeader("Retry-After")).isEqualTo("20");
        assertThat(refused.getHeader("RateLimit-Reset")).isEqualTo("60");
        assertThat(refused.getContentType()).startsWith("application/problem+json");
        assertThat(refused.getContentAsString())
                .contains("\"status\":429")
                .contains("This API key sent more than 3 requests in a minute; try again in 20 s (Retry-After)")
                .contains("\"instance\":\"/api/v1/accounts\"");

        // Another key has its own bucket.
        assertThat(send(api("stw_second")).getStatus()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(19));
        assertThat(send(api("stw_first")).getStatus()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        MockHttpServletResponse again = send(api("stw_first"));
        assertThat(again.getStatus()).isEqualTo(200);
        assertThat(again.getHeader("RateLimit-Remaining")).isEqualTo("0");
    }

    @Test
    void pagesAndSessionsAreNotLimitedAndTrackingHasItsOwnLimitPerWriteKeyOrAddress() throws Exception {
        for (int i = 0; i < 10; i++) {
            MockHttpServletResponse page = send(new MockHttpServletRequest("GET", "/accounts"));
            assertThat(page.getStatus()).isEqualTo(200);
            assertThat(page.getHeader("RateLimit-Limit")).isNull();
            assertThat(send(new MockHttpServletRequest("GET", "/api/v1/accounts"))
                            .getHeader("RateLimit-Limit"))
                    .isNull();
        }
        MockHttpServletRequest segment = new MockHttpServletRequest("POST", "/v1/batch");
        segment.addHeader("Authorization", "Basic d3JpdGVrZXk6");
        assertThat(send(segment).getStatus()).isEqualTo(200);
        assertThat(send(segment).getStatus()).isEqualTo(200);
        MockHttpServletResponse refused = send(segment);
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("30");
        assertThat(refused.getContentAsString()).contains("This write key sent more than 2 requests in a minute");

        MockHttpServletRequest amplitude = new MockHttpServletRequest("POST", "/2/httpapi");
        amplitude.setRemoteAddr("192.0.2.7");
        assertThat(send(amplitude).getStatus()).isEqualTo(200);
        assertThat(send(amplitude).getStatus()).isEqualTo(200);
        assertThat(send(amplitude).getStatus()).isEqualTo(429);
    }

    @Test
    void aLimitOfZeroTurnsItOff() throws Exception {
        ApiRateLimits off = new ApiRateLimits(0, 0, clock);
        for (int i = 0; i < 100; i++) {
            MockHttpServletResponse answer = new MockHttpServletResponse();
            off.doFilter(api("stw_any"), answer, new MockFilterChain());
            assertThat(answer.getStatus()).isEqualTo(200);
            assertThat(answer.getHeader("RateLimit-Limit")).isNull();
        }
    }

    private static MockHttpServletRequest api(String key) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/accounts");
        request.addHeader("Authorization", "Bearer " + key);
        return request;
    }

    private MockHttpServletResponse send(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        limits.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
