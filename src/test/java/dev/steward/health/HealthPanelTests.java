package dev.steward.health;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@StewardTest
// A CSM with a user row who owns the accounts the tests load (as an administrator: bulk loads cross books).
@WithMockUser(username = "panel.csm@example.com", roles = "CSM")
class HealthPanelTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    dev.steward.identity.UserManagement users;

    @org.junit.jupiter.api.BeforeEach
    void csm() {
        users.createIfAbsent("panel.csm@example.com", "Panel Csm", dev.steward.identity.Role.CSM);
    }

    @Autowired
    HealthScoring scoring;

    @Test
    void anAccountNoScorecardAppliesToSaysWhyAndWhereToFixIt() throws Exception {
        // No scorecard applies to an account without a tier, so no re-score elsewhere in these tests scores it.
        String account = account("Unscored Co", "U-1", 0);
        mvc.perform(get("/accounts/" + account + "/health-panel"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("No scorecard applies to")))
                .andExpect(content().string(containsString("not set")))
                .andExpect(content().string(containsString("account.tier == &quot;SMB&quot;")))
                .andExpect(content().string(containsString("href=\"/scorecards#unassigned\"")))
                // Creating scorecards is an administrator's: a CSM is not offered it.
                .andExpect(content().string(not(containsString("health-no-scorecard-create"))))
                .andExpect(content().string(not(containsString("override-form"))));
    }

    @Test
    void thePanelExplainsTheScoreShowsTheTrendAndWhatChanged() throws Exception {
        String account = account("Explained Co", "E-1", 8);
        LocalDate today = scoring.today();
        scoring.rescoreAll(today.minusDays(30));
        scoring.rescoreAll(today.minusDays(7));
        scoring.rescoreAll(today);
        AccountHealth health =
                scoring.current(java.util.UUID.fromString(account)).orElseThrow();

        String panel = mvc.perform(get("/accounts/" + account + "/health-panel"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(containsString("data-testid=\"health-score\">"
                                + String.format(java.util.Locale.ROOT, "%.1f", health.score()) + "<")))
                .andExpect(content().string(containsString("SMB v1")))
                .andExpect(content().string(containsString("data-measure=\"License utilization\"")))
                .andExpect(content().string(containsString("data-testid=\"trend-7\"")))
                .andExpect(content().string(containsString("data-testid=\"trend-30\"")))
                .andExpect(content().string(not(containsString("data-testid=\"trend-90\""))))
                .andExpect(content().string(containsString("data-testid=\"changes-summary\"")))
                .andExpect(content().string(containsString("override-form")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        // The score, its color and each measure link to their explanation in the scorecard version's methodology.
        java.util.regex.Matcher measureLink = java.util.regex.Pattern.compile(
                        "href=\"(/scorecards/SMB/versions/1/methodology)#(measure-[a-z0-9-]*license-utilization)\"")
                .matcher(panel);
        org.assertj.core.api.Assertions.assertThat(measureLink.find())
                .as("a link from the measure to its methodology")
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(panel)
                .contains("href=\"/scorecards/SMB/versions/1/methodology#colors\"")
                .contains("href=\"/scorecards/SMB/versions/1/methodology#how-the-score-is-built\"");
        mvc.perform(get(measureLink.group(1)))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"" + measureLink.group(2) + "\"")))
                .andExpect(content().string(containsString("id=\"colors\"")))
                .andExpect(content().string(containsString("id=\"how-the-score-is-built\"")));
        // 8 active users of 20 seats: a ratio written as a share.
        org.assertj.core.api.Assertions.assertThat(panel).contains(">40%<");
        // The chart puts each score at its day on a time axis from the first score to the last: 23 days between the
        // first two, 7 between the last two.
        org.assertj.core.api.Assertions.assertThat(panel)
                .contains(("{&quot;from&quot;:&quot;%s&quot;,&quot;to&quot;:&quot;%s&quot;,&quot;points&quot;:"
                                + "[[&quot;%s&quot;,")
                        .formatted(today.minusDays(30), today, today.minusDays(30)))
                .contains("],[&quot;%s&quot;,".formatted(today.minusDays(7)))
                .contains("],[&quot;%s&quot;,".formatted(today));
        // What changed offers the three scored days, newest first, and compares the one a month back with today.
        String from = panel.substring(panel.indexOf("id=\"changes-from\""), panel.indexOf("id=\"changes-to\""));
        org.assertj.core.api.Assertions.assertThat(java.util.regex.Pattern.compile("<option value=\"([0-9-]+)\"")
                        .matcher(from)
                        .results()
                        .map(m -> m.group(1))
                        .toList())
                .containsExactly(
                        today.toString(),
                        today.minusDays(7).toString(),
                        today.minusDays(30).toString());
        org.assertj.core.api.Assertions.assertThat(from)
                .contains("<option value=\"%s\" selected=\"selected\">".formatted(today.minusDays(30)));

        mvc.perform(get("/accounts/" + account + "/health-changes")
                        .param("from", today.minusDays(100).toString())
                        .param("to", today.toString()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("No score was stored on " + today.minusDays(100))));
    }

    @Test
    void anOverrideWithoutAReasonIsRefusedBesideTheFieldAndAValidOneShowsTheComputedScoreBesideIt() throws Exception {
        String account = account("Overridden Co", "O-1", 8);
        LocalDate today = scoring.today();
        scoring.rescoreAll(today);

        mvc.perform(post("/accounts/" + account + "/health-panel/override")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("color", "red")
                        .param("reason", "")
                        .param("expiresOn", today.plusDays(30).toString()))
                .andExpect(status().isOk())
                .andExpect(header().doesNotExist("HX-Trigger"))
                .andExpect(content().string(containsString("say why the computed health is wrong")))
                .andExpect(content().string(not(containsString("data-testid=\"health-override\""))));

        mvc.perform(post("/accounts/" + account + "/health-panel/override")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("color", "red")
                        .param("reason", "Champion left last week")
                        .param("expiresOn", today.plusDays(400).toString()))
                .andExpect(content().string(containsString("at most 90 days ahead (" + today.plusDays(90))));

        mvc.perform(post("/accounts/" + account + "/health-panel/override")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("color", "red")
                        .param("score", "")
                        .param("reason", "Champion left last week")
                        .param("expiresOn", today.plusDays(30).toString()))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Trigger", "health-changed"))
                .andExpect(content().string(containsString("data-testid=\"health-override\"")))
                .andExpect(content().string(containsString("Champion left last week")))
                .andExpect(content().string(containsString("data-testid=\"health-computed\"")))
                .andExpect(content().string(containsString("Remove override")))
                .andExpect(content().string(not(containsString("Earlier overrides"))));

        mvc.perform(post("/accounts/" + account + "/health-panel/override/remove")
                        .with(csrf())
                        .header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("data-testid=\"health-override\""))))
                .andExpect(content().string(not(containsString("Remove override"))))
                .andExpect(content().string(containsString("Earlier overrides")))
                .andExpect(content().string(containsString("Champion left last week")))
                .andExpect(content().string(containsString("removed by")));
    }

    @Test
    void viewersReadTheHealthButCannotOverrideIt() throws Exception {
        String account = account("Viewed Co", "V-1", 8);
        scoring.rescoreAll(scoring.today());
        mvc.perform(get("/accounts/" + account + "/health-panel")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"health-score\"")))
                .andExpect(content().string(not(containsString("override-form"))));
        mvc.perform(post("/accounts/" + account + "/health-panel/override")
                        .with(user("viewer").roles("VIEWER"))
                        .with(csrf())
                        .param("color", "red")
                        .param("reason", "no")
                        .param("expiresOn", scoring.today().plusDays(5).toString()))
                .andExpect(status().isForbidden());
    }

    /** An SMB account (without a tier when it has no users) with a 20-seat contract, a champion and 60 days of usage by this many daily active users. */
    private static final org.springframework.test.web.servlet.request.RequestPostProcessor ADMIN =
            org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user(
                            "panel.admin@example.com")
                    .roles("ADMIN");

    private String account(String name, String externalId, int activeUsers) throws Exception {
        LocalDate today = scoring.today();
        String tier = activeUsers > 0 ? "\"SMB\"" : "null";
        send(post("/api/v1/accounts/bulk?source=crm").with(ADMIN), """
                        {"records": [{"externalId": "%s", "name": "%s", "tier": %s,
                          "ownerEmail": "panel.csm@example.com"}]}""".formatted(externalId, name, tier))
                .andExpect(status().isOk());
        send(post("/api/v1/contracts/bulk?source=crm").with(ADMIN), """
                        {"records": [{"externalId": "%s-K", "accountExternalId": "%s", "startDate": "%s",
                          "endDate": "%s", "arr": 12000, "seats": 20}]}""".formatted(
                                externalId, externalId, today.minusDays(200), today.plusDays(165)))
                .andExpect(status().isOk());
        String list = mvc.perform(get("/api/v1/accounts").param("q", name))
                .andReturn()
                .getResponse()
                .getContentAsString();
        // The account of this very name (a search for "Viewed Co" also finds other tests' "Viewed Timeline Co").
        List<String> ids = JsonPath.read(list, "$.items[?(@.name == '" + name + "')].id");
        String id = ids.get(0);
        if (activeUsers > 0) {
            List<String> rows = new ArrayList<>();
            for (int day = 1; day <= 120; day++) {
                String date = today.minusDays(day).toString();
                rows.add("{\"day\": \"%s\", \"metric\": \"active_users\", \"value\": %d}".formatted(date, activeUsers));
                rows.add("{\"day\": \"%s\", \"metric\": \"logins\", \"value\": %d}".formatted(date, 3 * activeUsers));
                rows.add("{\"day\": \"%s\", \"metric\": \"feature.reports\", \"value\": 2}".formatted(date));
            }
            send(post("/api/v1/accounts/" + id + "/usage"), "[" + String.join(",", rows) + "]")
                    .andExpect(status().isOk());
        }
        return id;
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(json));
    }
}
