package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Links to static files are written as the resource chain resolves them (a web jar's version put in), and every other
 * link is left as written, without looking it up on the class path.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
class StaticResourceUrlsTests {

    @Autowired
    MockMvc mvc;

    @TestConfiguration
    static class Links {

        @RestController
        static class LinkWriter {
            @GetMapping("/test-links")
            String links(HttpServletResponse response) {
                return String.join(
                        "\n",
                        response.encodeURL("/webjars/bootstrap/css/bootstrap.min.css"),
                        response.encodeURL("/css/steward.css"),
                        response.encodeURL("/accounts/3f1e0c9a-0000-4000-8000-000000000001"),
                        response.encodeURL("/insight/executive/accounts?figure=at-risk&color=red"));
            }
        }
    }

    @Test
    void webJarLinksGetTheirVersionAndPageLinksStayAsWritten() throws Exception {
        String[] links = mvc.perform(get("/test-links"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString()
                .split("\n");
        assertThat(links[0]).matches("/webjars/bootstrap/5\\.[0-9.]+/css/bootstrap\\.min\\.css");
        assertThat(links[1]).isEqualTo("/css/steward.css");
        assertThat(links[2]).isEqualTo("/accounts/3f1e0c9a-0000-4000-8000-000000000001");
        assertThat(links[3]).isEqualTo("/insight/executive/accounts?figure=at-risk&color=red");
    }

    @Test
    void onlyStaticPathsCount() {
        assertThat(StaticResourceUrls.isStatic("", "/webjars/htmx.org/dist/htmx.min.js"))
                .isTrue();
        assertThat(StaticResourceUrls.isStatic("", "/js/steward.js")).isTrue();
        assertThat(StaticResourceUrls.isStatic("", "/accounts")).isFalse();
        assertThat(StaticResourceUrls.isStatic("/steward", "/steward/css/steward.css"))
                .isTrue();
        assertThat(StaticResourceUrls.isStatic("/steward", "/css/steward.css")).isFalse();
    }
}
