package dev.steward.customer;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

@StewardTest
// Loads its accounts in bulk, which crosses books: an administrator (see BookPermissionsTests).
@WithMockUser(roles = "ADMIN")
class AccountPagesTests {

    @Autowired
    MockMvc mvc;

    String northwind;

    @BeforeEach
    void accounts() throws Exception {
        String body = mvc.perform(post("/api/v1/accounts/bulk?source=pages")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"records": [
                                  {"externalId": "N-1", "name": "Northwind Traders", "tier": "Enterprise"},
                                  {"externalId": "N-2", "name": "Northwind Europe", "tier": "SMB", "parentExternalId": "N-1"},
                                  {"externalId": "C-1", "name": "Contoso Pharma", "tier": "SMB"}]}"""))
                .andReturn()
                .getResponse()
                .getContentAsString();
        northwind = JsonPath.read(body, "$.results[0].id");
    }

    @Test
    void theListFiltersBySearchAndSegment() throws Exception {
        mvc.perform(get("/accounts?q=northwind&tier=SMB"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Northwind Europe")))
                .andExpect(content().string(not(containsString("Northwind Traders"))))
                .andExpect(content().string(not(containsString("Contoso"))));
    }

    @Test
    void htmxGetsOnlyTheResultsFragment() throws Exception {
        mvc.perform(get("/accounts?q=contoso").header("HX-Request", "true").header("HX-Target", "account-results"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Contoso Pharma")))
                .andExpect(content().string(not(containsString("<nav class=\"navbar"))));
    }

    @Test
    void theAccountPageShowsTheHierarchyAndLoadsTimelineAndUsage() throws Exception {
        mvc.perform(get("/accounts/" + northwind))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Northwind Europe")))
                .andExpect(content().string(containsString("/accounts/" + northwind + "/timeline")))
                .andExpect(content().string(containsString("/accounts/" + northwind + "/usage-panel")));
        // Its lifecycle stage may be on the timeline already (the journey's rules place new accounts within seconds).
        mvc.perform(get("/accounts/" + northwind + "/timeline").param("kinds", "ticket", "note"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Nothing recorded yet")));
        mvc.perform(get("/accounts/" + northwind + "/usage-panel"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("usage-chart")));
    }

    @Test
    void anUnknownAccountIsANotFoundPage() throws Exception {
        mvc.perform(get("/accounts/" + UUID.randomUUID()))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("Back to accounts")));
    }
}
