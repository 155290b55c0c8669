package dev.steward.ingest.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * Connecting Stripe with an API key through the API, against a local server answering as Stripe's API does: a refused
 * key is a 422 naming apiKey with Stripe's reason and creates nothing; a restricted key that may not read the account
 * still connects; a backfill that Stripe stops half-way says why.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
class StripeBackfillApiTests {

    private static final String REFUSED = "sk_test_51StwUnknownKey00000";
    private static final String RESTRICTED = "rk_live_51StwNoAccountRead0";

    static WireMockServer stripe;

    @Autowired
    MockMvc mvc;

    @BeforeAll
    static void startStripe() {
        stripe = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        stripe.start();
        stripe.stubFor(get(urlPathEqualTo("/v1/customers"))
                .withHeader("Authorization", equalTo("Bearer " + REFUSED))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"error": {"message": "Invalid API Key provided: sk_test_****0000",
                                           "type": "invalid_request_error"}}""")));
        stripe.stubFor(get(urlPathEqualTo("/v1/account"))
                .withHeader("Authorization", equalTo("Bearer " + RESTRICTED))
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"error": {"message": "The provided key 'rk_live_****ead0' does not have the required \
                                permissions for this endpoint on account 'acct_1Stw'.",
                                           "type": "invalid_request_error"}}""")));
        stripe.stubFor(get(urlPathEqualTo("/v1/customers"))
                .withHeader("Authorization", equalTo("Bearer " + RESTRICTED))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"object": "list", "url": "/v1/customers", "has_more": false, "data": [
                                  {"id": "cus_StwOnly01", "object": "customer", "name": "Only Customer",
                                   "created": 1740000000, "metadata": {}}]}""")));
        stripe.stubFor(get(urlPathEqualTo("/v1/subscriptions"))
                .withHeader("Authorization", equalTo("Bearer " + RESTRICTED))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"error": {"message": "Too many requests hit the API too quickly.",
                                           "type": "invalid_request_error", "code": "rate_limit"}}""")));
    }

    @DynamicPropertySource
    static void stripeApi(DynamicPropertyRegistry registry) {
        registry.add("steward.stripe.api-url", () -> "http://127.0.0.1:" + stripe.port());
    }

    @AfterAll
    static void stopStripe() {
        stripe.stop();
    }

    @Test
    void aKeyStripeRefusesCreatesNothing() throws Exception {
        mvc.perform(MockMvcRequestBuilders.post("/api/v1/stripe/sources")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "stripe-refused", "signingSecret": "whsec_StwSecret01",
                                 "apiKey": "%s"}""".formatted(REFUSED)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("apiKey")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        is("Stripe refused the key: Invalid API Key provided: sk_test_****0000")));
        mvc.perform(MockMvcRequestBuilders.get("/api/v1/stripe/sources/stripe-refused"))
                .andExpect(status().isNotFound());
        mvc.perform(MockMvcRequestBuilders.post("/api/v1/stripe/sources")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "stripe-typo", "signingSecret": "whsec_StwSecret01",
                                 "apiKey": "pk_live_publishable"}"""))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason", containsString("secret key")));
    }

    @Test
    void aRestrictedKeyConnectsAndABackfillStripeStopsSaysWhy() throws Exception {
        mvc.perform(MockMvcRequestBuilders.post("/api/v1/stripe/sources")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "stripe-restricted", "signingSecret": "whsec_StwSecret01",
                                 "apiKey": "%s"}""".formatted(RESTRICTED)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.apiKey.keyHint", is("rk_live_…ead0")))
                .andExpect(jsonPath("$.apiKey.accountName").doesNotExist())
                .andExpect(jsonPath("$.backfill.startedAt").exists());
        String failed = Awaitility.await("the backfill stops")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .pollInSameThread()
                .until(
                        () -> mvc.perform(MockMvcRequestBuilders.get("/api/v1/stripe/sources/stripe-restricted"))
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        body -> !"running".equals(JsonPath.read(body, "$.backfill.state")));
        org.assertj.core.api.Assertions.assertThat(JsonPath.<String>read(failed, "$.backfill.state"))
                .isEqualTo("failed");
        org.assertj.core.api.Assertions.assertThat(JsonPath.<Integer>read(failed, "$.backfill.customers"))
                .as("what was read before Stripe stopped answering stays applied")
                .isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(JsonPath.<String>read(failed, "$.backfill.failure"))
                .isEqualTo("Too many requests hit the API too quickly.");
    }
}
