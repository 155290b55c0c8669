package dev.steward.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.health.SegmentMembershipLookup;
import dev.steward.notify.ExternalEmail;
import dev.steward.notify.Notifications;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * NPS surveys over real SMTP (GreenMail on a free port): a survey to a segment's contacts in chosen roles arrives with
 * an HTML and a plain-text part holding the same eleven score links and one-click unsubscribe headers; following a
 * score link without signing in moves the account's NPS measure (the last answer wins); a one-click unsubscribe keeps
 * the next survey away; a tampered link gets a clear page; however often (and from however many threads) a survey is
 * sent, each contact gets one email. On a database of its own.
 */
@StewardTest
@TestPropertySource(
        properties = {
            "steward.test.surveys=own-database",
            "steward.notify.sweep-interval=1s",
            "steward.mail.from=Steward Test <steward@test.example>",
            "steward.mail.base-url=https://steward.example.com/"
        })
class SurveyEmailTests {

    static final int SMTP_PORT = freePort();
    static final String BASE = "https://steward.example.com";
    private static final Pattern SCORE_LINK = Pattern.compile(Pattern.quote(BASE) + "(/nps/[A-Za-z0-9_-]{64})/(\\d+)");
    private static final String NPS_MEASURE = "$.explanation.dimensions[*].measures[?(@.name == 'NPS')].rawValue";

    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp")).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    SurveyManagement surveys;

    @Autowired
    SegmentMembershipLookup segments;

    @Autowired
    Notifications notifications;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    org.springframework.context.ApplicationEventPublisher events;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;

    @Test
    void aSegmentsContactsGetBothPartsAndAScoreLinkMovesTheAccountsNps() throws Exception {
        String pilot = account("Pilot Co");
        String outside = account("Outside Co");
        contact(pilot, "Ada Admin", "ada.pilot@example.com", "admin");
        contact(pilot, "Carl Champion", "carl.pilot@example.com", "champion");
        contact(pilot, "Eve User", "eve.pilot@example.com", "end_user");
        contact(pilot, "No Address", null, "admin");
        contact(outside, "Bob Outside", "bob.outside@example.com", "admin");
        segment("NPS pilot", pilot);
        send(post("/api/v1/health/rescore"), "", admin()).andExpect(status().isOk());
        assertThat(npsMeasure(pilot)).as("no NPS answer yet").isNull();

        String survey = createSurvey("""
                {"name": "Pilot NPS", "segment": "NPS pilot", "roles": ["admin", "champion"]}""");
        send(post("/api/v1/surveys/{id}/send", survey), "", manager())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.emailed", is(2)));

        MimeMessage email = await().until(() -> emailsTo("ada.pilot@example.com"), l -> l.size() == 1)
                .get(0);
        await().until(() -> emailsTo("carl.pilot@example.com").size() == 1);
        assertThat(emailsTo("eve.pilot@example.com"))
                .as("an end user, not asked")
                .isEmpty();
        assertThat(emailsTo("bob.outside@example.com"))
                .as("outside the segment")
                .isEmpty();

        assertThat(email.getSubject()).isEqualTo("A quick question for you, Ada Admin");
        String text = part(email, "text/plain");
        String html = part(email, "text/html");
        assertThat(text).contains("Based on Pilot Co's experience with us, how likely are you to recommend us");
        assertThat(html).contains("Based on Pilot Co&#39;s experience with us");
        List<String> textLinks = scoreLinks(text);
        assertThat(textLinks).hasSize(11);
        assertThat(scoreLinks(html)).as("the same eleven links in both parts").isEqualTo(textLinks);
        String token = token(textLinks.get(0));
        String unsubscribe = BASE + "/nps/" + token + "/unsubscribe";
        assertThat(email.getHeader("List-Unsubscribe", null)).isEqualTo("<" + unsubscribe + ">");
        assertThat(email.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(text).contains(unsubscribe);
        assertThat(html).contains(unsubscribe);

        // The contact follows the 9 without signing in: recorded at once, a promoter moves the NPS measure to 100.
        mvc.perform(get(path(textLinks.get(9))))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Your answer: 9. Thank you!")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Double.valueOf(100.0).equals(npsMeasure(pilot)));

        // Answering again changes the answer: the last wins, one response, now a detractor.
        mvc.perform(get(path(textLinks.get(3))))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Your answer: 3. Thank you!")))
                .andExpect(content().string(containsString("your last answer counts")));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Double.valueOf(-100.0).equals(npsMeasure(pilot)));

        String answerPage = mvc.perform(get(path(textLinks.get(3))))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(answerPage).contains("comment");
        mvc.perform(post("/nps/{token}/comment", token)
                        .param("comment", "Exports keep failing")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Thank you for your comment")));
        mvc.perform(get("/api/v1/accounts/{id}/survey-responses", pilot).with(admin()))
                .andExpect(jsonPath("$.items.length()", is(1)))
                .andExpect(jsonPath("$.items[0].score", is(3)))
                .andExpect(jsonPath("$.items[0].comment", is("Exports keep failing")))
                .andExpect(jsonPath("$.items[0].respondentEmail", is("ada.pilot@example.com")));
        await().untilAsserted(() -> mvc.perform(
                        get("/api/v1/accounts/{id}/timeline", pilot).with(admin()))
                .andExpect(content().string(containsString("NPS 3"))));

        await().untilAsserted(() -> mvc.perform(
                        get("/api/v1/surveys/{id}/results", survey).with(manager()))
                .andExpect(jsonPath("$.sent", is(2)))
                .andExpect(jsonPath("$.delivered", is(2)))
                .andExpect(jsonPath("$.failed", is(0))));
        mvc.perform(get("/api/v1/surveys/{id}/results", survey).with(manager()))
                .andExpect(jsonPath("$.responses", is(1)))
                .andExpect(jsonPath("$.responseRate", is(0.5)))
                .andExpect(jsonPath("$.nps.score", is(-100)))
                .andExpect(jsonPath("$.nps.detractors", is(1)))
                .andExpect(jsonPath("$.nps.promoters", is(0)))
                .andExpect(jsonPath("$.bySegment[?(@.segment == 'NPS pilot')].sent", hasItem(2)));
        mvc.perform(get("/surveys/{id}", survey).with(manager()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Exports keep failing")))
                .andExpect(content().string(containsString("data-testid=\"nps\">-100<")));
    }

    @Test
    void npsAndResponseRateByMonthAskedAreWhatTheAnswersGiveAndNoDataWhereNothingWasMeasured() throws Exception {
        String wave = account("Wave Co");
        for (int i = 1; i <= 5; i++) {
            contact(wave, "Wave Contact" + i, "wave" + i + "@example.com", "admin");
        }
        segment("Wave segment", wave);
        String survey = createSurvey("""
                {"name": "Wave NPS", "segment": "Wave segment", "roles": ["admin"]}""");
        send(post("/api/v1/surveys/{id}/send", survey), "", manager())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.emailed", is(5)));
        // Scores of waves 1–4; wave5 does not answer.
        int[] scores = {10, 9, 3, 8};
        for (int i = 0; i < scores.length; i++) {
            String address = "wave" + (i + 1) + "@example.com";
            MimeMessage email =
                    await().until(() -> emailsTo(address), l -> l.size() == 1).get(0);
            mvc.perform(get(path(scoreLinks(part(email, "text/plain")).get(scores[i]))))
                    .andExpect(status().isOk());
        }
        // The first two were asked in an earlier wave, January (the test clock stands in March): none in February.
        jdbc.sql("""
                        update survey_invitation set invited_at = timestamptz '2026-01-20 09:00:00+00'
                         where survey_id = ?::uuid and email in ('wave1@example.com', 'wave2@example.com')""").param(survey).update();

        // By hand: January 2 asked, 2 answered (10, 9): rate 1.0, NPS (2 − 0) / 2 = 100. February: nobody asked, no
        // data. March: 3 asked, 2 answered (3, 8): rate 2/3 = 0.667, NPS (0 − 1) / 2 = −50.
        String months = mvc.perform(get("/api/v1/surveys/{id}/results", survey)
                        .param("by", "month")
                        .with(manager()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.by", is("month")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String march = java.time.YearMonth.from(
                        java.time.LocalDate.ofInstant(dev.steward.core.TestClock.NOW, java.time.ZoneOffset.UTC))
                .toString();
        assertThat(march).isEqualTo("2026-03");
        List<Map<String, Object>> overall = JsonPath.read(months, "$.overall");
        assertThat(overall)
                .extracting(
                        m -> m.get("period"), m -> m.get("sent"), m -> m.get("responses"), m -> m.get("responseRate"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2026-01", 2, 2, 1.0),
                        org.assertj.core.groups.Tuple.tuple("2026-02", 0, 0, null),
                        org.assertj.core.groups.Tuple.tuple("2026-03", 3, 2, 0.667));
        assertThat(overall)
                .as("a month nobody answered in has no NPS (null, left out of the JSON), not 0")
                .extracting(m -> (Object) ((Map<?, ?>) m.get("nps")).get("score"))
                .containsExactly(100, null, -50);
        assertThat(JsonPath.<List<Object>>read(months, "$.overall[*].nps.promoters"))
                .containsExactly(2, 0, 0);
        assertThat(JsonPath.<List<Object>>read(months, "$.overall[*].nps.passives"))
                .containsExactly(0, 0, 1);
        assertThat(JsonPath.<List<Object>>read(months, "$.overall[*].nps.detractors"))
                .containsExactly(0, 0, 1);
        List<Map<String, Object>> segment =
                JsonPath.read(months, "$.bySegment[?(@.segment == 'Wave segment')].periods[*]");
        assertThat(segment)
                .extracting(m -> (Object) ((Map<?, ?>) m.get("nps")).get("score"))
                .containsExactly(100, null, -50);
        assertThat(JsonPath.<List<Object>>read(months, "$.bySegment[?(@.segment == 'Wave segment')].periods[*].sent"))
                .containsExactly(2, 0, 3);

        mvc.perform(get("/api/v1/surveys/{id}/results", survey)
                        .param("by", "week")
                        .with(manager()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("by")));
        mvc.perform(get("/surveys/{id}", survey).with(manager()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"over-time\"")))
                .andExpect(content().string(containsString("nps-over-time-chart")))
                .andExpect(content().string(containsString("<td>2026-02</td>")))
                .andExpect(content().string(containsString("<td>-50</td>")));
    }

    @Test
    void sendingAgainOrFromTwoThreadsAtOnceEmailsEachContactOnce() throws Exception {
        String twice = account("Twice Co");
        contact(twice, "Tia Twice", "tia.twice@example.com", "champion");
        contact(twice, "Tom Twice", "tom.twice@example.com", "champion");
        segment("Twice segment", twice);
        UUID survey = UUID.fromString(createSurvey("{\"name\": \"Twice\", \"segment\": \"Twice segment\"}"));
        mvc.perform(get("/api/v1/surveys/{id}/results", survey).with(manager()))
                .andExpect(jsonPath("$.sent", is(0)))
                .andExpect(jsonPath("$.responseRate").doesNotExist())
                .andExpect(jsonPath("$.nps.score").doesNotExist());
        mvc.perform(get("/surveys/{id}", survey).with(manager()))
                .andExpect(content().string(containsString("data-testid=\"nps\">no data<")));

        // Two senders at once (as two instances would): the survey's row and the invitations' key make them take turns.
        CompletableFuture<SurveySending> first = CompletableFuture.supplyAsync(() -> surveys.send(survey));
        CompletableFuture<SurveySending> second = CompletableFuture.supplyAsync(() -> surveys.send(survey));
        List<SurveySending> both = List.of(first.get(), second.get());
        assertThat(both.stream().mapToInt(SurveySending::emailed).sum()).isEqualTo(2);
        send(post("/api/v1/surveys/{id}/send", survey), "", manager())
                .andExpect(jsonPath("$.emailed", is(0)))
                .andExpect(jsonPath("$.askedBefore", is(2)));

        await().until(() -> emailsTo("tia.twice@example.com").size() == 1
                && emailsTo("tom.twice@example.com").size() == 1);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> emailsTo("tia.twice@example.com").size() == 1);
        assertThat(jdbc.sql("select count(*) from notify_delivery where send_key like ?")
                        .param("survey:" + survey + ":%")
                        .query(Long.class)
                        .single())
                .isEqualTo(2);

        // The outbox itself queues an email of a key once.
        ExternalEmail again = new ExternalEmail(
                "tia.twice@example.com", "Again", "text", null, Map.of(), "survey:" + survey + ":again");
        assertThat(notifications.sendExternalEmails(List.of(again))).hasSize(1);
        assertThat(notifications.sendExternalEmails(List.of(again))).isEmpty();
    }

    @Test
    void aOneClickUnsubscribeKeepsTheNextSurveyAway() throws Exception {
        String quiet = account("Quiet Co");
        contact(quiet, "Dan Quiet", "dan.quiet@example.com", "admin");
        contact(quiet, "Fay Quiet", "fay.quiet@example.com", "admin");
        segment("Quiet segment", quiet);
        String firstSurvey = createSurvey("{\"name\": \"Quiet one\", \"segment\": \"Quiet segment\"}");
        send(post("/api/v1/surveys/{id}/send", firstSurvey), "", manager()).andExpect(jsonPath("$.emailed", is(2)));
        MimeMessage toDan = await().until(() -> emailsTo("dan.quiet@example.com"), l -> l.size() == 1)
                .get(0);
        String header = toDan.getHeader("List-Unsubscribe", null);
        String oneClick = header.substring(1, header.length() - 1);

        // The mail program posts, with no session and no CSRF token (RFC 8058).
        mvc.perform(post(path(oneClick))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .content("List-Unsubscribe=One-Click"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("dan.quiet@example.com is unsubscribed")));
        assertThat(surveys.unsubscribed("Dan.Quiet@example.com")).isTrue();
        // Fay uses the link in the email: a page says so.
        MimeMessage toFay = await().until(() -> emailsTo("fay.quiet@example.com"), l -> l.size() == 1)
                .get(0);
        mvc.perform(get(path(unsubscribeLink(part(toFay, "text/plain")))))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("fay.quiet@example.com</span> will get no more survey")));

        contact(quiet, "Gil Quiet", "gil.quiet@example.com", "admin");
        String nextSurvey = createSurvey("{\"name\": \"Quiet two\", \"segment\": \"Quiet segment\"}");
        send(post("/api/v1/surveys/{id}/send", nextSurvey), "", manager())
                .andExpect(jsonPath("$.emailed", is(1)))
                .andExpect(jsonPath("$.unsubscribed", is(2)));
        await().until(() -> emailsTo("gil.quiet@example.com").size() == 1);
        assertThat(emailsTo("dan.quiet@example.com")).hasSize(1);
        assertThat(emailsTo("fay.quiet@example.com")).hasSize(1);
    }

    /** An address its mail server refused gets no further survey: the bounce counts as an unsubscribe. */
    @Test
    void aBouncedAddressGetsNoFurtherSurvey() throws Exception {
        String bouncing = account("Bounce Co");
        contact(bouncing, "Ivy Gone", "ivy.gone@example.com", "admin");
        contact(bouncing, "Jon Here", "jon.here@example.com", "admin");
        segment("Bounce segment", bouncing);
        transactions.executeWithoutResult(status -> events.publishEvent(new dev.steward.notify.EmailBounced(
                java.util.UUID.randomUUID(),
                "Ivy.Gone@example.com",
                "550 5.1.1 <ivy.gone@example.com>: Recipient address rejected: User unknown",
                java.time.Instant.parse("2026-03-18T10:00:00Z"))));
        await().until(() -> surveys.unsubscribed("ivy.gone@example.com"));

        String survey = createSurvey("{\"name\": \"After a bounce\", \"segment\": \"Bounce segment\"}");
        send(post("/api/v1/surveys/{id}/send", survey), "", manager())
                .andExpect(jsonPath("$.emailed", is(1)))
                .andExpect(jsonPath("$.unsubscribed", is(1)));
        await().until(() -> emailsTo("jon.here@example.com").size() == 1);
        assertThat(emailsTo("ivy.gone@example.com")).isEmpty();
    }

    @Test
    void aTamperedOrUnknownLinkGetsAClearPageAndBadInputIsNamed() throws Exception {
        String tamper = account("Tamper Co");
        contact(tamper, "Hal Tamper", "hal.tamper@example.com", "admin");
        segment("Tamper segment", tamper);
        String survey = createSurvey("{\"name\": \"Tamper\", \"segment\": \"Tamper segment\"}");
        send(post("/api/v1/surveys/{id}/send", survey), "", manager()).andExpect(jsonPath("$.emailed", is(1)));
        MimeMessage email = await().until(() -> emailsTo("hal.tamper@example.com"), l -> l.size() == 1)
                .get(0);
        String token = token(scoreLinks(part(email, "text/plain")).get(0));
        char last = token.charAt(20);
        String tampered = token.substring(0, 20) + (last == 'A' ? 'B' : 'A') + token.substring(21);

        for (String link : List.of("/nps/" + tampered + "/9", "/nps/" + tampered, "/nps/not-a-token/9")) {
            mvc.perform(get(link))
                    .andExpect(status().isNotFound())
                    .andExpect(content().string(containsString("This survey link is not valid")))
                    .andExpect(content().string(not(containsString("Exception"))));
        }
        mvc.perform(post("/nps/{token}/unsubscribe", tampered)).andExpect(status().isNotFound());
        mvc.perform(get("/nps/{token}/11", token))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("from 0 to 10")));
        assertThat(surveys.results(UUID.fromString(survey)).responses()).isZero();
        assertThat(surveys.unsubscribed("hal.tamper@example.com")).isFalse();

        send(post("/api/v1/surveys"), """
                        {"name": " ", "segment": "No such segment", "roles": ["admin", "boss"]}""", manager())
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[*].field", hasItem("name")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("segment")))
                .andExpect(jsonPath("$.errors[?(@.field == 'roles[1]')].reason", hasItem(containsString("'boss'"))));
        send(
                        post("/api/v1/surveys"),
                        "{\"name\": \"By a CSM\"}",
                        user("csm@example.com").roles("CSM"))
                .andExpect(status().isForbidden());
    }

    // --- set-up

    private static RequestPostProcessor admin() {
        return user("survey-admin@example.com").roles("ADMIN");
    }

    private static RequestPostProcessor manager() {
        return user("survey-manager@example.com").roles("MANAGER");
    }

    private String account(String name) throws Exception {
        return created(
                send(post("/api/v1/accounts"), "{\"name\": \"%s\", \"tier\": \"SMB\"}".formatted(name), admin()));
    }

    private void contact(String account, String name, String email, String role) throws Exception {
        String address = email == null ? "" : ", \"email\": \"" + email + "\"";
        created(send(
                post("/api/v1/contacts"),
                "{\"accountId\": \"%s\", \"name\": \"%s\", \"role\": \"%s\"%s}".formatted(account, name, role, address),
                admin()));
    }

    private void segment(String name, String account) throws Exception {
        mvc.perform(post("/api/v1/segments/{name}/versions", name)
                        .contentType("application/yaml")
                        .content("name: " + name + "\ntype: static\n")
                        .with(admin())
                        .with(csrf()))
                .andExpect(status().isCreated());
        send(post("/api/v1/segments/{name}/versions/1/publish", name), "", admin())
                .andExpect(status().isOk());
        send(post("/api/v1/segments/{name}/members", name), "{\"accountIds\": [\"%s\"]}".formatted(account), admin())
                .andExpect(status().isOk());
        await().until(() -> segments.currentMembers(List.of(name)).containsKey(UUID.fromString(account)));
    }

    private String createSurvey(String json) throws Exception {
        return created(send(post("/api/v1/surveys"), json, manager()));
    }

    private String created(org.springframework.test.web.servlet.ResultActions result) throws Exception {
        return JsonPath.read(
                result.andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(), "$.id");
    }

    private org.springframework.test.web.servlet.ResultActions send(
            MockHttpServletRequestBuilder request, String json, RequestPostProcessor who) throws Exception {
        return mvc.perform(request.contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .with(who)
                .with(csrf()));
    }

    private Double npsMeasure(String account) throws Exception {
        String health = mvc.perform(get("/api/v1/accounts/{id}/health", account).with(admin()))
                .andReturn()
                .getResponse()
                .getContentAsString();
        if (!health.contains("explanation")) {
            return null;
        }
        List<Object> values = JsonPath.read(health, NPS_MEASURE);
        return values.isEmpty() || values.get(0) == null ? null : ((Number) values.get(0)).doubleValue();
    }

    static List<String> scoreLinks(String body) {
        List<String> links = new ArrayList<>();
        Matcher matcher = SCORE_LINK.matcher(body);
        while (matcher.find()) {
            links.add(matcher.group());
        }
        return links;
    }

    static String unsubscribeLink(String body) {
        Matcher matcher = Pattern.compile(Pattern.quote(BASE) + "/nps/[A-Za-z0-9_-]{64}/unsubscribe")
                .matcher(body);
        assertThat(matcher.find()).isTrue();
        return matcher.group();
    }

    static String token(String link) {
        Matcher matcher = SCORE_LINK.matcher(link);
        assertThat(matcher.matches()).isTrue();
        return matcher.group(1).substring("/nps/".length());
    }

    static String path(String link) {
        return link.substring(BASE.length());
    }

    /** The text of the message's first part of this type, wherever it is nested. */
    static String part(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType(type)) {
            return ((String) part.getContent()).replace("\r\n", "\n");
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String found = part(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static List<MimeMessage> emailsTo(String address) {
        return emailsTo(smtp, address);
    }

    static List<MimeMessage> emailsTo(GreenMailExtension server, String address) {
        return Arrays.stream(server.getReceivedMessages())
                .filter(message -> {
                    try {
                        return Arrays.stream(message.getAllRecipients())
                                .anyMatch(recipient -> recipient.toString().equalsIgnoreCase(address));
                    } catch (MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
