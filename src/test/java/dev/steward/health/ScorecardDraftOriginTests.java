package dev.steward.health;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.DocumentVersion;
import dev.steward.core.StewardTest;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

/** A draft saved from a backtest's suggestion says so: in the API, on the scorecard's page and in its history. */
@StewardTest
@WithMockUser(roles = "ADMIN")
class ScorecardDraftOriginTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ScorecardManagement scorecards;

    @Test
    void aDraftFromABacktestRecordsWhichBacktestAndAPersonsDraftDoesNot() throws Exception {
        User admin = new User(null, "admin@steward.local", "Admin", Role.ADMIN, true);
        String yaml = scorecards
                .version("SMB", 1)
                .yaml()
                .replace("name: SMB", "name: Origin Card")
                .replace("account.tier == \"SMB\"", "account.tier == \"Origin\"");
        scorecards.saveDraft("Origin Card", yaml, admin);
        UUID run = UUID.fromString("0b5e0c9a-5b7d-4c2e-9a1f-0d2b4c6e8f10");
        scorecards.saveDraft(
                "Origin Card",
                yaml,
                admin,
                new DocumentVersion.Origin("backtest", run, "Logins only", "/backtests/" + run));

        mvc.perform(get("/api/v1/scorecards/{name}/versions", "Origin Card"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].version", is(2)))
                .andExpect(jsonPath("$[0].origin.kind", is("backtest")))
                .andExpect(jsonPath("$[0].origin.id", is(run.toString())))
                .andExpect(jsonPath("$[0].origin.label", is("Logins only")))
                .andExpect(jsonPath("$[1].origin").doesNotExist());
        mvc.perform(get("/api/v1/scorecards/{name}/versions/2", "Origin Card"))
                .andExpect(jsonPath("$.origin.link", is("/backtests/" + run)));
        mvc.perform(get("/scorecards/{name}", "Origin Card"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"origin\"")))
                .andExpect(content().string(containsString("backtest “Logins only”")))
                .andExpect(content().string(containsString("href=\"/backtests/" + run + "\"")))
                .andExpect(content().string(containsString("data-testid=\"version-origin\"")));
    }
}
