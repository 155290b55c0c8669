package dev.steward.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.Digests;
import dev.steward.core.StewardTest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@StewardTest
class ApiKeyTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    UserManagement users;

    @Autowired
    Clock clock;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aReadWriteKeyActsAsItsUserWithoutCsrfAndIsStoredOnlyAsAHash() throws Exception {
        BrowserSession session = signIn(SignInTests.ADMIN, SignInTests.ADMIN_PASSWORD);
        String created = createKey(session, "CRM sync", "read_write");
        String secret = JsonPath.read(created, "$.secret");
        String id = JsonPath.read(created, "$.key.id");
        assertThat(secret).startsWith("stw_").hasSizeGreaterThanOrEqualTo(4 + 43);

        send(post("/api/v1/accounts"), secret, "{\"name\": \"Created By Key\"}").andExpect(status().isCreated());

        String row = jdbc.sql("select row(api_key.*)::text from api_key where id = ?")
                .param(UUID.fromString(id))
                .query(String.class)
                .single();
        assertThat(row)
                .doesNotContain(secret)
                .contains(Digests.sha256Hex(secret))
                .contains(secret.substring(0, 10));

        mvc.perform(get("/api/v1/api-keys").with(session))
                .andExpect(jsonPath("$[?(@.id == '" + id + "')].prefix", contains(secret.substring(0, 10))))
                .andExpect(content().string(not(containsString(secret))));
    }

    @Test
    void aReadOnlyKeyCanOnlyRead() throws Exception {
        BrowserSession session = signIn(SignInTests.ADMIN, SignInTests.ADMIN_PASSWORD);
        String secret = JsonPath.read(createKey(session, "Dashboard", "read"), "$.secret");

        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret))
                .andExpect(status().isOk());
        send(post("/api/v1/accounts"), secret, "{\"name\": \"Not Allowed\"}")
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", is("This API key may only read the accounts area")));
    }

    @Test
    void aViewersKeyCannotChangeDataWhateverItsScope() throws Exception {
        users.createIfAbsent("key.viewer@example.com", "Kim Viewer", Role.VIEWER, "viewer password 2");
        BrowserSession session = signIn("key.viewer@example.com", "viewer password 2");
        String secret = JsonPath.read(createKey(session, "Reports", "read_write"), "$.secret");

        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret))
                .andExpect(status().isOk());
        send(post("/api/v1/accounts"), secret, "{\"name\": \"Not Allowed\"}")
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", is("Your role VIEWER can read but not change data")));
    }

    @Test
    void aRevokedOrUnknownKeyIsRefusedWithAProblem() throws Exception {
        BrowserSession session = signIn(SignInTests.ADMIN, SignInTests.ADMIN_PASSWORD);
        String created = createKey(session, "Old integration", "read");
        String secret = JsonPath.read(created, "$.secret");
        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret))
                .andExpect(status().isOk());

        mvc.perform(delete("/api/v1/api-keys/" + JsonPath.read(created, "$.key.id"))
                        .with(session)
                        .with(csrf()))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("revoked")));
        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer stw_made-up"))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/api-keys").with(session))
                .andExpect(jsonPath("$[?(@.name == 'Old integration')].revokedAt", hasSize(1)));
    }

    @Test
    void lastUseIsRecordedAtMostOnceAMinute() throws Exception {
        BrowserSession session = signIn(SignInTests.ADMIN, SignInTests.ADMIN_PASSWORD);
        String created = createKey(session, "Poller", "read");
        String secret = JsonPath.read(created, "$.secret");
        UUID id = UUID.fromString(JsonPath.read(created, "$.key.id"));
        assertThat(lastUsed(id)).isNull();

        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret));
        Timestamp first = lastUsed(id);
        assertThat(first).isEqualTo(Timestamp.from(clock.instant()));
        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret));
        assertThat(lastUsed(id)).isEqualTo(first);

        // Two minutes on, the next use is recorded.
        Timestamp twoMinutesEarlier = Timestamp.from(first.toInstant().minus(Duration.ofMinutes(2)));
        jdbc.sql("update api_key set last_used_at = ? where id = ?")
                .params(twoMinutesEarlier, id)
                .update();
        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret));
        assertThat(lastUsed(id)).isAfter(twoMinutesEarlier).isEqualTo(Timestamp.from(clock.instant()));
    }

    @Test
    void theKeysPageCreatesAKeyShowsItsSecretOnceAndRevokesIt() throws Exception {
        BrowserSession session = signIn(SignInTests.ADMIN, SignInTests.ADMIN_PASSWORD);
        String fragment = mvc.perform(post("/settings/api-keys")
                        .with(session)
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("name", "Page key")
                        .param("expiresInDays", "30")
                        .param("area-accounts", "write")
                        .param("area-activity", "none")
                        .param("area-usage", "read")
                        .param("area-configuration", "none"))
                .andExpect(status().isOk())
                .andExpect(content().string(startsWith("<div id=\"api-keys\"")))
                .andExpect(content().string(containsString("only this once")))
                .andExpect(content().string(containsString("accounts: write, usage: read")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String secret = fragment.replaceAll("(?s).*(stw_[A-Za-z0-9_-]{43}).*", "$1");
        UUID id = jdbc.sql("select id from api_key where secret_hash = ?")
                .param(Digests.sha256Hex(secret))
                .query(UUID.class)
                .single();

        assertThat(jdbc.sql("select expires_at from api_key where id = ?")
                        .param(id)
                        .query(Timestamp.class)
                        .single())
                .isEqualTo(Timestamp.from(clock.instant().plus(Duration.ofDays(30))));
        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/scorecards").header("Authorization", "Bearer " + secret))
                .andExpect(status().isForbidden());

        String rotated = mvc.perform(post("/settings/api-keys/" + id + "/rotate")
                        .with(session)
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("graceHours", "0"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Rotated.")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String replacement = rotated.replaceAll("(?s).*(stw_[A-Za-z0-9_-]{43}).*", "$1");
        assertThat(replacement).isNotEqualTo(secret);
        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + replacement))
                .andExpect(status().isOk());

        mvc.perform(get("/settings/api-keys").with(session))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Page key")))
                .andExpect(content().string(not(containsString(secret))))
                .andExpect(content().string(not(containsString(replacement))));
        mvc.perform(delete("/settings/api-keys/" + id)
                        .with(session)
                        .with(csrf())
                        .header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("revoked")));
        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void aKeyWorksOnlyInItsAreasAndWritesOnlyWhereAllowed() throws Exception {
        BrowserSession session = signIn(SignInTests.ADMIN, SignInTests.ADMIN_PASSWORD);
        String created = create(
                        session,
                        "{\"name\": \"Usage feed\", \"areas\": {\"usage\": \"write\", \"Accounts\": \"read\"}}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.key.scope").doesNotExist())
                .andExpect(jsonPath("$.key.areas.usage", is("write")))
                .andExpect(jsonPath("$.key.areas.accounts", is("read")))
                .andExpect(jsonPath("$.key.areas.activity").doesNotExist())
                .andExpect(jsonPath(
                        "$.key.expiresAt",
                        is(clock.instant().plus(Duration.ofDays(90)).toString())))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String secret = JsonPath.read(created, "$.secret");
        String account = JsonPath.read(
                mvc.perform(get("/api/v1/accounts?limit=1").header("Authorization", "Bearer " + secret))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[0].id");

        mvc.perform(get("/api/v1/usage/metrics").header("Authorization", "Bearer " + secret))
                .andExpect(status().isOk())
                .andExpect(header().string("RateLimit-Limit", "12000"))
                .andExpect(header().string("RateLimit-Policy", "12000;w=60"));
        mvc.perform(get("/api/v1/accounts/" + account + "/usage").header("Authorization", "Bearer " + secret))
                .andExpect(status().is(allOf(not(401), not(403))));
        send(post("/api/v1/accounts"), secret, "{\"name\": \"Not Allowed\"}")
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", is("This API key may only read the accounts area")));
        mvc.perform(get("/api/v1/accounts/" + account + "/tickets").header("Authorization", "Bearer " + secret))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath(
                        "$.detail",
                        is("This API key has no access to the activity area (/api/v1/accounts/" + account
                                + "/tickets)")));
        mvc.perform(get("/api/v1/scorecards").header("Authorization", "Bearer " + secret))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", containsString("no access to the configuration area")));
        mvc.perform(get("/api/v1/api-keys").header("Authorization", "Bearer " + secret))
                .andExpect(status().isForbidden());
    }

    @Test
    void aKeyRequestIsCheckedFieldByFieldBeforeAnythingIsMade() throws Exception {
        BrowserSession session = signIn(SignInTests.ADMIN, SignInTests.ADMIN_PASSWORD);
        long before = keyCount();
        create(session, "{\"name\": \"Bad\", \"areas\": {\"crm\": \"write\", \"usage\": \"admin\"}}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("areas.crm", "areas.usage")))
                .andExpect(jsonPath(
                        "$.errors[?(@.field == 'areas.usage')].reason",
                        contains("is 'admin'; it must be read or write")));
        create(session, "{\"name\": \"Bad\", \"scope\": \"read\", \"areas\": {\"usage\": \"read\"}}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("scope")));
        create(session, "{\"name\": \"Bad\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("areas")));
        create(session, "{\"name\": \"Bad\", \"scope\": \"read\", \"expiresInDays\": 731}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("expiresInDays")))
                .andExpect(jsonPath("$.errors[0].reason", is("is 731; a key lives from 1 to 730 days")));
        assertThat(keyCount()).isEqualTo(before);
    }

    @Test
    void anExpiredKeyIsRefusedAndSaysWhenItExpired() throws Exception {
        BrowserSession session = signIn(SignInTests.ADMIN, SignInTests.ADMIN_PASSWORD);
        String created = create(session, "{\"name\": \"Short\", \"scope\": \"read\", \"expiresInDays\": 1}")
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String secret = JsonPath.read(created, "$.secret");
        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret))
                .andExpect(status().isOk());
        // A day passes: the test's clock stands still, so the key's expiry is brought to now instead.
        jdbc.sql("update api_key set expires_at = ? where id = ?")
                .params(Timestamp.from(clock.instant()), UUID.fromString(JsonPath.read(created, "$.key.id")))
                .update();
        mvc.perform(get("/api/v1/accounts").header("Authorization", "Bearer " + secret))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail", startsWith("The API key expired at " + clock.instant())));
    }

    @Test
    void aRotatedKeyWorksBesideItsReplacementForTheGracePeriodAndIsRotatedOnce() throws Exception {
        BrowserSession session = signIn(SignInTests.ADMIN, SignInTests.ADMIN_PASSWORD);
        String created = create(
                        session,
                        "{\"name\": \"Billing sync\", \"areas\": {\"activity\": \"write\"}, \"expiresInDays\": 30}")
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String oldSecret = JsonPath.read(created, "$.secret");
        String oldId = JsonPath.read(created, "$.key.id");

        String rotated = mvc.perform(post("/api/v1/api-keys/" + oldId + "/rotation")
                        .with(session)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"graceHours\": 24}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.key.name", is("Billing sync")))
                .andExpect(jsonPath("$.key.areas.activity", is("write")))
                .andExpect(jsonPath(
                        "$.key.expiresAt",
                        is(clock.instant().plus(Duration.ofDays(30)).toString())))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String newSecret = JsonPath.read(rotated, "$.secret");
        String newId = JsonPath.read(rotated, "$.key.id");
        String tickets = "/api/v1/tickets/bulk";
        for (String secret : new String[] {oldSecret, newSecret}) {
            send(post(tickets), secret, "[]").andExpect(status().is(allOf(not(401), not(403))));
        }
        mvc.perform(get("/api/v1/api-keys").with(session))
                .andExpect(jsonPath("$[?(@.id == '" + oldId + "')].replacedBy", contains(newId)))
                .andExpect(jsonPath(
                        "$[?(@.id == '" + oldId + "')].expiresAt",
                        contains(clock.instant().plus(Duration.ofHours(24)).toString())));
        mvc.perform(post("/api/v1/api-keys/" + oldId + "/rotation")
                        .with(session)
                        .with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("already been rotated")));
        mvc.perform(post("/api/v1/api-keys/" + newId + "/rotation")
                        .with(session)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"graceHours\": 721}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("graceHours")));
    }

    private long keyCount() {
        return jdbc.sql("select count(*) from api_key").query(Long.class).single();
    }

    private org.springframework.test.web.servlet.ResultActions create(BrowserSession session, String json)
            throws Exception {
        return mvc.perform(post("/api/v1/api-keys")
                .with(session)
                .with(csrf())
                .contentType(MediaType.APPLICATION_JSON)
                .content(json));
    }

    private Timestamp lastUsed(UUID id) {
        return jdbc.sql("select last_used_at from api_key where id = ?")
                .param(id)
                .query((rs, row) -> rs.getTimestamp(1))
                .list()
                .get(0);
    }

    private String createKey(BrowserSession session, String name, String scope) throws Exception {
        return mvc.perform(post("/api/v1/api-keys")
                        .with(session)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"" + name + "\", \"scope\": \"" + scope + "\"}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.key.scope", is(scope)))
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    private org.springframework.test.web.servlet.ResultActions send(
            MockHttpServletRequestBuilder request, String secret, String json) throws Exception {
        // No csrf(): a request authenticated by an API key needs none.
        return mvc.perform(request.header("Authorization", "Bearer " + secret)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json));
    }

    private BrowserSession signIn(String email, String password) throws Exception {
        return BrowserSession.of(mvc.perform(
                        formLogin("/login").userParameter("email").user(email).password(password))
                .andReturn());
    }
}
