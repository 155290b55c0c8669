package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.stereotype.Controller;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A defect is not the client's fault: an unexpected exception (even an IllegalArgumentException) is a 500 with a
 * correlation id that the log line with the stack trace repeats, never a 400. Not-found answers read as sentences.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@ExtendWith(OutputCaptureExtension.class)
class ErrorAnswersTests {

    @Autowired
    MockMvc mvc;

    @TestConfiguration
    static class Defects {

        @RestController
        static class DefectiveApi {
            @GetMapping("/api/v1/test-defect")
            String fail() {
                throw new IllegalArgumentException("a bug, not bad input");
            }
        }

        @Controller
        static class DefectivePage {
            @GetMapping("/test-defect")
            String fail() {
                throw new IllegalStateException("a bug on a page");
            }
        }
    }

    @Test
    void anUnexpectedIllegalArgumentIsA500WhoseCorrelationIdIsInTheLogWithTheStackTrace(CapturedOutput output)
            throws Exception {
        String body = mvc.perform(get("/api/v1/test-defect"))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/internal-error")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(body, "$.correlationId");
        assertThat(JsonPath.<String>read(body, "$.detail")).contains(id).doesNotContain("a bug");
        assertThat(output.getAll())
                .contains("Unexpected error " + id + " on GET /api/v1/test-defect")
                .contains("java.lang.IllegalArgumentException: a bug, not bad input")
                .contains("at dev.steward.core.ErrorAnswersTests$Defects$DefectiveApi.fail");
    }

    @Test
    void anUnexpectedFailureOnAPageShowsTheCorrelationId(CapturedOutput output) throws Exception {
        String page = mvc.perform(get("/test-defect"))
                .andExpect(status().isInternalServerError())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String logged = output.getAll();
        int at = logged.indexOf("Unexpected error ") + "Unexpected error ".length();
        String id = logged.substring(at, at + 36);
        assertThat(page).contains("correlation id " + id).doesNotContain("a bug on a page");
        assertThat(logged).contains("java.lang.IllegalStateException: a bug on a page");
    }

    @Test
    void requestsNoControllerTakesAreProblemDetailsInSentences() throws Exception {
        mvc.perform(get("/api/v1/no-such-thing"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/not-found")))
                .andExpect(jsonPath(
                        "$.detail",
                        is("Steward's API has no GET /api/v1/no-such-thing; its endpoints are listed at /api/docs")));
        mvc.perform(delete("/api/v1/accounts"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", "GET, POST"))
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/method-not-allowed")))
                .andExpect(jsonPath("$.detail", is("/api/v1/accounts does not take DELETE; it takes GET, POST")));
        mvc.perform(get("/no-such-page").accept(MediaType.TEXT_HTML))
                .andExpect(status().isNotFound())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("There is no page at /no-such-page")));
    }

    @Test
    void parametersOfTheWrongTypeOrMissingNameTheParameterAndWhatItMustBe() throws Exception {
        mvc.perform(get("/api/v1/accounts/not-a-uuid"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/invalid-parameter")))
                .andExpect(jsonPath("$.errors[0].field", is("id")))
                .andExpect(
                        jsonPath("$.errors[0].reason", org.hamcrest.Matchers.startsWith("'not-a-uuid' is not an id")));
        mvc.perform(get("/api/v1/insight/executive/accounts"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("figure")))
                .andExpect(jsonPath("$.errors[0].reason", is("is required")));
        mvc.perform(post("/api/v1/accounts").contentType(MediaType.TEXT_PLAIN).content("x"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/unsupported-media-type")))
                .andExpect(jsonPath("$.detail", org.hamcrest.Matchers.containsString("application/json")))
                .andExpect(jsonPath("$.detail", org.hamcrest.Matchers.containsString("text/plain")));
        mvc.perform(get("/api/v1/accounts").accept(MediaType.IMAGE_PNG))
                .andExpect(status().isNotAcceptable())
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/not-acceptable")))
                .andExpect(jsonPath("$.detail", org.hamcrest.Matchers.containsString("image/png")));
    }

    @Test
    void notFoundAnswersAreSentences() throws Exception {
        String created = mvc.perform(post("/api/v1/accounts")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Never Scored\"}"))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String scored = JsonPath.read(created, "$.id");
        mvc.perform(get("/api/v1/accounts/" + scored + "/health").param("date", "2026-11-30"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail", is("Account " + scored + " has no health score on 2026-11-30.")));
        UUID account = UUID.randomUUID();
        mvc.perform(get("/api/v1/accounts/" + account + "/health").param("date", "2026-11-30"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail", is("There is no account with id " + account + ".")));
        mvc.perform(get("/api/v1/accounts/" + account))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail", is("There is no account with id " + account + ".")));
    }
}
