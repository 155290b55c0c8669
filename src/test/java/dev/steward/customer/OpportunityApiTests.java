package dev.steward.customer;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@StewardTest
@WithMockUser(roles = "ADMIN")
class OpportunityApiTests {

    @Autowired
    MockMvc mvc;

    @Test
    void createsChangesAndDeletesAnOpportunityWithOptimisticConcurrency() throws Exception {
        String account = createAccount("Opportunity Co");
        String body = send(post("/api/v1/opportunities"), """
                        {"accountId": "%s", "name": "Upsell analytics", "type": "expansion", "amount": 25000,
                         "stage": "prospecting", "closeDate": "2026-03-31", "createdAt": "2025-11-02T09:30:00Z"}""".formatted(account))
                .andExpect(status().isCreated())
                .andExpect(header().string("ETag", "\"0\""))
                .andExpect(jsonPath("$.type", is("expansion")))
                .andExpect(jsonPath("$.createdAt", is("2025-11-02T09:30:00Z")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(body, "$.id");

        send(patch("/api/v1/opportunities/" + id), "{\"stage\": \"negotiation\"}")
                .andExpect(status().isPreconditionRequired());
        send(patch("/api/v1/opportunities/" + id).header("If-Match", "\"0\""), "{\"stage\": \"negotiation\"}")
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"1\""))
                .andExpect(jsonPath("$.stage", is("negotiation")))
                .andExpect(jsonPath("$.amount", is(25000.0)))
                .andExpect(jsonPath("$.createdAt", is("2025-11-02T09:30:00Z")));
        send(put("/api/v1/opportunities/" + id).header("If-Match", "\"0\""), """
                        {"accountId": "%s", "name": "Stale", "type": "new", "stage": "closed_lost"}""".formatted(account))
                .andExpect(status().isPreconditionFailed());

        mvc.perform(get("/api/v1/accounts/" + account + "/opportunities?type=expansion&stage=negotiation"))
                .andExpect(jsonPath("$.items", hasSize(1)))
                .andExpect(jsonPath("$.items[0].name", is("Upsell analytics")));
        mvc.perform(get("/api/v1/accounts/" + account + "/opportunities?type=renewal"))
                .andExpect(jsonPath("$.items", hasSize(0)));

        mvc.perform(delete("/api/v1/opportunities/" + id)
                        .header("If-Match", "\"0\"")
                        .with(csrf()))
                .andExpect(status().isPreconditionFailed());
        mvc.perform(delete("/api/v1/opportunities/" + id)
                        .header("If-Match", "\"1\"")
                        .with(csrf()))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/opportunities/" + id)).andExpect(status().isNotFound());
    }

    @Test
    void refusesANegativeAmountAnUnknownTypeAndAMissingStage() throws Exception {
        String account = createAccount("Picky Co");
        send(post("/api/v1/opportunities"), """
                        {"accountId": "%s", "name": "Refund", "type": "new", "amount": -1, "stage": "prospecting"}""".formatted(account))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("amount")));
        send(post("/api/v1/opportunities"), """
                        {"accountId": "%s", "name": "Odd", "type": "upsell", "stage": "prospecting"}""".formatted(account))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("type")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("expansion")));
        send(post("/api/v1/opportunities"), """
                        {"accountId": "%s", "name": "Stageless", "type": "new"}""".formatted(account))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("stage")));
        mvc.perform(get("/api/v1/opportunities?type=upsell"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("type")));
    }

    @Test
    void bulkUpsertIsIdempotentKeepsFieldsLeftOutAndRejectsUnknownAccounts() throws Exception {
        String account = JsonPath.read(
                send(post("/api/v1/accounts/bulk?source=crm"), """
                                {"records": [{"externalId": "ACC-O", "name": "Bulk Opportunities Co"}]}""")
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.results[0].id");
        String batch = """
                {"records": [
                  {"externalId": "O-1", "accountExternalId": "ACC-O", "name": "Renewal 2026", "type": "renewal",
                   "amount": 50000, "stage": "negotiation", "closeDate": "2026-01-31",
                   "createdAt": "2025-10-01T08:00:00.123456789Z"},
                  {"externalId": "O-2", "accountExternalId": "ACC-X", "name": "Lost", "type": "new",
                   "stage": "prospecting"},
                  {"externalId": "O-3", "accountExternalId": "ACC-O", "type": "new", "stage": "prospecting"}
                ]}""";
        send(post("/api/v1/opportunities/bulk?source=crm"), batch)
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.created", is(1)))
                .andExpect(jsonPath("$.results[1].errors[0].field", is("accountExternalId")))
                .andExpect(jsonPath("$.results[1].errors[0].externalId", is("O-2")))
                .andExpect(jsonPath("$.results[2].errors[0].field", is("name")));
        send(post("/api/v1/opportunities/bulk?source=crm"), batch)
                .andExpect(jsonPath("$.unchanged", is(1)))
                .andExpect(jsonPath("$.updated", is(0)));
        send(post("/api/v1/opportunities/bulk?source=crm&atomic=true"), """
                        {"records": [{"externalId": "O-1", "stage": "closed_won"},
                                     {"externalId": "O-4", "name": "Nowhere", "type": "new", "stage": "x"}]}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("accountExternalId")));
        send(post("/api/v1/opportunities/bulk?source=crm"), """
                        {"records": [{"externalId": "O-1", "stage": "closed_won"}]}""").andExpect(jsonPath("$.updated", is(1)));
        mvc.perform(get("/api/v1/opportunities?stage=closed_won&accountId=" + account))
                .andExpect(jsonPath("$.items", hasSize(1)))
                .andExpect(jsonPath("$.items[0].version", is(1)))
                .andExpect(jsonPath("$.items[0].amount", is(50000.0)))
                .andExpect(jsonPath("$.items[0].createdAt", is("2025-10-01T08:00:00.123456Z")));
    }

    private String createAccount(String name) throws Exception {
        return JsonPath.read(
                send(post("/api/v1/accounts"), "{\"name\": \"" + name + "\"}")
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(json));
    }
}
