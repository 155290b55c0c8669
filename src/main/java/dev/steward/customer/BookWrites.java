package dev.steward.customer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Book permissions for everything under an account's own address — {@code /api/v1/accounts/{id}/…} and the pages'
 * {@code /accounts/{id}/…}: the account record, its activity, usage, health override, owner, stage and milestones —
 * checked once the request is matched to its handler and before its body is read, whichever module answers it. A
 * change the person may not make is answered 403 ({@link AccountPermissions}); reading is never limited here.
 */
@Configuration(proxyBeanMethods = false)
class BookWrites implements WebMvcConfigurer {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final String[] ACCOUNT_PATHS = {"/api/v1/accounts/{id}", "/accounts/{id}"};

    private final AccountPermissions permissions;

    BookWrites(AccountPermissions permissions) {
        this.permissions = permissions;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                if (!SAFE.contains(request.getMethod())) {
                    accountOf(request).ifPresent(account -> permissions.checkChange(new AccountId(account)));
                }
                return true;
            }
        });
    }

    /** The account a matched request is addressed to, when its path is under an account's own address. */
    static java.util.Optional<UUID> accountOf(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern == null) {
            return java.util.Optional.empty();
        }
        String matched = pattern.toString();
        for (String prefix : ACCOUNT_PATHS) {
            if (matched.equals(prefix) || matched.startsWith(prefix + "/")) {
                @SuppressWarnings("unchecked")
                Map<String, String> variables =
                        (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
                String id = variables == null ? null : variables.get("id");
                try {
                    return id == null ? java.util.Optional.empty() : java.util.Optional.of(UUID.fromString(id));
                } catch (IllegalArgumentException e) {
                    return java.util.Optional.empty(); // the handler answers a malformed id
                }
            }
        }
        return java.util.Optional.empty();
    }
}
