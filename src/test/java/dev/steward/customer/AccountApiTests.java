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

@StewardTest
@WithMockUser(roles = "ADMIN")
class AccountApiTests {

    @Autowired
    MockMvc mvc;

    @Test
    void createsReadsAndUpdatesAnAccountWithOptimisticConcurrency() throws Exception {
        String body = send(post("/api/v1/accounts"), """
                        {"name": "Acme Corp", "tier": "Enterprise", "employees": 1200,
                         "externalIds": {"salesforce": "001-ACME"}, "customFields": {"plan": "gold"}}""")
                .andExpect(status().isCreated())
                .andExpect(header().string("ETag", "\"0\""))
                .andExpect(jsonPath("$.externalIds.salesforce", is("001-ACME")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(body, "$.id");

        mvc.perform(get("/api/v1/accounts/" + id))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"0\""))
                .andExpect(jsonPath("$.name", is("Acme Corp")))
                .andExpect(jsonPath("$.customFields.plan", is("gold")));

        send(put("/api/v1/accounts/" + id), "{\"name\": \"Acme\"}")
                .andExpect(status().isPreconditionRequired())
                .andExpect(jsonPath("$.type", containsString("if-match-required")));

        send(patch("/api/v1/accounts/" + id).header("If-Match", "\"0\""), "{\"region\": \"EMEA\", \"employees\": null}")
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"1\""))
                .andExpect(jsonPath("$.region", is("EMEA")))
                .andExpect(jsonPath("$.employees").doesNotExist())
                .andExpect(jsonPath("$.tier", is("Enterprise")));

        // A second editor still holding version 0 must not overwrite the change.
        send(put("/api/v1/accounts/" + id).header("If-Match", "\"0\""), "{\"name\": \"Acme Stale\"}")
                .andExpect(status().isPreconditionFailed())
                .andExpect(jsonPath("$.detail", containsString("changed by someone else")));

        mvc.perform(delete("/api/v1/accounts/" + id).header("If-Match", "\"1\"").with(csrf()))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/accounts/" + id))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.status", is(404)));
    }

    @Test
    void badInputGetsAProblemNamingTheField() throws Exception {
        send(post("/api/v1/accounts"), "{\"name\": \"X\", \"employes\": 5}")
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("unknown field 'employes'")));
        send(post("/api/v1/accounts"), "{\"name\": \"X\", \"employees\": \"many\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("employees")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("whole number")));
        send(post("/api/v1/accounts"), "{\"name\": ")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].reason", containsString("malformed JSON")));
        send(post("/api/v1/accounts"), "{\"tier\": \"SMB\", \"employees\": -3}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors", hasSize(2)));
    }

    @Test
    void bulkUpsertStoresValidRecordsReportsInvalidOnesAndIsIdempotent() throws Exception {
        String batch = """
                {"records": [
                  {"externalId": "B-1", "name": "Parent Qx Co", "tier": "Enterprise"},
                  {"externalId": "B-2", "name": "Child Qx Co", "parentExternalId": "B-1", "tier": "SMB"},
                  {"externalId": "B-3", "name": "Broken", "employees": "lots"},
                  {"externalId": "B-1", "name": "Duplicate"},
                  {"externalId": "B-4", "name": "Orphan", "parentExternalId": "NOPE"}
                ]}""";
        send(post("/api/v1/accounts/bulk?source=crm"), batch)
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.created", is(2)))
                .andExpect(jsonPath("$.rejected", is(3)))
                .andExpect(jsonPath("$.results[2].status", is("rejected")))
                .andExpect(jsonPath("$.results[2].errors[0].field", is("employees")))
                .andExpect(jsonPath("$.results[2].errors[0].externalId", is("B-3")))
                .andExpect(jsonPath("$.results[3].errors[0].reason", containsString("more than once")))
                .andExpect(jsonPath("$.results[4].errors[0].field", is("parentExternalId")));

        send(post("/api/v1/accounts/bulk?source=crm"), batch)
                .andExpect(jsonPath("$.created", is(0)))
                .andExpect(jsonPath("$.updated", is(0)))
                .andExpect(jsonPath("$.unchanged", is(2)));

        String parentId = JsonPath.read(
                mvc.perform(get("/api/v1/accounts?q=parent qx"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[0].id");
        mvc.perform(get("/api/v1/accounts?q=qx&sort=-name"))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andExpect(jsonPath("$.items[0].name", is("Parent Qx Co")))
                .andExpect(jsonPath("$.items[1].parentId", is(parentId)));
    }

    @Test
    void bulkUpsertRefusesCyclesAndAtomicRequestsWriteNothing() throws Exception {
        send(post("/api/v1/accounts/bulk?source=cyc"), """
                        {"records": [{"externalId": "C-1", "name": "One"},
                                     {"externalId": "C-2", "name": "Two", "parentExternalId": "C-1"}]}""").andExpect(status().isOk());
        send(post("/api/v1/accounts/bulk?source=cyc"), """
                        {"records": [{"externalId": "C-1", "parentExternalId": "C-2"}]}""")
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.results[0].errors[0].reason", containsString("its own ancestor")));

        send(post("/api/v1/accounts/bulk?source=atomic&atomic=true"), """
                        {"records": [{"externalId": "A-1", "name": "Fine"},
                                     {"externalId": "A-2", "name": ""}]}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].index", is(1)))
                .andExpect(jsonPath("$.errors[0].field", is("name")));
        mvc.perform(get("/api/v1/accounts?q=Fine")).andExpect(jsonPath("$.items", hasSize(0)));
    }

    @Test
    void bulkUpsertRefusesOnlyTheRecordWhoseOtherSystemIdBelongsToAnotherAccount() throws Exception {
        send(post("/api/v1/accounts/bulk?source=ext"), """
                        {"records": [{"externalId": "E-1", "name": "Holder", "externalIds": {"stripe": "cus_1"}}]}""").andExpect(status().isOk());
        send(post("/api/v1/accounts/bulk?source=ext"), """
                        {"records": [{"externalId": "E-2", "name": "Claimant", "externalIds": {"stripe": "cus_1"}},
                                     {"externalId": "E-3", "name": "Innocent", "externalIds": {"stripe": "cus_3"}}]}""")
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.results[0].errors[0].field", is("externalIds.stripe")))
                .andExpect(jsonPath("$.results[0].errors[0].reason", containsString("already belongs to account")))
                .andExpect(jsonPath("$.results[1].status", is("created")));
    }

    @Test
    void pagesThroughAccountsWithACursor() throws Exception {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            records.append(i == 0 ? "" : ",")
                    .append("{\"externalId\":\"P-%02d\",\"name\":\"Paged %02d\",\"employees\":%d}"
                            .formatted(i, i, i % 5));
        }
        send(post("/api/v1/accounts/bulk?source=paging"), "{\"records\":[" + records + "]}")
                .andExpect(jsonPath("$.created", is(25)));
        String first = mvc.perform(get("/api/v1/accounts?q=Paged&sort=-employees&limit=10"))
                .andExpect(jsonPath("$.items", hasSize(10)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String second = mvc.perform(get(
                        "/api/v1/accounts?q=Paged&sort=-employees&limit=10&cursor=" + JsonPath.read(first, "$.next")))
                .andExpect(jsonPath("$.items", hasSize(10)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        mvc.perform(get("/api/v1/accounts?q=Paged&sort=-employees&limit=10&cursor=" + JsonPath.read(second, "$.next")))
                .andExpect(jsonPath("$.items", hasSize(5)))
                .andExpect(jsonPath("$.next").doesNotExist())
                .andExpect(jsonPath("$.items[4].employees", is(0)));
        mvc.perform(get("/api/v1/accounts?sort=colour"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("sort")));
    }

    private ResultActions send(
            org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request, String json)
            throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(json));
    }
}
