package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

/**
 * An installation without the catch-all (one from before it, or where an administrator narrowed it): an account no
 * published scorecard applies to is told so within seconds of its creation, with the reason, on its page, in the
 * accounts list, in data quality and in the API, each with a way to fix it.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
class NoScorecardAppliesTests {

    @Autowired
    MockMvc mvc;

    @Test
    void anAccountNoScorecardAppliesToIsToldWhyEverywhereWithALinkToFixIt() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String name = "Nomatch " + suffix;
        String tier = "Platinum " + suffix;
        String created = mvc.perform(post("/api/v1/accounts")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"%s\", \"tier\": \"%s\"}".formatted(name, tier)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.unscored.status", is("pending")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(created, "$.id");

        // The re-score a new account asks for finds no scorecard for it, and says so on the account.
        String account = await("the new account's re-score")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> mvc.perform(get("/api/v1/accounts/{id}", id))
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        body -> "no-scorecard".equals(JsonPath.read(body, "$.unscored.status")));
        assertThat(JsonPath.<String>read(account, "$.unscored.reason"))
                .startsWith("No published scorecard applies to it: ")
                // Other tests' scorecards in the shared database may stand between them.
                .contains("Enterprise applies to account.tier == \"Enterprise\"")
                .contains("Mid-Market applies to account.tier == \"Mid-Market\"")
                .contains("SMB applies to account.tier == \"SMB\"");
        mvc.perform(get("/api/v1/accounts/{id}/health", id))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail", containsString("No published scorecard applies to it")));

        // The account page's health panel: what was tried, and where to fix it.
        mvc.perform(get("/accounts/{id}/health-panel", id))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("No scorecard applies to"),
                                containsString(tier),
                                containsString("account.tier == &quot;Mid-Market&quot;"),
                                containsString("href=\"/scorecards#unassigned\""),
                                containsString("href=\"/scorecards/new?name=Platinum+" + suffix
                                        + "&amp;appliesTo=account.tier+%3D%3D+%22Platinum+" + suffix + "%22\""))));

        // The accounts list: "no scorecard" in the health column, and a filter for them.
        mvc.perform(get("/accounts").param("health", "no-scorecard").param("q", name))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString(name),
                                containsString("data-testid=\"account-no-scorecard\""),
                                containsString(">no scorecard</a>"))));
        // Its tier is its own: other tests' accounts without a scorecard, in the shared database, fill many pages.
        mvc.perform(get("/api/v1/accounts").param("health", "no-scorecard").param("tier", "Platinum " + suffix))
                .andExpect(jsonPath("$.items[*].name", hasItem(name)));
        mvc.perform(get("/api/v1/accounts").param("health", "no-scorecard").param("tier", "SMB"))
                .andExpect(jsonPath("$.items.length()", is(0)));

        // Data quality: counted as an issue, with the list and the fix.
        mvc.perform(get("/api/v1/data-quality/summary"))
                .andExpect(jsonPath("$.noScorecard.accounts", greaterThanOrEqualTo(1)))
                .andExpect(jsonPath("$.noScorecard.listPath", is("/accounts?health=no-scorecard")))
                .andExpect(jsonPath("$.noScorecard.fixPath", is("/scorecards#unassigned")));
        mvc.perform(get("/data-quality"))
                .andExpect(content()
                        .string(allOf(
                                containsString("data-testid=\"dq-no-scorecard\""),
                                containsString("no published scorecard applies to"),
                                containsString("href=\"/accounts?health=no-scorecard\""),
                                containsString("href=\"/scorecards#unassigned\""))));
    }
}
