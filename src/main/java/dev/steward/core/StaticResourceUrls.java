package dev.steward.core;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;
import org.springframework.web.servlet.resource.ResourceUrlProvider;
import org.springframework.web.servlet.resource.ResourceUrlProviderExposingInterceptor;

/**
 * Writes the links of pages to static files (web jars such as {@code /webjars/bootstrap/css/…}, and Steward's own
 * {@code /css}, {@code /js}) as the resource chain resolves them, and leaves every other link as it is. Spring's own
 * filter, which this one replaces, looks each link of a page up on the class path, found or not; a page of hundreds of
 * links to accounts spent most of its time there (measured by {@code bench insight}: 60 % of the executive
 * dashboard's time).
 */
@Component
class StaticResourceUrls extends ResourceUrlEncodingFilter {

    /** Where static files are served from; every other path is a page or an API. */
    static final List<String> STATIC_PREFIXES = List.of("/webjars/", "/css/", "/js/", "/favicon");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse page) {
            chain.doFilter(request, new Links(http, page));
        } else {
            chain.doFilter(request, response);
        }
    }

    /** Whether a link, as written in a page, is to a static file. */
    static boolean isStatic(String contextPath, String url) {
        if (!url.startsWith(contextPath)) {
            return false;
        }
        String path = url.substring(contextPath.length());
        return STATIC_PREFIXES.stream().anyMatch(path::startsWith);
    }

    private static final class Links extends HttpServletResponseWrapper {

        private final HttpServletRequest request;

        Links(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        @Override
        public String encodeURL(String url) {
            if (isStatic(request.getContextPath(), url)
                    && request.getAttribute(ResourceUrlProviderExposingInterceptor.RESOURCE_URL_PROVIDER_ATTR)
                            instanceof ResourceUrlProvider resources) {
                String resolved = resources.getForRequestUrl(request, url);
                if (resolved != null) {
                    return super.encodeURL(resolved);
                }
            }
            return super.encodeURL(url);
        }
    }
}
