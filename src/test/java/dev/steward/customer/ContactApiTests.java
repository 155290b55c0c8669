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
class ContactApiTests {

    @Autowired
    MockMvc mvc;

    @Test
    void createsReadsChangesAndDeletesAContactWithOptimisticConcurrency() throws Exception {
        String account = createAccount("Contact Co");
        String body = send(post("/api/v1/contacts"), """
                        {"accountId": "%s", "name": "Ada Lovelace", "email": "ada@example.com", "title": "CTO",
                         "role": "champion", "joinedAt": "2024-03-01", "externalId": "C-ADA"}""".formatted(account))
                .andExpect(status().isCreated())
                .andExpect(header().string("ETag", "\"0\""))
                .andExpect(jsonPath("$.role", is("champion")))
                .andExpect(jsonPath("$.source", is("api")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(body, "$.id");

        mvc.perform(get("/api/v1/contacts/" + id))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"0\""))
                .andExpect(jsonPath("$.joinedAt", is("2024-03-01")))
                .andExpect(jsonPath("$.accountId", is(account)));

        send(patch("/api/v1/contacts/" + id), "{\"leftAt\": \"2025-01-31\"}")
                .andExpect(status().isPreconditionRequired());
        send(patch("/api/v1/contacts/" + id).header("If-Match", "\"0\""), "{\"leftAt\": \"2025-01-31\"}")
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"1\""))
                .andExpect(jsonPath("$.leftAt", is("2025-01-31")))
                .andExpect(jsonPath("$.title", is("CTO")))
                .andExpect(jsonPath("$.externalId", is("C-ADA")));
        send(put("/api/v1/contacts/" + id).header("If-Match", "\"0\""), """
                        {"accountId": "%s", "name": "Stale Ada"}""".formatted(account))
                .andExpect(status().isPreconditionFailed());

        mvc.perform(get("/api/v1/accounts/" + account + "/contacts?role=champion"))
                .andExpect(jsonPath("$.items", hasSize(1)))
                .andExpect(jsonPath("$.items[0].name", is("Ada Lovelace")));

        mvc.perform(delete("/api/v1/contacts/" + id).with(csrf())).andExpect(status().isPreconditionRequired());
        mvc.perform(delete("/api/v1/contacts/" + id).header("If-Match", "\"1\"").with(csrf()))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/contacts/" + id)).andExpect(status().isNotFound());
    }

    @Test
    void refusesAContactWhoLeftBeforeJoiningOrBelongsToNoAccount() throws Exception {
        String account = createAccount("Rules Co");
        send(post("/api/v1/contacts"), """
                        {"accountId": "%s", "name": "Time Traveller", "joinedAt": "2024-05-01", "leftAt": "2024-04-30"}""".formatted(account))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("leftAt")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("before joinedAt")));
        send(post("/api/v1/contacts"), "{\"name\": \"Nobody's\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("accountId")));
        send(post("/api/v1/contacts"), """
                        {"accountId": "%s", "name": "Role Player", "role": "boss"}""".formatted(account))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("role")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("executive_sponsor")));
    }

    @Test
    void bulkUpsertResolvesAccountsByExternalIdKeepsFieldsLeftOutAndIsIdempotent() throws Exception {
        String account = JsonPath.read(
                send(post("/api/v1/accounts/bulk?source=crm"), """
                                {"records": [{"externalId": "ACC-1", "name": "Bulk Contacts Co"}]}""")
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.results[0].id");
        String batch = """
                {"records": [
                  {"externalId": "P-1", "accountExternalId": "ACC-1", "name": "Grace", "role": "executive_sponsor",
                   "joinedAt": "2023-01-01", "phone": "+1 555 0100"},
                  {"externalId": "P-2", "accountExternalId": "ACC-1", "name": "Linus", "role": "admin",
                   "joinedAt": "2023-02-01"},
                  {"externalId": "P-3", "accountExternalId": "NOPE", "name": "Lost"},
                  {"externalId": "P-4", "accountExternalId": "ACC-1", "name": "Backwards",
                   "joinedAt": "2023-02-01", "leftAt": "2023-01-01"}
                ]}""";
        send(post("/api/v1/contacts/bulk?source=crm"), batch)
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.created", is(2)))
                .andExpect(jsonPath("$.rejected", is(2)))
                .andExpect(jsonPath("$.results[2].errors[0].field", is("accountExternalId")))
                .andExpect(jsonPath("$.results[2].errors[0].externalId", is("P-3")))
                .andExpect(jsonPath("$.results[3].errors[0].field", is("leftAt")));
        send(post("/api/v1/contacts/bulk?source=crm"), batch)
                .andExpect(jsonPath("$.created", is(0)))
                .andExpect(jsonPath("$.updated", is(0)))
                .andExpect(jsonPath("$.unchanged", is(2)));

        send(post("/api/v1/contacts/bulk?source=crm"), """
                        {"records": [{"externalId": "P-1", "leftAt": "2024-06-30"}]}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.updated", is(1)));
        String id = JsonPath.read(
                mvc.perform(get("/api/v1/contacts?role=executive_sponsor&accountId=" + account))
                        .andExpect(jsonPath("$.items", hasSize(1)))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[0].id");
        mvc.perform(get("/api/v1/contacts/" + id))
                .andExpect(header().string("ETag", "\"1\""))
                .andExpect(jsonPath("$.leftAt", is("2024-06-30")))
                .andExpect(jsonPath("$.phone", is("+1 555 0100")))
                .andExpect(jsonPath("$.name", is("Grace")));
    }

    @Test
    void atomicBulkWritesNothingWhenARecordIsRefused() throws Exception {
        String account = createAccount("Atomic Contacts Co");
        send(post("/api/v1/contacts/bulk?source=atomic&atomic=true"), """
                        {"records": [{"externalId": "A-1", "accountId": "%s", "name": "Fine"},
                                     {"externalId": "A-2", "accountExternalId": "MISSING", "name": "Lost"}]}""".formatted(account))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].index", is(1)))
                .andExpect(jsonPath("$.errors[0].field", is("accountExternalId")));
        mvc.perform(get("/api/v1/accounts/" + account + "/contacts")).andExpect(jsonPath("$.items", hasSize(0)));
    }

    @Test
    void pagesThroughContactsWithACursor() throws Exception {
        String account = createAccount("Paged Contacts Co");
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            records.append(i == 0 ? "" : ",")
                    .append("{\"externalId\":\"PG-%02d\",\"accountId\":\"%s\",\"name\":\"Person %02d\"}"
                            .formatted(i, account, i));
        }
        send(post("/api/v1/contacts/bulk?source=paging"), "{\"records\":[" + records + "]}")
                .andExpect(jsonPath("$.created", is(12)));
        String first = mvc.perform(get("/api/v1/contacts?accountId=" + account + "&sort=-name&limit=5"))
                .andExpect(jsonPath("$.items", hasSize(5)))
                .andExpect(jsonPath("$.items[0].name", is("Person 11")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String second = mvc.perform(get("/api/v1/contacts?accountId=" + account + "&sort=-name&limit=5&cursor="
                        + JsonPath.read(first, "$.next")))
                .andExpect(jsonPath("$.items[0].name", is("Person 06")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        mvc.perform(get("/api/v1/contacts?accountId=" + account + "&sort=-name&limit=5&cursor="
                        + JsonPath.read(second, "$.next")))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andExpect(jsonPath("$.next").doesNotExist());
        mvc.perform(get("/api/v1/contacts?sort=shoeSize"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("sort")));
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
