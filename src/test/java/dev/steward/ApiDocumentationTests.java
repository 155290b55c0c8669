package dev.steward;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

@StewardTest
@WithMockUser(roles = "VIEWER")
class ApiDocumentationTests {

    @Autowired
    MockMvc mvc;

    @Test
    void theOpenApiDocumentDescribesEveryResource() throws Exception {
        mvc.perform(get("/api/v1/openapi.json"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/v1/accounts'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/accounts'].get.parameters[?(@.name == 'health')]")
                        .isNotEmpty())
                .andExpect(jsonPath("$.paths['/api/v1/accounts/bulk'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/contracts/bulk'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/accounts/{id}/timeline'].get")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/usage/bulk'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/api-keys'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/notifications'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/notifications/preferences'].put")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/webhooks'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/sources'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/sources/{name}/settings'].put")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/sources/{name}/write-keys'].post")
                        .exists())
                .andExpect(
                        jsonPath("$.paths['/api/v1/sources/{name}/status'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/sources/{name}/quarantine'].get")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/sources/{name}/quarantine/replay'].post")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/scorecards/{name}/versions'].post")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/scorecards'].post").exists())
                .andExpect(
                        jsonPath("$.paths['/api/v1/scorecards/unassigned'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/scorecards/{name}/versions/{version}/publish'].post")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/stripe/sources'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/stripe/sources/{name}/secrets'].post")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/stripe/sources/{name}/secrets/{id}'].delete")
                        .exists())
                .andExpect(
                        jsonPath("$.paths['/api/v1/data-quality/accounts'].get").exists())
                .andExpect(
                        jsonPath("$.paths['/api/v1/data-quality/sources'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/imports'].post").exists())
                .andExpect(
                        jsonPath("$.paths['/api/v1/imports/{id}/mapping'].put").exists())
                .andExpect(jsonPath("$.paths['/api/v1/imports/{id}/run'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/imports/{id}/rejected.csv'].get")
                        .exists())
                .andExpect(
                        jsonPath("$.paths['/api/v1/accounts/{id}/health'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/accounts/{id}/health/as-of'].get")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/accounts/{id}/health/override'].post")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/health/as-of'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/scorecards/{name}/versions/{version}/preview'].get")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/backtests'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/backtests/{id}'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/backtests/compare'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/backtests/{id}/figures.csv'].get")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/v1/backtests/{id}/suggestions/{scorecard}/draft'].post")
                        .exists())
                .andExpect(
                        jsonPath("$.components.securitySchemes.apiKey.scheme").value("bearer"));
    }

    @Test
    void theSwaggerUiIsServed() throws Exception {
        mvc.perform(get("/api/docs")).andExpect(status().is3xxRedirection());
        mvc.perform(get("/api/swagger-ui/index.html"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Swagger UI")));
    }
}
