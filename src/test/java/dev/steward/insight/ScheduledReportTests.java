package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import dev.steward.core.MovableClock;
import dev.steward.core.StewardTest;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Scheduled reports end to end, on a real SMTP server (GreenMail) and a clock that stands still until a test moves it
 * to a schedule's due time: what arrives (the PDF and the CSVs the page exports), that a due time is sent once however
 * often the job runs at once, that an email the outbox gives up on shows failed and is reported to the owner, and the
 * checks of what is scheduled.
 */
@StewardTest
@TestPropertySource(
        properties = {
            "steward.test.scheduled-reports=own-database",
            "steward.notify.sweep-interval=1s",
            "steward.notify.max-attempts=2",
            "steward.mail.from=Steward Test <steward@test.example>",
            "steward.mail.base-url=https://steward.example.com"
        })
class ScheduledReportTests {

    static final int SMTP_PORT = freePort();
    static final MovableClock CLOCK = new MovableClock();

    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp")).withPerMethodLifecycle(false);

    @TestBean(name = "fixedClock", methodName = "movableClock")
    Clock clock;

    @Autowired
    MockMvc mvc;

    @Autowired
    ObjectMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UserManagement users;

    @Autowired
    UserDetailsService userDetails;

    @Autowired
    ScheduledReports reports;

    static Clock movableClock() {
        return CLOCK;
    }

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @Test
    void aDueScheduleArrivesWithThePdfAndTheCsvsThePageExports() throws Exception {
        User leader = user("lea.leader@example.com", Role.MANAGER);
        User ceo = user("carl.ceo@example.com", Role.VIEWER);
        JsonNode schedule = create(leader, """
                {"name": "Monday executive report", "report": "executive", "cron": "0 0 7 * * MON",
                 "timeZone": "Europe/Berlin", "recipients": ["%s", "%s"]}
                """.formatted(leader.id(), ceo.id()));
        Instant due = Instant.parse(schedule.get("nextRunAt").asString());
        assertThat(due.atZone(java.time.ZoneId.of("Europe/Berlin")).getDayOfWeek())
                .isEqualTo(java.time.DayOfWeek.MONDAY);
        assertThat(due.atZone(java.time.ZoneId.of("Europe/Berlin")).toLocalTime())
                .isEqualTo(java.time.LocalTime.of(7, 0));
        assertThat(schedule.get("nextRuns")).hasSize(3);

        reports.sendDue(() -> false);
        assertThat(emailsTo(ceo.email())).as("emails before the due time").isEmpty();

        CLOCK.advanceTo(due.plusSeconds(20));
        reports.sendDue(() -> false);

        MimeMessage email = await().until(() -> emailsTo(ceo.email()), emails -> emails.size() == 1)
                .get(0);
        String day = due.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
        assertThat(email.getSubject()).isEqualTo("Monday executive report — " + day);
        Map<String, Part> files = attachments(email);
        assertThat(files.keySet())
                .containsExactly(
                        "executive-dashboard-" + day + ".pdf",
                        "score-accuracy-" + day + ".csv",
                        "data-freshness-" + day + ".csv",
                        "retention-" + day + ".csv",
                        "arr-at-risk-" + day + ".csv",
                        "health-distribution-" + day + ".csv",
                        "renewal-forecast-" + day + ".csv",
                        "renewal-history-" + day + ".csv",
                        "cohorts-logo-" + day + ".csv",
                        "cohorts-revenue-" + day + ".csv",
                        "csm-productivity-" + day + ".csv");
        byte[] pdf = bytes(files.get("executive-dashboard-" + day + ".pdf"));
        assertThat(new String(pdf, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        assertThat(files.get("executive-dashboard-" + day + ".pdf").getContentType())
                .startsWith("application/pdf");
        String firstPage = new PdfTextExtractor(new PdfReader(pdf)).getTextFromPage(1);
        assertThat(firstPage).contains("Executive dashboard").contains("As of " + day);
        for (String table :
                List.of("retention", "arr-at-risk", "health-distribution", "cohorts-revenue", "csm-productivity")) {
            String exported = mvc.perform(
                            get("/insight/executive/" + table + ".csv").with(as(leader)))
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getContentAsString(StandardCharsets.UTF_8);
            assertThat(new String(bytes(files.get(table + "-" + day + ".csv")), StandardCharsets.UTF_8))
                    .as("the emailed %s.csv", table)
                    .isEqualTo(exported)
                    .contains("\r\n");
        }
        assertThat(text(email))
                .contains("ARR at risk (Red + Yellow)")
                .contains("https://steward.example.com/insight/executive")
                .contains("https://steward.example.com/insight/schedules/"
                        + schedule.get("id").asString());
        await().until(() -> emailsTo(leader.email()).size() == 1);

        JsonNode history = await().until(
                        () -> history(leader, schedule.get("id").asString()),
                        runs -> runs.size() == 1
                                && runs.get(0).get("deliveries").size() == 2
                                && allSent(runs.get(0)));
        assertThat(Instant.parse(history.get(0).get("dueAt").asString())).isEqualTo(due);
        assertThat(history.get(0).get("deliveries").get(0).get("attempts").asInt())
                .isEqualTo(1);
        JsonNode moved = read(leader, schedule.get("id").asString());
        // A week later at 07:00 in Berlin, whatever daylight saving did in between.
        assertThat(Instant.parse(moved.get("nextRunAt").asString()))
                .isEqualTo(due.atZone(java.time.ZoneId.of("Europe/Berlin"))
                        .plusWeeks(1)
                        .toInstant());
    }

    @Test
    void aDueTimeIsSentOnceHoweverOftenTheJobRunsAtOnce() throws Exception {
        User olga = user("olga.once@example.com", Role.ADMIN);
        User cara = user("cara.once@example.com", Role.CSM);
        JsonNode schedule = create(olga, """
                {"name": "Cara's cockpit", "report": "cockpit", "cron": "0 30 8 * * *", "timeZone": "UTC",
                 "recipients": ["%s"]}
                """.formatted(cara.id()));
        CLOCK.advanceTo(Instant.parse(schedule.get("nextRunAt").asString()));

        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return reports.sendDue(() -> false);
            }));
        }
        start.countDown();
        runs.forEach(CompletableFuture::join);
        reports.sendDue(() -> false);

        MimeMessage email = await().until(() -> emailsTo(cara.email()), emails -> emails.size() == 1)
                .get(0);
        assertThat(attachments(email).keySet()).anyMatch(name -> name.startsWith("cockpit-priorities-"));
        assertThat(jdbc.sql("select count(*) from insight_report_run where schedule_id = ?::uuid")
                        .param(schedule.get("id").asString())
                        .query(Integer.class)
                        .single())
                .as("runs of the schedule")
                .isEqualTo(1);
        // Whatever else was still to go out has gone: no second copy arrives.
        await().until(() -> allSent(history(olga, schedule.get("id").asString()).get(0)));
        assertThat(emailsTo(cara.email())).hasSize(1);
    }

    @Test
    void anEmailTheOutboxGivesUpOnShowsFailedAndIsReportedToTheOwner() throws Exception {
        User mia = user("mia.owner@example.com", Role.MANAGER);
        User ned = user("ned.recipient@example.com", Role.CSM);
        JsonNode schedule = create(mia, """
                {"name": "Weekly for Ned", "report": "executive", "cron": "0 0 6 * * *", "timeZone": "UTC",
                 "recipients": ["%s"]}
                """.formatted(ned.id()));
        String id = schedule.get("id").asString();
        smtp.stop();
        try {
            CLOCK.advanceTo(Instant.parse(schedule.get("nextRunAt").asString()));
            reports.sendDue(() -> false);
            JsonNode retrying = await().until(
                            () -> history(mia, id).get(0).get("deliveries").get(0),
                            d -> d.get("status").asString().equals("retrying"))
                    .deepCopy();
            assertThat(retrying.get("attempts").asInt()).isEqualTo(1);
            assertThat(retrying.get("lastError").asString()).containsIgnoringCase("connect");

            // The retry after 30 seconds fails too, and was the last (steward.notify.max-attempts=2).
            CLOCK.advance(Duration.ofSeconds(30));
            JsonNode failed = await().until(
                            () -> history(mia, id).get(0).get("deliveries").get(0),
                            d -> d.get("status").asString().equals("failed"));
            assertThat(failed.get("attempts").asInt()).isEqualTo(2);
            assertThat(failed.get("lastError").asString()).containsIgnoringCase("connect");
            await().until(() -> jdbc.sql("""
                            select count(*) from notify_notification
                             where recipient_id = ? and kind = 'report.undelivered' and link = ?
                            """)
                            .params(mia.id(), "/insight/schedules/" + id)
                            .query(Integer.class)
                            .single()
                    == 1);
            mvc.perform(get("/insight/schedules/" + id).with(as(mia)))
                    .andExpect(status().isOk())
                    .andExpect(content().string(containsString("failed")));
        } finally {
            smtp.start();
        }
    }

    @Test
    void whatIsScheduledIsCheckedFieldByField() throws Exception {
        User ivy = user("ivy.csm@example.com", Role.CSM);
        User other = user("otto.other@example.com", Role.CSM);
        problem(ivy, """
                {"name": "Bad", "cron": "0 0 7 * * FUNDAY", "timeZone": "Europe/Berlin"}
                """, "cron", "not a cron expression");
        problem(ivy, """
                {"name": "Bad", "cron": "0 0 7 * * MON", "timeZone": "Europe/Atlantis"}
                """, "timeZone", "not an IANA time zone");
        problem(ivy, """
                {"name": "Spam", "cron": "0 * * * * *", "timeZone": "UTC"}
                """, "cron", "more than once an hour");
        problem(ivy, """
                {"name": "Never", "cron": "0 0 7 30 2 *", "timeZone": "UTC"}
                """, "cron", "never runs");
        problem(ivy, """
                {"name": "For Otto", "cron": "0 0 7 * * MON", "timeZone": "UTC", "recipients": ["%s"]}
                """.formatted(other.id()), "recipients[0]", "for themselves only");
        problem(ivy, """
                {"name": "Tier", "report": "executive", "tier": "No Such Tier", "cron": "0 0 7 * * MON",
                 "timeZone": "UTC"}
                """, "tier", "no account has tier");
        mvc.perform(get("/api/v1/insight/schedules/preview")
                        .param("cron", "0 0 7 * * MON")
                        .param("timeZone", "Europe/Berlin")
                        .with(as(ivy)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.nextRuns.length()").value(3))
                .andExpect(jsonPath("$.nextRuns[0]").value(org.hamcrest.Matchers.containsString("T07:00")));

        JsonNode mine = create(ivy, """
                {"name": "My cockpit", "report": "cockpit", "cron": "0 0 7 * * MON-FRI", "timeZone": "UTC"}
                """);
        assertThat(mine.get("recipients").get(0).get("id").asString())
                .isEqualTo(ivy.id().toString());
        String id = mine.get("id").asString();
        mvc.perform(get("/api/v1/insight/schedules/" + id).with(as(other))).andExpect(status().isNotFound());
        mvc.perform(put("/api/v1/insight/schedules/" + id)
                        .with(as(ivy))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "My cockpit", "report": "cockpit", "cron": "0 0 7 * * MON-FRI",
                                 "timeZone": "UTC", "enabled": false}
                                """))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.enabled").value(false))
                .andExpect(jsonPath("$.nextRunAt").doesNotExist());
        mvc.perform(get("/insight/schedules").with(as(ivy)))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("My cockpit")))
                .andExpect(content().string(containsString("paused")));
        mvc.perform(get("/insight/schedules/preview")
                        .param("cron", "0 0 7 * * MON")
                        .param("timeZone", "Nowhere/Else")
                        .with(as(ivy)))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("not an IANA time zone")));
        mvc.perform(delete("/api/v1/insight/schedules/" + id).with(as(ivy))).andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/insight/schedules/" + id).with(as(ivy))).andExpect(status().isNotFound());
    }

    @Test
    void theExecutiveDashboardOffersToEmailItself() throws Exception {
        User lea = user("lea.link@example.com", Role.MANAGER);
        mvc.perform(get("/insight/executive").with(as(lea)))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("/insight/schedules?report=executive")));
        mvc.perform(get("/insight/schedules").param("report", "executive").with(as(lea)))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("0 0 7 * * MON")))
                .andExpect(content().string(containsString("Next runs:")));
    }

    private JsonNode create(User user, String body) throws Exception {
        String answer = mvc.perform(post("/api/v1/insight/schedules")
                        .with(as(user))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        return json.readTree(answer);
    }

    private void problem(User user, String body, String field, String reason) throws Exception {
        mvc.perform(post("/api/v1/insight/schedules")
                        .with(as(user))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value(field))
                .andExpect(jsonPath("$.errors[0].reason").value(containsString(reason)));
    }

    private JsonNode read(User user, String id) throws Exception {
        return json.readTree(mvc.perform(get("/api/v1/insight/schedules/" + id).with(as(user)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString());
    }

    private JsonNode history(User user, String id) throws Exception {
        return json.readTree(mvc.perform(
                        get("/api/v1/insight/schedules/" + id + "/deliveries").with(as(user)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString());
    }

    private static boolean allSent(JsonNode run) {
        for (JsonNode delivery : run.get("deliveries")) {
            if (!delivery.get("status").asString().equals("sent")) {
                return false;
            }
        }
        return true;
    }

    private User user(String email, Role role) {
        return users.createIfAbsent(email, email.substring(0, email.indexOf('@')), role);
    }

    private RequestPostProcessor as(User user) {
        return SecurityMockMvcRequestPostProcessors.user(userDetails.loadUserByUsername(user.email()));
    }

    private static List<MimeMessage> emailsTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages())
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

    /** The files of the email by name, in their order. */
    private static Map<String, Part> attachments(MimeMessage message) throws Exception {
        Map<String, Part> files = new LinkedHashMap<>();
        collect((MimeMultipart) message.getContent(), files);
        return files;
    }

    private static void collect(MimeMultipart multipart, Map<String, Part> files) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.getContent() instanceof MimeMultipart nested) {
                collect(nested, files);
            } else if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                files.put(part.getFileName(), part);
            }
        }
    }

    private static String text(MimeMessage message) throws Exception {
        MimeMultipart multipart = (MimeMultipart) message.getContent();
        return firstText(multipart).replace("\r\n", "\n");
    }

    private static String firstText(MimeMultipart multipart) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.getContent() instanceof MimeMultipart nested) {
                return firstText(nested);
            }
            if (part.isMimeType("text/plain") && part.getDisposition() == null) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("no text part");
    }

    private static byte[] bytes(Part part) throws Exception {
        return part.getInputStream().readAllBytes();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
