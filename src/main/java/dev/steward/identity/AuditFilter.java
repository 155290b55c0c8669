package dev.steward.identity;

import dev.steward.core.AuditedChanges;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;

/**
 * Puts every change a signed-in person or an API key asks for on the audit trail: each POST, PUT, PATCH and DELETE
 * with who (the user's email; an API key's requests are marked so), from which address, the method and path, the
 * status it was answered with, and what it sent — a JSON body or a form's fields, up to {@value #DETAIL} characters,
 * with passwords, secrets, tokens and API keys hidden. Signing in and out are not changes; requests that no person or
 * key made (Segment events by write key, Stripe's webhooks) are the sources' own record.
 */
final class AuditFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);

    static final int DETAIL = 4_000;

    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> NOT_CHANGES = Set.of("/login", "/logout");
    private static final Pattern SENSITIVE = Pattern.compile("(?i).*(password|secret|token|api_?key|credential).*");
    private static final Pattern SENSITIVE_JSON = Pattern.compile(
            "(?i)(\"[A-Za-z0-9_]*(?:password|secret|token|api_?key|credential)[A-Za-z0-9_]*\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

    private final AuditTrail trail;

    AuditFilter(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !CHANGES.contains(request.getMethod()) || NOT_CHANGES.contains(request.getServletPath());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean multipart = request.getContentType() != null
                && request.getContentType().toLowerCase().startsWith("multipart/");
        HttpServletRequest seen = multipart ? request : new ContentCachingRequestWrapper(request, DETAIL);
        int status = 500;
        AuditedChanges.begin();
        try {
            chain.doFilter(seen, response);
            status = response.getStatus();
        } finally {
            String changes = AuditedChanges.collect();
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication != null
                    && authentication.isAuthenticated()
                    && !(authentication instanceof AnonymousAuthenticationToken)) {
                write(seen, authentication, status, multipart, changes);
            }
        }
    }

    private void write(
            HttpServletRequest request,
            Authentication authentication,
            int status,
            boolean multipart,
            @Nullable String changes) {
        String actor =
                authentication.getPrincipal() instanceof SignedInUser user ? user.email() : authentication.getName();
        String kind = authentication instanceof ApiKeyAuthentication ? "api_key" : "user";
        String target =
                request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        try {
            trail.record(
                    actor,
                    kind,
                    request.getRemoteAddr(),
                    request.getMethod(),
                    target.length() > 2_000 ? target.substring(0, 2_000) + "…" : target,
                    status,
                    withChanges(detail(request, multipart), changes));
        } catch (RuntimeException e) {
            log.error("Could not put {} {} by {} on the audit trail", request.getMethod(), target, actor, e);
        }
    }

    static String detail(HttpServletRequest request, boolean multipart) {
        if (multipart) {
            try {
                List<String> files = new ArrayList<>();
                request.getParts()
                        .forEach(p -> files.add(
                                p.getSubmittedFileName() == null
                                        ? p.getName()
                                        : p.getName() + "=" + p.getSubmittedFileName() + " (" + p.getSize()
                                                + " bytes)"));
                return cut("multipart: " + String.join(", ", files));
            } catch (IOException | ServletException | IllegalStateException e) {
                return "multipart";
            }
        }
        String type =
                request.getContentType() == null ? "" : request.getContentType().toLowerCase();
        if (type.startsWith("application/x-www-form-urlencoded")) {
            List<String> fields = new ArrayList<>();
            for (Map.Entry<String, String[]> e : request.getParameterMap().entrySet()) {
                if (e.getKey().equals("_csrf")) {
                    continue;
                }
                boolean hidden = SENSITIVE.matcher(e.getKey()).matches();
                fields.add(e.getKey() + "=" + (hidden ? "(hidden)" : String.join(",", e.getValue())));
            }
            return fields.isEmpty() ? null : cut(String.join("&", fields));
        }
        if (request instanceof ContentCachingRequestWrapper cached) {
            byte[] body = cached.getContentAsByteArray();
            if (body.length == 0) {
                return null;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            return cut(SENSITIVE_JSON.matcher(text).replaceAll("$1\"(hidden)\""));
        }
        return null;
    }

    /**
     * What was sent, then what it changed, field by field with the values before and after ({@code changed: [...]},
     * see {@link AuditedChanges}); the changes get the room what was sent leaves, at least half the entry's.
     */
    static @Nullable String withChanges(@Nullable String sent, @Nullable String changes) {
        if (changes == null) {
            return sent;
        }
        String changed = "changed: " + SENSITIVE_JSON.matcher(changes).replaceAll("$1\"(hidden)\"");
        if (sent == null) {
            return cut(changed);
        }
        int room = Math.max(DETAIL / 2, DETAIL - changed.length() - 1);
        String first = sent.length() > room ? sent.substring(0, room) + "…" : sent;
        return cut(first + "\n" + changed);
    }

    private static String cut(String text) {
        return text.length() > DETAIL ? text.substring(0, DETAIL) + "…" : text;
    }
}
