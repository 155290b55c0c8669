package dev.steward.customer;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.test.web.servlet.MockMvc;

/** Reads the accounts list of the API page by page, following its cursor, as a client would. */
final class AccountListPages {

    private AccountListPages() {}

    /**
     * The names of the accounts {@code GET /api/v1/accounts} lists with these parameters (absent ones left out), in
     * the order it gives them, over at most 20 pages; {@code ids} maps each name the test made to its id.
     */
    static List<String> names(MockMvc mvc, Map<String, String> ids, Map<String, String> parameters) throws Exception {
        Map<String, String> byId = new LinkedHashMap<>();
        ids.forEach((name, id) -> byId.put(id, name));
        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = get("/api/v1/accounts");
            parameters.forEach((name, value) -> {
                if (value != null) {
                    request.param(name, value);
                }
            });
            if (cursor != null) {
                request.param("cursor", cursor);
            }
            String body = mvc.perform(request)
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            List<String> page = JsonPath.read(body, "$.items[*].id");
            page.forEach(id -> names.add(byId.get(id)));
            Map<String, Object> answer = JsonPath.read(body, "$");
            cursor = (String) answer.get("next");
            pages++;
        } while (cursor != null && pages < 20);
        return names;
    }
}
