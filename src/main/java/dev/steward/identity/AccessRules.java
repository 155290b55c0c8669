package dev.steward.identity;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers requests that are not signed in or not allowed: with RFC 9457 problem details for the API (the same shape
 * as every other API error), with a page for people. Also decides who may change data.
 */
final class AccessRules {

    static final String FORBIDDEN_PAGE = "/forbidden";
    static final String DETAIL_ATTRIBUTE = AccessRules.class.getName() + ".detail";

    private static final String TYPE_BASE = "https://steward.dev/problems/";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AccessRules() {}

    static boolean safe(HttpServletRequest request) {
        return SAFE_METHODS.contains(request.getMethod());
    }

    /**
     * People manage their own password, API keys, notifications (marking them read, their email preference) and alert
     * rules whatever their role: that changes no customer data.
     */
    static boolean ownCredentials(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/account/password")
                || path.startsWith("/settings/api-keys")
                || path.startsWith("/api/v1/api-keys")
                || path.equals("/notifications")
                || path.startsWith("/notifications/")
                || path.startsWith("/api/v1/notifications/")
                // Alert rules are one's own subscriptions, as notifications are.
                || path.equals("/insight/alerts")
                || path.startsWith("/insight/alerts/")
                || path.equals("/api/v1/insight/alerts")
                || path.startsWith("/api/v1/insight/alerts/");
    }

    /**
     * Why the signed-in user (or API key) may not make this request, or null when they may: a key outside its areas,
     * or writing where it may only read; a VIEWER changing anything but their own credentials.
     */
    static String refusedChange(Authentication authentication, HttpServletRequest request) {
        if (authentication == null) {
            return null;
        }
        if (authentication instanceof ApiKeyAuthentication key) {
            String path =
                    request.getRequestURI().substring(request.getContextPath().length());
            String refused = key.refusal(request.getMethod(), path, safe(request));
            if (refused != null) {
                return refused;
            }
        }
        if (!safe(request) && has(authentication, "ROLE_VIEWER") && !ownCredentials(request)) {
            return "Your role VIEWER can read but not change data";
        }
        return null;
    }

    static AuthenticationEntryPoint apiEntryPoint() {
        return (request, response, e) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            write(response, request, 401, "unauthenticated", "Not signed in", unauthenticatedDetail(request, e));
        };
    }

    static AccessDeniedHandler apiAccessDenied() {
        return (request, response, e) -> write(response, request, 403, "forbidden", "Forbidden", detail(request, e));
    }

    /** Forwards to a page that explains the refusal; the forward keeps the 403 status. */
    static AccessDeniedHandler pageAccessDenied() {
        return (request, response, e) -> {
            request.setAttribute(DETAIL_ATTRIBUTE, detail(request, e));
            response.setStatus(403);
            forward(request, response);
        };
    }

    private static void forward(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        RequestDispatcher dispatcher = request.getRequestDispatcher(FORBIDDEN_PAGE);
        dispatcher.forward(request, response);
    }

    private static String unauthenticatedDetail(HttpServletRequest request, AuthenticationException e) {
        return request.getHeader(HttpHeaders.AUTHORIZATION) != null
                ? e.getMessage()
                : "Sign in, or send an API key as 'Authorization: Bearer stw_…'";
    }

    private static String detail(HttpServletRequest request, AccessDeniedException e) {
        if (e instanceof CsrfException) {
            return "The CSRF token is missing or stale: reload the page and try again (programs: send an API key instead of"
                    + " a session cookie)";
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String refused = refusedChange(authentication, request);
        if (refused != null) {
            return refused;
        }
        String role = authentication == null || authentication instanceof AnonymousAuthenticationToken
                ? "anonymous"
                : authentication.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .filter(a -> a != null && a.startsWith("ROLE_"))
                        .map(a -> a.substring(5))
                        .findFirst()
                        .orElse("none");
        if (SecurityConfiguration.changesConfiguration(request)) {
            return "Your role " + role + " may not change configuration (" + request.getRequestURI()
                    + "): managers and administrators do";
        }
        return "Your role " + role + " may not use " + request.getRequestURI();
    }

    static void write(
            HttpServletResponse response,
            HttpServletRequest request,
            int status,
            String type,
            String title,
            String detail)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE_BASE + type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), problem);
    }

    static boolean isAdministrator(Authentication authentication) {
        return has(authentication, "ROLE_ADMIN");
    }

    private static boolean has(Authentication authentication, String authority) {
        return authentication.getAuthorities().stream().anyMatch(a -> authority.equals(a.getAuthority()));
    }
}
