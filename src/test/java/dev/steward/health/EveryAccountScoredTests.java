package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.anonymous;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import com.stripe.net.Webhook;
import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A fresh installation publishes the catch-all "All other accounts" after the segment scorecards, so that an account
 * created by any source (the REST API, a CSV import, Segment, Stripe) is scored within seconds, with or without a tier
 * and before it has any facts; accounts of a segment keep that segment's scorecard.
 */
@StewardTest
// The scorecards a fresh installation gets, catch-all included (the other tests leave it out).
@TestPropertySource(properties = "steward.health.shipped-scorecards=classpath:health/scorecards/*.yaml")
@WithMockUser(roles = "ADMIN")
class EveryAccountScoredTests {

    private static final String CATCH_ALL = "All other accounts";
    private static final String STRIPE_SECRET = "whsec_every_account_0001";

    @Autowired
    MockMvc mvc;

    @Test
    void aFreshInstallationPublishesTheCatchAllAfterTheSegmentScorecards() throws Exception {
        mvc.perform(get("/api/v1/scorecards"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.name == '" + CATCH_ALL + "')].publishedVersion", hasItem(1)))
                .andExpect(jsonPath("$[?(@.name == '" + CATCH_ALL + "')].priority", hasItem(1000)))
                .andExpect(jsonPath("$[?(@.name == '" + CATCH_ALL + "')].appliesTo", hasItem("true")));
        // Every customer has a scorecard, so the Scorecards page has nobody to list.
        mvc.perform(get("/api/v1/scorecards/unassigned")).andExpect(jsonPath("$.accounts", is(0)));
        // A new scorecard goes before the catch-all by default, or the catch-all would keep every account.
        String created = send(post("/api/v1/scorecards"), """
                        {"name": "Pro", "appliesTo": "account.tier == \\"Pro-later\\"", "template": "blank"}""")
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(JsonPath.<String>read(created, "$.draft.yaml")).contains("\npriority: 40\n");
    }

    @Test
    void anAccountCreatedByEachSourceIsScoredWithinSeconds() throws Exception {
        Map<String, String> accounts = new LinkedHashMap<>();
        accounts.put("API", byApi("{\"name\": \"Api Pro Co\", \"tier\": \"Pro\"}"));
        accounts.put("API (SMB)", byApi("{\"name\": \"Api Small Co\", \"tier\": \"SMB\"}"));
        accounts.put("CSV", byCsv());
        accounts.put("Segment", bySegment());
        accounts.put("Stripe", byStripe());

        for (Map.Entry<String, String> account : accounts.entrySet()) {
            String health = await(account.getKey() + " scored")
                    .pollInSameThread()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> answer(get("/api/v1/accounts/{id}/health", account.getValue())), h -> h != null);
            // None of them has facts yet: too little of the scorecard has data to trust a number, which is Black.
            assertThat(JsonPath.<String>read(health, "$.color"))
                    .as(account.getKey())
                    .isEqualTo("black");
            assertThat(JsonPath.<String>read(health, "$.scorecard"))
                    .as(account.getKey())
                    .isEqualTo(account.getKey().equals("API (SMB)") ? "SMB" : CATCH_ALL);
            mvc.perform(get("/api/v1/accounts/{id}", account.getValue()))
                    .andExpect(jsonPath("$.health.color", is("black")))
                    .andExpect(jsonPath("$.unscored").doesNotExist());
        }
        // Segment's plan is the tier; Stripe's customer had none.
        mvc.perform(get("/api/v1/accounts/{id}", accounts.get("Segment"))).andExpect(jsonPath("$.tier", is("pro")));
        mvc.perform(get("/api/v1/accounts/{id}", accounts.get("Stripe")))
                .andExpect(jsonPath("$.tier").doesNotExist());
    }

    private String byApi(String body) throws Exception {
        String created = send(post("/api/v1/accounts"), body)
                .andExpect(status().isCreated())
                // Answered before any re-score: it says the score is coming.
                .andExpect(jsonPath("$.unscored.status", is("pending")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        return JsonPath.read(created, "$.id");
    }

    private String byCsv() throws Exception {
        String upload = mvc.perform(multipart("/api/v1/imports")
                        .file(new MockMultipartFile(
                                "file",
                                "accounts.csv",
                                "text/csv",
                                "account_id,name,tier\r\nCSV-1,Csv Basic Co,Basic\r\n"
                                        .getBytes(StandardCharsets.UTF_8)))
                        .param("entity", "accounts")
                        .param("source", "crm-every-account")
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        mvc.perform(post("/api/v1/imports/" + JsonPath.read(upload, "$.id") + "/run")
                        .with(csrf()))
                .andExpect(jsonPath("$.created", is(1)));
        return idOf("Csv Basic Co");
    }

    private String bySegment() throws Exception {
        send(post("/api/v1/sources"), """
                        {"name": "segment-every-account", "kind": "segment", "settings": {"traits": {"name": "name", "plan": "tier"}}}""").andExpect(status().isCreated());
        String key = JsonPath.read(
                send(post("/api/v1/sources/segment-every-account/write-keys"), "{\"name\": \"test\"}")
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.writeKey");
        mvc.perform(post("/v1/identify")
                        .header("Authorization", basic(key))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"userId": "ann", "traits": {"email": "ann@segment-co.test"}}"""))
                .andExpect(status().isOk());
        mvc.perform(post("/v1/group")
                        .header("Authorization", basic(key))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"userId": "ann", "groupId": "seg-co", "traits": {"name": "Segment Pro Co", "plan": "pro"}}"""))
                .andExpect(status().isOk());
        // Segment's events are applied in the background, a second or so later.
        return await("the Segment group applied")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .until(() -> idOrNull("Segment Pro Co"), id -> id != null);
    }

    private String byStripe() throws Exception {
        send(post("/api/v1/stripe/sources"), """
                        {"name": "stripe-every-account", "signingSecret": "%s"}""".formatted(STRIPE_SECRET)).andExpect(status().isCreated());
        String payload;
        try (InputStream in = getClass().getResourceAsStream("/stripe/customer.created.json")) {
            payload = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    // A customer without a tier, as Stripe knows nothing of segments.
                    .replace("\"tier\": \"Mid-Market\",", "")
                    .replace("cus_StwNorthwind01", "cus_EveryAccount01")
                    .replace("evt_1StwCustCreated0001", "evt_EveryAccount0001")
                    .replace("Northwind Traders", "Stripe Untiered Co");
        }
        long t = TestClock.NOW.getEpochSecond();
        mvc.perform(post("/webhooks/stripe/stripe-every-account")
                        .with(anonymous())
                        .header(
                                "Stripe-Signature",
                                "t=" + t + ",v1=" + Webhook.Util.computeHmacSha256(STRIPE_SECRET, t + "." + payload))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(payload.getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome", is("applied")));
        return idOf("Stripe Untiered Co");
    }

    private String idOf(String name) throws Exception {
        String id = idOrNull(name);
        assertThat(id).as(name).isNotNull();
        return id;
    }

    private String idOrNull(String name) throws Exception {
        List<String> ids = JsonPath.read(
                mvc.perform(get("/api/v1/accounts").param("q", name))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[*].id");
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** The answer's body when it is 200, else {@code null}. */
    private String answer(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult result = mvc.perform(request).andReturn();
        return result.getResponse().getStatus() == 200 ? result.getResponse().getContentAsString() : null;
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }
}
