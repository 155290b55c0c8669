package dev.steward.lifecycle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMultipartHttpServletRequestBuilder;

@StewardTest
@RecordApplicationEvents
@WithMockUser(roles = "MANAGER")
class SegmentApiTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Autowired
    ApplicationEvents events;

    @Test
    void aRuleSegmentIsPreviewedPublishedAndFollowsItsAccountsWithinSeconds() throws Exception {
        String big = account("Deep Shaft Co", "Segtest-Mining", 500);
        String small = account("Pebble Co", "Segtest-Mining", 20);
        account("Orchard Co", "Segtest-Farming", 900);
        String yaml = """
                name: Large miners
                description: Mining accounts with more than 100 people
                condition: account.industry == "Segtest-Mining" && account.employees > 100
                """;
        mvc.perform(post("/api/v1/segments/{name}/preview", "Large miners")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.matched", is(1)))
                .andExpect(jsonPath("$.sample[0].name", is("Deep Shaft Co")));
        save("Large miners", yaml).andExpect(status().isCreated()).andExpect(jsonPath("$.valid", is(true)));
        mvc.perform(post("/api/v1/segments/Large miners/versions/1/publish").with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status", is("published")));

        await().pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> mvc.perform(get("/api/v1/segments/Large miners/members"))
                        .andExpect(jsonPath("$.count", is(1)))
                        .andExpect(jsonPath("$.members[0].accountId", is(big))));
        mvc.perform(get("/api/v1/accounts").param("segment", "Large miners"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[*].name", contains("Deep Shaft Co")));

        // The small miner grows: it enters within seconds, without a new publication.
        replace(small, "Pebble Co", "Segtest-Mining", 150);
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> mvc.perform(get("/api/v1/segments/Large miners/members"))
                        .andExpect(jsonPath("$.count", is(2))));
        mvc.perform(get("/api/v1/accounts/{id}/segments", small)).andExpect(jsonPath("$", hasItem("Large miners")));
        mvc.perform(get("/api/v1/segments"))
                .andExpect(jsonPath("$[?(@.name == 'Large miners')].members", contains(2)))
                .andExpect(jsonPath("$[?(@.name == 'Large miners')].type", contains("rule")));

        mvc.perform(get("/api/v1/accounts").param("segment", "Large minors"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("segment")));
    }

    @Test
    void aBadDocumentIsAnsweredWithLineColumnAndReason() throws Exception {
        String yaml = """
                name: Renewing soon
                condition: |
                  account.daysToRenwal < 90
                """;
        mvc.perform(post("/api/v1/segments/{name}/preview", "Renewing soon")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.problems[0].line", is(3)))
                .andExpect(jsonPath("$.problems[0].column", is(11)))
                .andExpect(jsonPath("$.problems[0].field", is("condition")))
                .andExpect(jsonPath("$.problems[0].reason", containsString("did you mean 'account.daysToRenewal'")));
        save("Renewing soon", yaml).andExpect(status().isCreated()).andExpect(jsonPath("$.valid", is(false)));
        mvc.perform(post("/api/v1/segments/Renewing soon/versions/1/publish").with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason", containsString("line 3, column 11")));
        save("Renewing soon", "name: Renewing soon\ncondition: '\"Renewing soon\" in segments'\n")
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath("$.problems[0].reason", containsString("refers to this segment itself")));
    }

    @Test
    void aStaticSegmentTakesAccountsByHandAndARuleSegmentDoesNot() throws Exception {
        String one = account("Hand One", "Segtest-Static", 10);
        String two = account("Hand Two", "Segtest-Static", 10);
        save("Strategic logos", "name: Strategic logos\ntype: static\n").andExpect(status().isCreated());
        mvc.perform(post("/api/v1/segments/Strategic logos/versions/1/publish").with(csrf()))
                .andExpect(status().isOk());
        members("Strategic logos", "{\"accountIds\": [\"%s\", \"%s\"]}".formatted(one, two))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.entered", is(2)));
        assertThat(events.stream(SegmentEntered.class))
                .anySatisfy(e -> assertThat(e.segment()).isEqualTo("Strategic logos"));
        members("Strategic logos", "{\"accountIds\": [\"%s\"]}".formatted(UUID.randomUUID()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("accountIds")));
        mvc.perform(delete("/api/v1/segments/Strategic logos/members/{id}", two).with(csrf()))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/segments/Strategic logos/members"))
                .andExpect(jsonPath("$.count", is(1)))
                .andExpect(jsonPath("$.members[0].name", is("Hand One")));
        assertThat(events.stream(SegmentLeft.class))
                .anySatisfy(e -> assertThat(e.accounts())
                        .extracting(id -> id.value().toString())
                        .containsExactly(two));

        save("Every account", "name: Every account\ncondition: 'true'\n").andExpect(status().isCreated());
        mvc.perform(post("/api/v1/segments/Every account/versions/1/publish").with(csrf()))
                .andExpect(status().isOk());
        members("Every account", "{\"accountIds\": [\"%s\"]}".formatted(one)).andExpect(status().isConflict());
    }

    @Test
    void aStaticSegmentsMembersAreAddedAndRemovedFromACsvFileAllOrNothing() throws Exception {
        String one = accountWithExternalId("File One", "CRM-F1");
        String two = account("File Two", "Segtest-File", 10);
        String three = accountWithExternalId("File Three", "CRM-F3");
        save("From file", "name: From file\ntype: static\n").andExpect(status().isCreated());
        mvc.perform(post("/api/v1/segments/From file/versions/1/publish").with(csrf()))
                .andExpect(status().isOk());

        // Ids or external ids, other columns ignored, a blank line skipped, a repeated account counted once.
        String good = "name,accountId,externalId\nFile One,,CRM-F1\n\"File Two, Inc.\",%s,\n\nFile Two,%s,\n"
                .formatted(two, two);
        upload("From file", good, "add", "crm")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.action", is("add")))
                .andExpect(jsonPath("$.rows", is(3)))
                .andExpect(jsonPath("$.accounts", is(2)))
                .andExpect(jsonPath("$.changed", is(2)))
                .andExpect(jsonPath("$.unchanged", is(0)))
                .andExpect(jsonPath("$.ignoredColumns", contains("name")));
        mvc.perform(get("/api/v1/segments/From file/members"))
                .andExpect(jsonPath("$.members[*].name", containsInAnyOrder("File One", "File Two")));
        assertThat(events.stream(SegmentEntered.class))
                .anySatisfy(e -> assertThat(e.segment()).isEqualTo("From file"));

        // Rows that name no account are each named, and nothing changes: File Three, on row 1, stays out.
        String bad = "accountId,externalId\n%s,\nnot-an-id,\n%s,\n,CRM-404\n%s,CRM-F3\n"
                .formatted(three, UUID.randomUUID(), two);
        upload("From file", bad, "add", "crm")
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].index", contains(2, 3, 4, 5)))
                .andExpect(
                        jsonPath("$.errors[*].field", contains("accountId", "accountId", "externalId", "externalId")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("'not-an-id', not a Steward account id")))
                .andExpect(jsonPath("$.errors[1].reason", containsString("no account has the id")))
                .andExpect(jsonPath("$.errors[2].reason", containsString("source 'crm' by the external id 'CRM-404'")))
                .andExpect(jsonPath("$.errors[3].reason", containsString("not both")));
        mvc.perform(get("/api/v1/segments/From file/members")).andExpect(jsonPath("$.count", is(2)));
        upload("From file", "externalId\nCRM-F3\n", "add", null)
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("source")));
        upload("From file", "id,name\n%s,File Three\n".formatted(three), "add", null)
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("file")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("one must be accountId")));
        upload("From file", "accountId\n%s\n".formatted(three), "replace", null)
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("action")));
        upload("From file", "accountId\n" + (three + "\n").repeat(30_000), "add", null)
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/too-large")))
                .andExpect(jsonPath("$.errors[0].field", is("file")));
        mvc.perform(get("/api/v1/segments/From file/members")).andExpect(jsonPath("$.count", is(2)));

        // The CSV as the body: removes File Two (File Three was not in).
        mvc.perform(post("/api/v1/segments/{name}/members/csv", "From file")
                        .param("action", "remove")
                        .contentType("text/csv")
                        .content("accountId\n%s\n%s\n".formatted(two, three))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.changed", is(1)))
                .andExpect(jsonPath("$.unchanged", is(1)));
        mvc.perform(get("/api/v1/segments/From file/members"))
                .andExpect(jsonPath("$.members[*].accountId", contains(one)));
        assertThat(events.stream(SegmentLeft.class))
                .anySatisfy(e -> assertThat(e.accounts())
                        .extracting(id -> id.value().toString())
                        .containsExactly(two));

        // The segment's page: the upload form, what a file changed, and a refused file's rows.
        mvc.perform(get("/segments/From file"))
                .andExpect(content().string(containsString("data-testid=\"members-file-form\"")));
        mvc.perform(multipart("/segments/{name}/members/csv", "From file")
                        .file(new MockMultipartFile(
                                "file", "members.csv", "text/csv", "externalId\nCRM-F3\n".getBytes(UTF_8)))
                        .param("action", "add")
                        .param("source", "crm")
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute(
                                "membersChanged", new SegmentManagement.MembersFromFile("add", 1, 1, 1, 0, List.of())));
        mvc.perform(multipart("/segments/{name}/members/csv", "From file")
                        .file(new MockMultipartFile(
                                "file", "members.csv", "text/csv", "accountId\nnope\n".getBytes(UTF_8)))
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("Row 1, accountId: is &#39;nope&#39;")))
                .andExpect(content().string(containsString("Nothing changed")));
        mvc.perform(get("/api/v1/segments/From file/members")).andExpect(jsonPath("$.count", is(2)));
        mvc.perform(multipart("/api/v1/segments/{name}/members/csv", "Every file")
                        .file(new MockMultipartFile("file", "m.csv", "text/csv", "accountId\n".getBytes(UTF_8)))
                        .with(csrf()))
                .andExpect(status().isNotFound());
    }

    private ResultActions upload(String segment, String csv, String action, String source) throws Exception {
        MockMultipartHttpServletRequestBuilder request = multipart("/api/v1/segments/{name}/members/csv", segment)
                .file(new MockMultipartFile("file", "members.csv", "text/csv", csv.getBytes(UTF_8)));
        request.param("action", action);
        if (source != null) {
            request.param("source", source);
        }
        return mvc.perform(request.with(csrf()));
    }

    private String accountWithExternalId(String name, String crmId) throws Exception {
        String body = mvc.perform(post("/api/v1/accounts")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(
                                "{\"name\": \"%s\", \"industry\": \"Segtest-File\", \"externalIds\": {\"crm\": \"%s\"}}"
                                        .formatted(name, crmId))
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        return JsonPath.read(body, "$.id");
    }

    /**
     * A hand-built history: A entered on the 1st and left on the 10th, B entered on the 5th and is still in, C
     * entered and left on the 7th and came back on the 12th. The members as of each day are those in when it ended.
     */
    @Test
    void membersAsOfAnyPastDayComeFromTheEntriesAndExits() throws Exception {
        String a = account("History A", "Segtest-History", 1);
        String b = account("History B", "Segtest-History", 1);
        String c = account("History C", "Segtest-History", 1);
        save("Historic", "name: Historic\ntype: static\n").andExpect(status().isCreated());
        UUID segment = jdbc.sql("select id from account_segment where name = 'Historic'")
                .query(UUID.class)
                .single();
        LocalDate month = LocalDate.now(clock).withDayOfMonth(1).minusMonths(1);
        stay(segment, a, month.atTime(9, 0), month.plusDays(9).atTime(15, 0));
        stay(segment, b, month.plusDays(4).atTime(23, 59), null);
        stay(segment, c, month.plusDays(6).atTime(8, 0), month.plusDays(6).atTime(17, 0));
        stay(segment, c, month.plusDays(11).atTime(10, 0), null);

        asOf(month.minusDays(1)).andExpect(jsonPath("$.members", empty()));
        asOf(month).andExpect(jsonPath("$.members[*].name", contains("History A")));
        asOf(month.plusDays(4)).andExpect(jsonPath("$.count", is(2)));
        asOf(month.plusDays(6))
                .andExpect(jsonPath("$.count", is(2)))
                .andExpect(jsonPath("$.members[*].name", contains("History A", "History B")));
        asOf(month.plusDays(9)).andExpect(jsonPath("$.members[*].name", contains("History B")));
        asOf(month.plusDays(11))
                .andExpect(jsonPath("$.count", is(2)))
                .andExpect(jsonPath(
                        "$.members[?(@.name == 'History C')].enteredAt",
                        hasItem(month.plusDays(11)
                                .atTime(10, 0)
                                .toInstant(ZoneOffset.UTC)
                                .toString())));
        mvc.perform(get("/api/v1/accounts/{id}/segments", a)
                        .param("asOf", month.plusDays(3).toString()))
                .andExpect(jsonPath("$", contains("Historic")));
        mvc.perform(get("/api/v1/accounts/{id}/segments", a)).andExpect(jsonPath("$", not(hasItem("Historic"))));
        mvc.perform(get("/api/v1/segments/Historic/members")
                        .param("asOf", LocalDate.now(clock).plusDays(1).toString()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("asOf")));
    }

    @Test
    void theSegmentsPagesListSegmentsAndRefuseADocumentWithoutAName() throws Exception {
        save("Page check", "name: Page check\ncondition: account.arr > 1000000.0\n")
                .andExpect(status().isCreated());
        mvc.perform(get("/segments"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Page check")));
        mvc.perform(get("/segments/Page check"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("account.arr &gt; 1000000.0")));
        mvc.perform(post("/segments").param("yaml", "description: nameless\n").with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("is required and must not be blank")));
        mvc.perform(post("/segments/preview")
                        .param("yaml", "name: X\ncondition: account.tier == 1.5 &&\n")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Line 2")));
    }

    private ResultActions asOf(LocalDate day) throws Exception {
        return mvc.perform(get("/api/v1/segments/Historic/members").param("asOf", day.toString()))
                .andExpect(status().isOk());
    }

    private void stay(UUID segment, String account, java.time.LocalDateTime entered, java.time.LocalDateTime left) {
        jdbc.sql(
                        "insert into account_segment_membership (segment_id, account_id, entered_at, left_at) values (?, ?, ?, ?)")
                .params(
                        segment,
                        UUID.fromString(account),
                        Timestamp.from(entered.toInstant(ZoneOffset.UTC)),
                        left == null ? null : Timestamp.from(left.toInstant(ZoneOffset.UTC)))
                .update();
    }

    private ResultActions members(String segment, String body) throws Exception {
        return mvc.perform(post("/api/v1/segments/{name}/members", segment)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .with(csrf()));
    }

    /**
     * Forty accounts written at once, each its own transaction: every one is decided within seconds, and none of the
     * work waits on a pooled connection (the test database has six) or fails.
     */
    @Test
    void aBurstOfConcurrentWritesIsDecidedWithoutFailedWork() throws Exception {
        save("Burst", "name: Burst\ncondition: account.industry == \"Segtest-Burst\" && account.employees > 100\n")
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/segments/Burst/versions/1/publish").with(csrf()))
                .andExpect(status().isOk());
        List<CompletableFuture<Integer>> writes = IntStream.range(0, 40)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return mvc.perform(post("/api/v1/accounts")
                                        .with(user("burst@steward.local").roles("MANAGER"))
                                        .with(csrf())
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .content(
                                                "{\"name\": \"Burst %d\", \"industry\": \"Segtest-Burst\", \"employees\": %d}"
                                                        .formatted(i, i % 2 == 0 ? 500 : 50)))
                                .andReturn()
                                .getResponse()
                                .getStatus();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }))
                .toList();
        for (CompletableFuture<Integer> write : writes) {
            assertThat(write.get(60, TimeUnit.SECONDS)).isEqualTo(201);
        }
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        mvc.perform(get("/api/v1/segments/Burst/members")).andExpect(jsonPath("$.count", is(20))));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select count(*) from account_segment_evaluation_request")
                                .query(Long.class)
                                .single()
                        == 0);
        assertThat(jdbc.sql("select count(*) from event_publication where status = 'FAILED'")
                        .query(Long.class)
                        .single())
                .as("after-commit work that failed")
                .isZero();
    }

    private ResultActions save(String name, String yaml) throws Exception {
        return mvc.perform(post("/api/v1/segments/{name}/versions", name)
                .contentType("application/yaml")
                .content(yaml)
                .with(csrf()));
    }

    @Test
    void conditionsReadTheLatestScoresDimensionsAndMeasuresByName() throws Exception {
        LocalDate today = LocalDate.now(clock);
        String id = JsonPath.read(
                mvc.perform(post("/api/v1/accounts")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"name\": \"Measured Co\", \"tier\": \"SMB\", \"industry\":"
                                        + " \"Segtest-Measures\"}")
                                .with(csrf()))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        mvc.perform(post("/api/v1/contracts")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 12000, "seats": 10}""".formatted(id, today.minusDays(200), today.plusDays(165)))
                        .with(csrf()))
                .andExpect(status().isCreated());
        StringBuilder usage = new StringBuilder("{\"records\": [");
        for (int back = 0; back < 40; back++) {
            usage.append(back == 0 ? "" : ",")
                    .append("{\"accountId\": \"%s\", \"metric\": \"active_users\", \"day\": \"%s\", \"value\": 8}"
                            .formatted(id, today.minusDays(back)));
        }
        mvc.perform(post("/api/v1/usage/bulk")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(usage.append("]}").toString())
                        .with(csrf()))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/health/rescore").with(csrf())).andExpect(status().isOk());

        // Eight active users of ten seats: the SMB scorecard's "License utilization" reads 0.8.
        preview("account.industry == \"Segtest-Measures\" && health.measures[\"License utilization\"] > 0.7", 1);
        preview("account.industry == \"Segtest-Measures\" && health.measures[\"License utilization\"] < 0.7", 0);
        preview("account.industry == \"Segtest-Measures\" && health.dimensions[\"Product\"] >= 0.0", 1);
        // A dimension or measure the account's scorecard does not have is absent: the condition does not hold.
        preview("account.industry == \"Segtest-Measures\" && health.dimensions[\"Finance\"] >= 0.0", 0);
    }

    private void preview(String condition, int matched) throws Exception {
        mvc.perform(post("/api/v1/segments/{name}/preview", "Measures")
                        .contentType("application/yaml")
                        .content("name: Measures\ncondition: '" + condition.replace("'", "''") + "'\n")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.matched", is(matched)));
    }

    private String account(String name, String industry, int employees) throws Exception {
        String body = mvc.perform(post("/api/v1/accounts")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"%s\", \"industry\": \"%s\", \"employees\": %d}"
                                .formatted(name, industry, employees))
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        return JsonPath.read(body, "$.id");
    }

    private void replace(String id, String name, String industry, int employees) throws Exception {
        String version = JsonPath.read(
                        mvc.perform(get("/api/v1/accounts/" + id))
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        "$.version")
                .toString();
        mvc.perform(put("/api/v1/accounts/" + id)
                        .header("If-Match", "\"" + version + "\"")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"%s\", \"industry\": \"%s\", \"employees\": %d}"
                                .formatted(name, industry, employees))
                        .with(csrf()))
                .andExpect(status().isOk());
    }

    @SuppressWarnings("unused")
    private static Instant at(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    @SuppressWarnings("unused")
    private static List<String> none() {
        return List.of();
    }
}
