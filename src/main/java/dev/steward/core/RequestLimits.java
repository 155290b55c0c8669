package dev.steward.core;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Size limits checked before any work: a request body larger than {@code steward.http.max-request-body} (default 10
 * MB) is refused with 413, by its Content-Length before it is read, or as soon as a body without one passes the
 * limit. Uploads (multipart) have their own limits ({@code spring.servlet.multipart.*}), and so do endpoints with a
 * smaller one of their own (Segment's 500 KB). A list's {@code limit} is checked by the list itself against its own
 * maximum ({@link PageLimit}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestLimits extends OncePerRequestFilter {

    private final long maximumBody;

    RequestLimits(@Value("${steward.http.max-request-body:10MB}") DataSize maximumBody) {
        this.maximumBody = maximumBody.toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        if (type != null && type.toLowerCase().startsWith("multipart/")) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > maximumBody) {
            refuse(request, response, 413, "too-large", "Content too large", null, tooLarge());
            return;
        }
        try {
            chain.doFilter(new Bounded(request, maximumBody), response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!causedByTooLarge(e) || response.isCommitted()) {
                throw e;
            }
            response.reset();
            refuse(request, response, 413, "too-large", "Content too large", null, tooLarge());
        }
    }

    private String tooLarge() {
        return "the request body is larger than the limit of " + maximumBody / 1024 + " KB";
    }

    static boolean causedByTooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TooLarge) {
                return true;
            }
        }
        return false;
    }

    private static void refuse(
            HttpServletRequest request,
            HttpServletResponse response,
            int status,
            String type,
            String title,
            String field,
            String reason)
            throws IOException {
        String detail = field == null ? reason : field + ": " + reason;
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader(HttpHeaders.CONNECTION, "close");
        response.getWriter()
                .write("{\"type\":\"" + ApiProblems.TYPE_BASE + type + "\",\"title\":\"" + title + "\",\"status\":"
                        + status + ",\"detail\":\"" + detail + "\""
                        + (field == null
                                ? ""
                                : ",\"errors\":[{\"field\":\"" + field + "\",\"reason\":\"" + reason + "\"}]")
                        + "}");
    }

    /** Thrown when a body without a Content-Length passes the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("the request body is larger than the limit of " + limit + " bytes");
        }
    }

    /** The request whose body stops with {@link TooLarge} past the limit. */
    private static final class Bounded extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws TooLarge {
                        read += n;
                        if (read > limit) {
                            throw new TooLarge(limit);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
