package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Input an integrator or an attacker might send: each gets a 4xx problem naming the field and the reason, checked
 * before any work, never a 500, never a silently altered value.
 */
@StewardTest
@WithMockUser(username = "admin@steward.local", roles = "ADMIN")
class HostileInputTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void aNulCharacterInAnyJsonStringIsRefusedNamingTheField() throws Exception {
        createAccount("{\"name\": \"Nul\\u0000Corp\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("name")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("NUL")));
        createAccount("{\"name\": \"Fine\", \"customFields\": {\"notes\": [\"ok\", \"bad\\u0000\"]}}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("customFields.notes[1]")));
        createAccount("{\"name\": \"Fine\", \"customFields\": {\"k\\u0000\": 1}}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("customFields")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("key")));
    }

    @Test
    void aLoneSurrogateIsRefusedNotTurnedIntoAQuestionMark() throws Exception {
        createAccount("{\"name\": \"Broken \\ud800 Name\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("name")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("surrogate")));
        createAccount("{\"name\": \"Emoji \\ud83d\\ude00 Inc\"}").andExpect(status().isCreated());
        assertThat(jdbc.sql("select count(*) from account where name like 'Broken%'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void yearsOutsideOneToNineThousandNineHundredNinetyNineAreRefusedNamingTheField() throws Exception {
        String account = id(createAccount("{\"name\": \"Dated\"}").andExpect(status().isCreated()));
        for (String date : new String[] {"0000-01-01", "+99999-01-01"}) {
            MockHttpServletResponse response = mvc.perform(post("/api/v1/contracts")
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"accountId\": \"" + account + "\", \"startDate\": \"" + date
                                    + "\", \"endDate\": \"2027-01-01\", \"arr\": 1000}"))
                    .andReturn()
                    .getResponse();
            assertThat(response.getStatus()).as(response.getContentAsString()).isIn(400, 422);
            assertThat(JsonPath.<String>read(response.getContentAsString(), "$.errors[0].field"))
                    .isEqualTo("startDate");
        }
        mvc.perform(post("/api/v1/contracts")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"accountId\": \"" + account
                                + "\", \"startDate\": \"0000-06-01\", \"endDate\": \"2027-01-01\", \"arr\": 1}"))
                .andExpect(jsonPath("$.errors[0].reason", containsString("year 0 is outside 0001–9999")));
    }

    @Test
    void twoAndAHalfEmployeesAreRefusedNotStoredAsTwo() throws Exception {
        createAccount("{\"name\": \"Half A Person\", \"employees\": 2.5}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("employees")));
        assertThat(jdbc.sql("select count(*) from account where name = 'Half A Person'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aYamlAliasBombIsRefusedWith422() throws Exception {
        StringBuilder bomb =
                new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char level = 'b'; level <= 'j'; level++) {
            bomb.append(level).append(": &").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ",").append('*').append((char) (level - 1));
            }
            bomb.append("]\n");
        }
        mvc.perform(post("/api/v1/scorecards/validate")
                        .contentType(MediaType.TEXT_PLAIN)
                        .content(bomb.toString()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("document")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("aliases")));
    }

    @Test
    void aScorecardOverItsSizeLimitIsRefusedBeforeItIsParsed() throws Exception {
        String huge = "name: Huge\n"
                + "# padding padding padding padding padding padding padding padding\n".repeat(5 * 1024 * 1024 / 64);
        long started = System.nanoTime();
        mvc.perform(post("/api/v1/scorecards/validate")
                        .contentType(MediaType.TEXT_PLAIN)
                        .content(huge))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("document")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("at most 256 KB")));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void namesAndCustomFieldsHaveLimits() throws Exception {
        mvc.perform(post("/api/v1/api-keys")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"" + "k".repeat(1024 * 1024) + "\", \"scope\": \"read\"}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("name")));
        mvc.perform(post("/api/v1/users")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"email\": \"" + "e".repeat(300) + "@example.com\", \"displayName\": \""
                                + "n".repeat(201) + "\", \"role\": \"CSM\"}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("email")))
                .andExpect(jsonPath("$.errors[1].field", is("displayName")));
        StringBuilder fields = new StringBuilder("{");
        for (int i = 0; i < 101; i++) {
            fields.append(i == 0 ? "" : ",")
                    .append("\"f")
                    .append(i)
                    .append("\": ")
                    .append(i);
        }
        createAccount("{\"name\": \"Many Fields\", \"customFields\": " + fields + "}}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason", containsString("at most 100")));
        createAccount("{\"name\": \"Long Key\", \"customFields\": {\"" + "k".repeat(101) + "\": 1}}")
                .andExpect(status().isUnprocessableContent());
        createAccount("{\"name\": \"Long Value\", \"customFields\": {\"k\": \"" + "v".repeat(2001) + "\"}}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("customFields.k")));
    }

    @Test
    void aPageSizeOutsideOneToFiveHundredIsRefusedNamingLimit() throws Exception {
        for (String limit : new String[] {"-1", "0", "100000", "many"}) {
            mvc.perform(get("/api/v1/accounts").param("limit", limit))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[0].field", is("limit")));
        }
        mvc.perform(get("/api/v1/accounts").param("limit", "500")).andExpect(status().isOk());
    }

    @Test
    void aBodyOverTheGlobalLimitIsRefusedWith413() throws Exception {
        mvc.perform(post("/api/v1/accounts")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"" + "x".repeat(11 * 1024 * 1024) + "\"}"))
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/too-large")));
    }

    @Test
    void aReplaceRacingADeleteAnswers404Not500() throws Exception {
        String created = createAccount("{\"name\": \"Raced\"}")
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(created, "$.id");
        String version = "\"" + JsonPath.read(created, "$.version") + "\"";
        try (Connection deleter = dataSource.getConnection();
                Statement statement = deleter.createStatement()) {
            deleter.setAutoCommit(false);
            // Holds the row, so that the replace checks the account, then waits for the delete to commit.
            statement.execute("select 1 from account where id = '" + id + "' for update");
            CompletableFuture<MockHttpServletResponse> replace = CompletableFuture.supplyAsync(() -> {
                try {
                    return mvc.perform(put("/api/v1/accounts/" + id)
                                    .with(user("admin@steward.local").roles("ADMIN"))
                                    .header("If-Match", version)
                                    .contentType(MediaType.APPLICATION_JSON)
                                    .content("{\"name\": \"Raced, renamed\"}"))
                            .andReturn()
                            .getResponse();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                                            + " and query ilike '%update account a%'")
                                    .query(Long.class)
                                    .single()
                            > 0);
            statement.execute("delete from account where id = '" + id + "'");
            deleter.commit();
            MockHttpServletResponse response = replace.get(20, TimeUnit.SECONDS);
            assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(404);
        }
        mvc.perform(delete("/api/v1/accounts/" + id).header("If-Match", version))
                .andExpect(status().isNotFound());
    }

    private ResultActions createAccount(String json) throws Exception {
        return mvc.perform(
                post("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private static String id(ResultActions result) throws Exception {
        return JsonPath.read(result.andReturn().getResponse().getContentAsString(), "$.id");
    }
}
