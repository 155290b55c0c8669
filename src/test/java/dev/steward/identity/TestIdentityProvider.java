package dev.steward.identity;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * An OpenID Connect identity provider for tests: Spring Authorization Server in its own small application on a free
 * port, with one confidential client ({@link #CLIENT_ID}) and the {@link #PEOPLE} below, whose ID tokens carry their
 * email, name and {@code groups}. People sign in at its own form with a username and {@link #PASSWORD}.
 *
 * <p>Deliberately not a {@code @Configuration}: Steward's component scan (which covers this package in tests) must not
 * pick it up.
 */
@ImportAutoConfiguration({
    TomcatServletWebServerAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class,
    SecurityAutoConfiguration.class,
    ServletWebSecurityAutoConfiguration.class,
    SecurityFilterAutoConfiguration.class
})
class TestIdentityProvider {

    static final String CLIENT_ID = "steward";
    static final String CLIENT_SECRET = "steward-test-secret";
    static final String PASSWORD = "identity-provider-password";

    /** Someone the identity provider knows: username, email, name and groups. */
    record Person(String username, String email, String name, List<String> groups) {}

    static final Map<String, Person> PEOPLE = Map.of(
            "grace", new Person("grace", "Grace.Hopper@example.com", "Grace Hopper", List.of("everyone", "cs-team")),
            "linus", new Person("linus", "linus@example.com", "Linus Pauling", List.of("cs-admins")),
            "mallory", new Person("mallory", "mallory@example.com", "Mallory Marketing", List.of("marketing")),
            "dora", new Person("dora", "dora@example.com", "Dora Disabled", List.of("cs-team")));

    /** Where the client may be sent back to; Steward's port is known only once it runs, after this one started. */
    private static volatile String redirectUri = "http://localhost/login/oauth2/code/sso";

    private final ConfigurableApplicationContext context;

    private TestIdentityProvider(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static TestIdentityProvider start() {
        return new TestIdentityProvider(new SpringApplicationBuilder(TestIdentityProvider.class)
                .web(WebApplicationType.SERVLET)
                .run(
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--spring.application.name=identity-provider"));
    }

    /** The issuer, which the identity provider names after the address it is asked at. */
    String issuer() {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    void sendBackTo(String uri) {
        redirectUri = uri;
    }

    void stop() {
        context.close();
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(server -> {
                    http.securityMatcher(server.getEndpointsMatcher());
                    server.oidc(Customizer.withDefaults());
                })
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()))
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain signIn(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .build();
    }

    @Bean
    UserDetailsService people() {
        return new InMemoryUserDetailsManager(PEOPLE.values().stream()
                .map(person -> User.withUsername(person.username())
                        .password("{noop}" + PASSWORD)
                        .roles("USER")
                        .build())
                .toList());
    }

    @Bean
    RegisteredClientRepository clients() {
        String id = UUID.randomUUID().toString();
        return new RegisteredClientRepository() {
            @Override
            public void save(RegisteredClient registeredClient) {
                // Asked to keep the secret encoded anew after a sign-in: the client stays as it is.
            }

            @Override
            public RegisteredClient findById(String wanted) {
                return id.equals(wanted) ? client(id) : null;
            }

            @Override
            public RegisteredClient findByClientId(String wanted) {
                return CLIENT_ID.equals(wanted) ? client(id) : null;
            }
        };
    }

    private static RegisteredClient client(String id) {
        return RegisteredClient.withId(id)
                .clientId(CLIENT_ID)
                .clientSecret("{noop}" + CLIENT_SECRET)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(redirectUri)
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .scope(OidcScopes.EMAIL)
                .build();
    }

    /** What the ID token says about the person besides their subject: email, name and groups. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> idTokenClaims() {
        return context -> {
            if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
                Person person = PEOPLE.get(context.getPrincipal().getName());
                context.getClaims()
                        .claim("email", person.email())
                        .claim("email_verified", true)
                        .claim("name", person.name())
                        .claim("groups", person.groups());
            }
        };
    }

    @Bean
    JWKSource<SecurityContext> keys() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                .privateKey((RSAPrivateKey) pair.getPrivate())
                .keyID(UUID.randomUUID().toString())
                .build();
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> keys) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
        return AuthorizationServerSettings.builder().build();
    }
}
