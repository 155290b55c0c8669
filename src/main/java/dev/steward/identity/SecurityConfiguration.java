package dev.steward.identity;

import static org.springframework.security.authorization.AuthenticatedAuthorizationManager.authenticated;
import static org.springframework.security.authorization.AuthorityAuthorizationManager.hasAnyRole;
import static org.springframework.security.authorization.AuthorityAuthorizationManager.hasRole;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may do what. People sign in with a form and keep a session; programs send an API key. The API answers
 * "not signed in" and "not allowed" with problem details, never with a redirect to the sign-in page. VIEWERs and
 * read-only keys may read everything and change nothing.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final RequestMatcher API =
            PathPatternRequestMatcher.withDefaults().matcher("/api/**");
    /** What anyone may fetch without signing in: the sign-in page and what it is drawn with. */
    static final String[] PUBLIC_PATHS = {
        "/login",
        "/webjars/**",
        "/css/**",
        "/js/**",
        "/favicon.svg",
        "/startup",
        "/actuator/health",
        "/actuator/health/**",
        "/error",
        // A survey's answer and unsubscribe pages: opened from an email by a customer's contact, who has no account;
        // each link carries a token the survey module checks.
        "/nps/**",
        // The unsubscribe link of an email journey's email; its random token is the proof.
        "/email/*/unsubscribe",
        // The tracking pixel and tracked links of an email journey's email; each address is signed per email.
        "/email/track/**",
        // The preference page an email journey's email links to; the same token is the proof.
        "/email/*/preferences"
    };

    /**
     * Scripts only from Steward itself (no inline scripts, no eval), so injected markup cannot run code; styles may be
     * inline (Bootstrap utilities, htmx's indicator style), which cannot run code.
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
                    + " img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self';"
                    + " form-action 'self'; frame-ancestors 'none'";

    private static final RequestMatcher PROGRAM =
            request -> API.matches(request) || ApiKeyAuthenticationFilter.hasBearer(request);

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Loads signed-in users by email; used by {@code @WithUserDetails} in tests, not for checking passwords. */
    @Bean
    UserDetailsService userDetailsService(Users users) {
        return email -> users.signedIn(email).orElseThrow(() -> new UsernameNotFoundException(PasswordSignIn.WRONG));
    }

    /**
     * Webhooks (such as Stripe's) prove who sent them with a signature their controller checks; they carry no
     * session, no CSRF token and no API key.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain webhookFilterChain(HttpSecurity http) throws Exception {
        return http.securityMatcher("/webhooks/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .build();
    }

    /** Sub-commands such as the demo loader run without a web server, and so without a filter chain. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain securityFilterChain(
            HttpSecurity http,
            Users users,
            PasswordEncoder passwords,
            SignInThrottle throttle,
            ApiKeys keys,
            AuditTrail audit,
            SingleSignOn sso,
            java.time.Clock clock)
            throws Exception {
        AuthenticationEntryPoint apiEntryPoint = AccessRules.apiEntryPoint();
        AuthenticationEntryPoint signInPage = new LoginUrlAuthenticationEntryPoint("/login");
        AccessDeniedHandler apiAccessDenied = AccessRules.apiAccessDenied();
        AccessDeniedHandler pageAccessDenied = AccessRules.pageAccessDenied();
        AuthorizationManager<RequestAuthorizationContext> mayChange =
                (authentication, context) -> new AuthorizationDecision(
                        AccessRules.refusedChange(authentication.get(), context.getRequest()) == null);
        HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
        requestCache.setRequestMatcher(request -> !PROGRAM.matches(request) && isGet(request));

        List<AuthenticationProvider> signIns = new ArrayList<>();
        signIns.add(new PasswordSignIn(users, passwords, throttle, clock, sso.settings()));
        signIns.addAll(sso.providers());
        http.authenticationManager(new ProviderManager(signIns))
                .authorizeHttpRequests(
                        requests -> requests.dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR)
                                .permitAll()
                                .requestMatchers(PUBLIC_PATHS)
                                .permitAll()
                                .requestMatchers(
                                        "/api/v1/users/**",
                                        "/settings/users/**",
                                        "/api/v1/stripe/**",
                                        "/api/v1/warehouse/**",
                                        "/api/v1/zendesk/**",
                                        "/api/v1/intercom/**",
                                        "/api/v1/freshdesk/**",
                                        "/api/v1/hubspot/**",
                                        "/api/v1/salesforce/**",
                                        "/api/v1/pendo/**",
                                        "/api/v1/event-exports/**",
                                        "/api/v1/configuration/**",
                                        "/settings/configuration/**",
                                        "/settings/handoff",
                                        "/settings/handoff.pdf",
                                        "/api/v1/webhooks/**",
                                        "/settings/webhooks/**",
                                        // Inbound replies to email journeys, posted by a mail service with a key.
                                        "/api/v1/outreach/replies",
                                        // Spam complaints from a feedback loop, posted the same way.
                                        "/api/v1/outreach/complaints",
                                        "/settings/outbox/**",
                                        // The review queue of score disagreements; anyone may read the outcomes.
                                        "/api/v1/health/disagreements",
                                        "/api/v1/health/disagreements/*/review",
                                        "/health/disagreements",
                                        "/health/disagreements/**")
                                .access(AuthorizationManagers.allOf(hasRole("ADMIN"), mayChange))
                                .requestMatchers(SecurityConfiguration::changesConfiguration)
                                .access(AuthorizationManagers.allOf(hasAnyRole("ADMIN", "MANAGER"), mayChange))
                                .anyRequest()
                                .access(AuthorizationManagers.allOf(authenticated(), mayChange)))
                .formLogin(form -> form.loginPage("/login")
                        .usernameParameter("email")
                        .successHandler(successHandler(requestCache))
                        // With single sign-on only, whoever tried a password (a break-glass administrator) gets the
                        // password form again.
                        .failureHandler(new SimpleUrlAuthenticationFailureHandler(
                                sso.settings().ssoOnly() ? "/login?password&error" : "/login?error"))
                        .permitAll())
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?signedOut"))
                .csrf(csrf -> csrf.ignoringRequestMatchers(SecurityConfiguration::withoutAmbientCredentials))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .requestCache(cache -> cache.requestCache(requestCache))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, e) ->
                                (PROGRAM.matches(request) ? apiEntryPoint : signInPage).commence(request, response, e))
                        .accessDeniedHandler((request, response, e) -> (PROGRAM.matches(request)
                                        ? apiAccessDenied
                                        : pageAccessDenied)
                                .handle(request, response, e)))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, apiEntryPoint), CsrfFilter.class)
                .addFilterAfter(new OneTimePasswordFilter(publicPaths()), AuthorizationFilter.class)
                .addFilterAfter(new AuditFilter(audit), OneTimePasswordFilter.class);
        sso.apply(http, successHandler(requestCache));
        return http.build();
    }

    /**
     * Configuration documents and what defines how data is read — scorecards (and drafts made from a backtest's
     * suggestions), segments, the journey, assignment rules, playbooks, data sources, usage metrics and the pilot group: managers and
     * administrators change them (checked here, before a request is read, whatever each module checks besides).
     */
    private static final RequestMatcher CONFIGURATION = new OrRequestMatcher(Arrays.stream(new String[] {
                "/api/v1/scorecards/**",
                "/scorecards/**",
                "/api/v1/backtests/*/suggestions/**",
                "/backtests/*/suggestions/**",
                "/api/v1/segments/**",
                "/segments/**",
                "/api/v1/lifecycle/journey/**",
                "/lifecycle/**",
                "/api/v1/books/rules/**",
                "/books/versions/**",
                "/api/v1/playbooks/**",
                "/playbooks/**",
                "/api/v1/sources/**",
                "/sources/**",
                "/api/v1/usage/metrics",
                "/api/v1/pilot/**",
                "/settings/pilot/**",
                "/api/v1/surveys/**",
                "/surveys/**",
                "/api/v1/outreach/**",
                "/outreach/**"
            })
            .map(path ->
                    (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(path))
            .toList());

    static boolean changesConfiguration(HttpServletRequest request) {
        return !AccessRules.safe(request) && CONFIGURATION.matches(request);
    }

    /** Sends people back where they were going, unless they must first replace a one-time password. */
    private static AuthenticationSuccessHandler successHandler(RequestCache requestCache) {
        SavedRequestAwareAuthenticationSuccessHandler usual = new SavedRequestAwareAuthenticationSuccessHandler();
        usual.setRequestCache(requestCache);
        return (request, response, authentication) -> {
            if (authentication.getPrincipal() instanceof SignedInUser user && user.mustChangePassword()) {
                response.sendRedirect(OneTimePasswordFilter.PASSWORD_PAGE);
            } else {
                usual.onAuthenticationSuccess(request, response, authentication);
            }
        };
    }

    /**
     * CSRF abuses credentials a browser sends by itself: the session cookie. A request with an API key, or an API
     * request without any session, carries none, so checking it for a token would only turn a clear 401 into a 403.
     */
    private static boolean withoutAmbientCredentials(HttpServletRequest request) {
        return ApiKeyAuthenticationFilter.hasBearer(request)
                || (API.matches(request) && request.getSession(false) == null)
                || ONE_CLICK_UNSUBSCRIBE.matches(request)
                || ONE_CLICK_JOURNEY_UNSUBSCRIBE.matches(request);
    }

    /**
     * RFC 8058 one-click unsubscribe: a mail program posts to the link of a survey email's List-Unsubscribe header,
     * with no session and no CSRF token; the link's signed token is the proof, and unsubscribing is all it can do.
     */
    private static final RequestMatcher ONE_CLICK_UNSUBSCRIBE = PathPatternRequestMatcher.withDefaults()
            .matcher(org.springframework.http.HttpMethod.POST, "/nps/*/unsubscribe");

    /** The same for an email journey's email. */
    private static final RequestMatcher ONE_CLICK_JOURNEY_UNSUBSCRIBE = PathPatternRequestMatcher.withDefaults()
            .matcher(org.springframework.http.HttpMethod.POST, "/email/*/unsubscribe");

    private static RequestMatcher publicPaths() {
        List<RequestMatcher> matchers = Arrays.stream(PUBLIC_PATHS)
                .map(path -> (RequestMatcher)
                        PathPatternRequestMatcher.withDefaults().matcher(path))
                .toList();
        return new OrRequestMatcher(matchers);
    }

    private static boolean isGet(HttpServletRequest request) {
        return "GET".equals(request.getMethod());
    }
}
