package dev.steward.ingest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.savedrequest.NullRequestCache;

/**
 * The tracking APIs (Segment's {@code /v1/**}; Amplitude's {@code /2/httpapi} and {@code /batch}; Mixpanel's
 * {@code /import} and {@code /track}) are authenticated by write keys, which their controllers check themselves: no
 * session, no sign-in page and no CSRF token, since senders are programs that carry no cookies.
 */
@Configuration(proxyBeanMethods = false)
class TrackingApiSecurity {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain trackingApiFilterChain(HttpSecurity http) throws Exception {
        return http.securityMatcher("/v1/**", "/2/httpapi", "/batch", "/import", "/track")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .build();
    }
}
