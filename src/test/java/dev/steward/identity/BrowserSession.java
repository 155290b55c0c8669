package dev.steward.identity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.Cookie;
import java.util.Arrays;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * A browser's session in MockMvc tests: the session cookie Steward set, sent back with each request as a browser
 * would. Sessions live in the database, so this is all a browser holds.
 */
record BrowserSession(Cookie cookie) implements RequestPostProcessor {

    static final String COOKIE = "SESSION";

    static BrowserSession of(MvcResult result) {
        Cookie cookie = result.getResponse().getCookie(COOKIE);
        assertThat(cookie)
                .as("the session cookie set by %s", result.getRequest().getRequestURI())
                .isNotNull();
        return new BrowserSession(cookie);
    }

    @Override
    public MockHttpServletRequest postProcessRequest(MockHttpServletRequest request) {
        Cookie[] others = request.getCookies() == null ? new Cookie[0] : request.getCookies();
        Cookie[] cookies = Arrays.copyOf(others, others.length + 1);
        cookies[others.length] = cookie;
        request.setCookies(cookies);
        return request;
    }
}
