package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.Meeting;
import dev.steward.activity.MeetingInput;
import dev.steward.activity.NoteInput;
import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import dev.steward.customer.AccountId;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.ObjectMapper;

/**
 * Builds a small team by hand (tier "Productivity-Recon", so that other tests' accounts stay out of its figures) and
 * checks CSM productivity, computed by hand below, against the API, the page, the CSV export and the drill-downs.
 *
 * <p>Today is 2026-03-18 (TestClock, 10:15:30 UTC); the last 30 days run from 2026-02-17T00:00Z to now.
 *
 * <pre>
 * account  owner   ARR      touches (meeting M, note N)                      stored colors
 * Alder    Pat     100,000  M 02-10 (before), M 03-01 10:00, N 03-10 09:00   green 03-02, red 03-03, red today
 * Birch    Pat      50,000  M 02-17 00:00 (first instant), N 03-12 12:00     yellow 03-08, red 03-09, red today
 * Cedar    Quinn    30,000  M 02-16 23:59:59 (a second before)               yellow 03-16, red 03-17, red today
 * Dogwood  nobody   10,000  M 03-17 08:00                                    red 03-05 (first score), red today
 *
 * CTA  account  made         due          closed        history
 * C1   Alder    02-20 09:00  02-24 09:00  02-23 12:00   closed 02-23 12:00                     within SLA
 * C2   Alder    03-02 09:00  03-04 09:00  03-06 00:00   closed 03-06 00:00                     late
 * C3   Birch    03-10 09:00  03-12 09:00  open          escalated by Steward 03-10 12:00, commented 03-11 06:00
 * C4   Birch    01-20 09:00  01-22 09:00  02-18 12:00   closed 02-18 12:00                     late, made before
 * C5   Cedar    03-15 09:00  03-19 09:00  03-16 10:00   closed 03-16 10:00                     within SLA
 * </pre>
 */
@StewardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithMockUser(roles = "ADMIN")
class CsmProductivityTests {

    static final String TIER = "Productivity-Recon";
    static final LocalDate TODAY = LocalDate.ofInstant(TestClock.NOW, ZoneOffset.UTC);
    static final String QUERY = "days=30&tier=Productivity-Recon";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    UserManagement userManagement;

    @Autowired
    ActivityRecorder activity;

    static boolean built;
    static User pat;
    static User quinn;

    @AfterAll
    void removeTheHandWrittenScores() {
        jdbc.sql("delete from health_score where scorecard = 'Productivity Recon'")
                .update();
        built = false;
    }

    @BeforeEach
    void buildTheTeamOnce() throws Exception {
        if (built) {
            return;
        }
        pat = userManagement.createIfAbsent("pat.productivity@example.com", "Pat Productivity", Role.CSM);
        quinn = userManagement.createIfAbsent("quinn.productivity@example.com", "Quinn Productivity", Role.CSM);
        mvc.perform(post("/api/v1/accounts/bulk?source=prod")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"records": [
                                  {"externalId": "P-A", "name": "Alder Prod", "tier": "%1$s", "industry": "%1$s",
                                   "ownerEmail": "pat.productivity@example.com"},
                                  {"externalId": "P-B", "name": "Birch Prod", "tier": "%1$s", "industry": "%1$s",
                                   "ownerEmail": "pat.productivity@example.com"},
                                  {"externalId": "P-C", "name": "Cedar Prod", "tier": "%1$s", "industry": "%1$s",
                                   "ownerEmail": "quinn.productivity@example.com"},
                                  {"externalId": "P-D", "name": "Dogwood Prod", "tier": "%1$s", "industry": "%1$s"}]}""".formatted(TIER)))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/contracts/bulk?source=prod")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"records": [
                                  {"externalId": "PA1", "accountExternalId": "P-A", "startDate": "2025-06-01",
                                   "endDate": "2027-06-01", "arr": 100000},
                                  {"externalId": "PB1", "accountExternalId": "P-B", "startDate": "2025-06-01",
                                   "endDate": "2027-06-01", "arr": 50000},
                                  {"externalId": "PC1", "accountExternalId": "P-C", "startDate": "2025-06-01",
                                   "endDate": "2027-06-01", "arr": 30000},
                                  {"externalId": "PD1", "accountExternalId": "P-D", "startDate": "2025-06-01",
                                   "endDate": "2027-06-01", "arr": 10000}]}"""))
                .andExpect(status().isOk());
        meeting("Alder Prod", "2026-02-10T10:00:00Z");
        meeting("Alder Prod", "2026-03-01T10:00:00Z");
        note("Alder Prod", "2026-03-10T09:00:00Z");
        meeting("Birch Prod", "2026-02-17T00:00:00Z");
        note("Birch Prod", "2026-03-12T12:00:00Z");
        meeting("Cedar Prod", "2026-02-16T23:59:59Z");
        meeting("Dogwood Prod", "2026-03-17T08:00:00Z");

        cta("Alder Prod", pat, "2026-02-20T09:00:00Z", "2026-02-24T09:00:00Z", "2026-02-23T12:00:00Z");
        cta("Alder Prod", pat, "2026-03-02T09:00:00Z", "2026-03-04T09:00:00Z", "2026-03-06T00:00:00Z");
        UUID c3 = cta("Birch Prod", pat, "2026-03-10T09:00:00Z", "2026-03-12T09:00:00Z", null);
        // Steward's own escalation is no one's action; the comment is.
        event(c3, "2026-03-10T12:00:00Z", "Steward", "escalated");
        event(c3, "2026-03-11T06:00:00Z", "Pat Productivity", "commented");
        cta("Birch Prod", pat, "2026-01-20T09:00:00Z", "2026-01-22T09:00:00Z", "2026-02-18T12:00:00Z");
        cta("Cedar Prod", quinn, "2026-03-15T09:00:00Z", "2026-03-19T09:00:00Z", "2026-03-16T10:00:00Z");

        // Let the re-scores that the accounts, contracts and touches asked for run first: they would write over the
        // hand-built scores.
        // The requests are written by listeners after commit: nothing may wait or run for a second and a half.
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(60))
                .during(Duration.ofMillis(1500))
                .until(() -> jdbc.sql("""
                                select (select count(*) from health_rescore_request)
                                     + (select count(*) from event_publication where completion_date is null)
                                     + (select count(*) from scheduled_tasks
                                         where (task_name like 'health-%' and picked)
                                            or task_name = 'health-published-rescore')""").query(Long.class).single() == 0);
        color("Alder Prod", "green", "2026-03-02");
        color("Alder Prod", "red", "2026-03-03", TODAY.toString());
        color("Birch Prod", "yellow", "2026-03-08");
        color("Birch Prod", "red", "2026-03-09", TODAY.toString());
        color("Cedar Prod", "yellow", "2026-03-16");
        color("Cedar Prod", "red", "2026-03-17", TODAY.toString());
        color("Dogwood Prod", "red", "2026-03-05", TODAY.toString());
        built = true;
    }

    @Test
    void productivityReconcilesWithTheApiThePageAndTheCsv() throws Exception {
        CsmProductivity productivity =
                read("/api/v1/insight/executive/csm-productivity?" + QUERY, CsmProductivity.class);

        assertThat(productivity.from()).isEqualTo(LocalDate.of(2026, 2, 17));
        assertThat(productivity.to()).isEqualTo(TODAY);
        assertThat(productivity.csms())
                .extracting(CsmProductivity.Row::label)
                .containsExactly("Pat Productivity", "Quinn Productivity", "(unowned)");
        Map<String, CsmProductivity.Row> rows =
                productivity.csms().stream().collect(Collectors.toMap(CsmProductivity.Row::label, r -> r));

        // Pat: Alder 100,000 + Birch 50,000. Touches: Alder's meeting of 03-01 and note of 03-10 (the meeting of
        // 02-10 is before the period) + Birch's meeting at the period's first instant and note of 03-12 = 4.
        // CTAs made in the period: C1, C2, C3 (C4 was made in January) = 3, of which C1 and C2 are closed: 2 ÷ 3 =
        // 0.6667. Closed in the period: C1, C2, C4 = 3, of which only C1 by its due time: 1 ÷ 3 = 0.3333.
        // Turned Red: Alder on 03-03, first action C2 closed 03-06 00:00 = 3 days (the note of 03-10 is later);
        // Birch on 03-09, first action the comment on C3 on 03-11 06:00 = 2.25 days (the escalation on 03-10 is
        // Steward's, the note of 03-12 later). Median of 2.25 and 3 = 2.625 → 2.6.
        assertRow(rows.get("Pat Productivity"), 2, "150000", 4, 3, 2, "0.6667", 3, 1, "0.3333", 2, 2, "2.6");
        // Quinn: Cedar 30,000; its meeting is a second before the period. C5 made and closed within SLA: 1 ÷ 1 both.
        // Cedar turned Red on 03-17, and nobody acted since (C5 was closed the day before): no data.
        assertRow(rows.get("Quinn Productivity"), 1, "30000", 0, 1, 1, "1.0000", 1, 1, "1.0000", 1, 0, null);
        // Nobody owns Dogwood: one meeting, no CTA (no rate), and its first score was Red: no change to Red.
        assertRow(rows.get("(unowned)"), 1, "10000", 1, 0, 0, null, 0, 0, null, 0, 0, null);
        // All: 4 customers, 190,000, 5 touches; made 4, closed of them 3: 0.75; closed 4, within SLA 2: 0.5; three
        // Red changes, two acted on, median of 2.25 and 3 = 2.6.
        assertRow(productivity.total(), 4, "190000", 5, 4, 3, "0.7500", 4, 2, "0.5000", 3, 2, "2.6");

        List<String> csv = csv("/insight/executive/csm-productivity.csv?" + QUERY);
        assertThat(csv.get(0))
                .isEqualTo("CSM,customers,ARR,touches,CTAs made,made and closed,completion rate,CTAs closed,"
                        + "closed within SLA,SLA hit rate,turned Red,acted on,median days to first action");
        assertThat(csv.subList(1, csv.size()))
                .containsExactly(
                        "Pat Productivity,2,150000.00,4,3,2,0.6667,3,1,0.3333,2,2,2.6",
                        "Quinn Productivity,1,30000.00,0,1,1,1.0000,1,1,1.0000,1,0,no data",
                        "(unowned),1,10000.00,1,0,0,no data,0,0,no data,0,0,no data",
                        "All customers,4,190000.00,5,4,3,0.7500,4,2,0.5000,3,2,2.6");

        String page = page("/insight/executive?" + QUERY);
        String patRow = row(page, "data-testid=\"productivity-row\" data-key=\"" + pat.id() + "\"");
        assertThat(shown(patRow, "prod-accounts")).isEqualTo("2");
        assertThat(shown(patRow, "prod-arr")).isEqualTo("$150,000");
        assertThat(shown(patRow, "prod-touches")).isEqualTo("4");
        assertThat(shown(patRow, "prod-opened")).isEqualTo("3");
        assertThat(shown(patRow, "prod-completion")).isEqualTo("66.67 %");
        assertThat(shown(patRow, "prod-closed")).isEqualTo("3");
        assertThat(shown(patRow, "prod-sla")).isEqualTo("33.33 %");
        assertThat(shown(patRow, "prod-red")).isEqualTo("2");
        assertThat(shown(patRow, "prod-median")).isEqualTo("2.6 days");
        String quinnRow = row(page, "data-testid=\"productivity-row\" data-key=\"" + quinn.id() + "\"");
        assertThat(shown(quinnRow, "prod-median")).isEqualTo("no data");
        String unowned = row(page, "data-testid=\"productivity-row\" data-key=\"unowned\"");
        assertThat(shown(unowned, "prod-completion")).isEqualTo("no data");
        assertThat(shown(unowned, "prod-sla")).isEqualTo("no data");
        String total = row(page, "data-testid=\"productivity-total\"");
        assertThat(shown(total, "prod-sla")).isEqualTo("50.00 %");
        assertThat(shown(total, "prod-median")).isEqualTo("2.6 days");
        assertThat(page).contains("data-testid=\"productivity-chart\"");
        // The definitions on the page state what each figure is.
        assertThat(page).contains("SLA hit rate = CTAs closed in the period at or before their due time");

        // The PDF carries the same table.
        byte[] pdf = mvc.perform(get("/insight/executive/dashboard.pdf?" + QUERY))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_PDF))
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("%PDF-");
    }

    @Test
    void everyFigureDrillsDownToTheAccountsThatAddUpToIt() throws Exception {
        String pats = "/api/v1/insight/executive/accounts?figure=productivity&owner=" + pat.id() + "&" + QUERY;

        ExecutiveDrillDown touches = read(pats + "&measure=touches", ExecutiveDrillDown.class);
        assertThat(touches.total()).isEqualByComparingTo("4");
        assertThat(touches.unit()).isEqualTo("touches");
        assertThat(touches.accounts())
                .extracting(ExecutiveDrillDown.Line::name)
                .containsExactly("Alder Prod", "Birch Prod");
        ExecutiveDrillDown arr = read(pats + "&measure=arr", ExecutiveDrillDown.class);
        assertThat(arr.total()).isEqualByComparingTo("150000");
        ExecutiveDrillDown sla = read(pats + "&measure=within-sla", ExecutiveDrillDown.class);
        assertThat(sla.total()).isEqualByComparingTo("1");
        assertThat(sla.accounts()).extracting(ExecutiveDrillDown.Line::name).containsExactly("Alder Prod");
        ExecutiveDrillDown closed = read(pats + "&measure=closed", ExecutiveDrillDown.class);
        assertThat(closed.total()).isEqualByComparingTo("3");
        ExecutiveDrillDown red = read(pats + "&measure=red", ExecutiveDrillDown.class);
        assertThat(red.total()).isEqualByComparingTo("2");
        // Each line says when the account turned Red and how many days passed until someone acted.
        assertThat(red.accounts())
                .extracting(line -> line.values().subList(7, 9))
                .containsExactlyInAnyOrder(List.of("2026-03-03", "3.0"), List.of("2026-03-09", "2.3"));
        ExecutiveDrillDown quinnsRed = read(
                "/api/v1/insight/executive/accounts?figure=productivity&measure=red&owner=" + quinn.id() + "&" + QUERY,
                ExecutiveDrillDown.class);
        assertThat(quinnsRed.accounts().get(0).values().get(8)).isEqualTo("none yet");
        ExecutiveDrillDown unowned = read(
                "/api/v1/insight/executive/accounts?figure=productivity&measure=accounts&owner=&" + QUERY,
                ExecutiveDrillDown.class);
        assertThat(unowned.accounts()).extracting(ExecutiveDrillDown.Line::name).containsExactly("Dogwood Prod");

        String drill =
                page("/insight/executive/accounts?figure=productivity&measure=touches&owner=" + pat.id() + "&" + QUERY);
        assertThat(shown(drill, "drill-total")).isEqualTo("4 touches");
        List<String> csv = csv(
                "/insight/executive/accounts.csv?figure=productivity&measure=touches&owner=" + pat.id() + "&" + QUERY);
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).contains("Alder Prod,2,Pat Productivity,100000.00,2,");
    }

    @Test
    void aLongerPeriodCountsWhatCameBeforeAndBadInputIsRefusedByName() throws Exception {
        CsmProductivity quarter = read(
                "/api/v1/insight/executive/csm-productivity?days=90&tier=Productivity-Recon", CsmProductivity.class);
        // From 2025-12-19: Alder's meeting of 02-10 and Cedar's of 02-16 count too; C4 is made in the period now.
        Map<String, CsmProductivity.Row> rows =
                quarter.csms().stream().collect(Collectors.toMap(CsmProductivity.Row::label, r -> r));
        assertThat(rows.get("Pat Productivity").touches()).isEqualTo(5);
        assertThat(rows.get("Pat Productivity").ctasOpened()).isEqualTo(4);
        assertThat(rows.get("Quinn Productivity").touches()).isEqualTo(1);

        mvc.perform(get("/api/v1/insight/executive/csm-productivity?days=0"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("days"));
        mvc.perform(get("/api/v1/insight/executive/accounts?figure=productivity&measure=speed"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("measure"));
        mvc.perform(get("/api/v1/openapi.json"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/v1/insight/executive/csm-productivity'].get")
                        .exists());
    }

    private static void assertRow(
            CsmProductivity.Row row,
            long accounts,
            String arr,
            long touches,
            long opened,
            long openedClosed,
            String completion,
            long closed,
            long withinSla,
            String slaHitRate,
            long reds,
            long acted,
            String median) {
        assertThat(row.accounts()).as("customers").isEqualTo(accounts);
        assertThat(row.arr()).as("ARR").isEqualByComparingTo(arr);
        assertThat(row.touches()).as("touches").isEqualTo(touches);
        assertThat(row.ctasOpened()).as("CTAs made").isEqualTo(opened);
        assertThat(row.ctasOpenedClosed()).as("made and closed").isEqualTo(openedClosed);
        assertThat(row.completionRate()).as("completion").isEqualTo(decimal(completion));
        assertThat(row.ctasClosed()).as("CTAs closed").isEqualTo(closed);
        assertThat(row.closedWithinSla()).as("within SLA").isEqualTo(withinSla);
        assertThat(row.slaHitRate()).as("SLA hit rate").isEqualTo(decimal(slaHitRate));
        assertThat(row.redChanges()).as("turned Red").isEqualTo(reds);
        assertThat(row.redActedOn()).as("acted on").isEqualTo(acted);
        assertThat(row.medianDaysToAction()).as("median").isEqualTo(decimal(median));
    }

    private static BigDecimal decimal(String value) {
        return value == null ? null : new BigDecimal(value);
    }

    private UUID account(String name) {
        return jdbc.sql("select id from account where name = ?")
                .param(name)
                .query(UUID.class)
                .single();
    }

    private void meeting(String account, String at) {
        UUID id = account(account);
        activity.recordMeeting(
                new AccountId(id),
                new MeetingInput(
                        null, id, null, Instant.parse(at), Meeting.Type.check_in, "Check-in", List.of(), false, null));
    }

    private void note(String account, String at) {
        UUID id = account(account);
        activity.recordNote(new AccountId(id), new NoteInput(null, id, null, null, Instant.parse(at), "Spoke to them"));
    }

    /** A CTA as a playbook would have left it, with the history entry of its closing. */
    private UUID cta(String account, User owner, String made, String due, String closed) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into cta (id, account_id, type, title, priority, status, owner_id, created_at, due_at,
                                         sla_days, cause, closed_at, outcome)
                        values (?, ?, 'risk', 'Win them back', 'high', ?, ?, ?, ?, 2, '{}'::jsonb, ?, ?)""")
                .params(
                        id,
                        account(account),
                        closed == null ? "open" : "closed",
                        owner.id(),
                        Timestamp.from(Instant.parse(made)),
                        Timestamp.from(Instant.parse(due)),
                        closed == null ? null : Timestamp.from(Instant.parse(closed)),
                        closed == null ? null : "saved")
                .update();
        if (closed != null) {
            event(id, closed, owner.displayName(), "closed");
        }
        return id;
    }

    private void event(UUID cta, String at, String actor, String kind) {
        jdbc.sql("insert into cta_event (id, cta_id, at, actor, kind) values (?, ?, ?, ?, ?)")
                .params(UUID.randomUUID(), cta, Timestamp.from(Instant.parse(at)), actor, kind)
                .update();
    }

    private void color(String account, String color, String... days) {
        UUID id = account(account);
        for (String day : days) {
            jdbc.sql("""
                            insert into health_score (account_id, day, scorecard, scorecard_version, score, color,
                                                      coverage, raw, ranks, computed_at)
                            values (?, ?, 'Productivity Recon', 1, 30, ?, 1, '{}', '{}', now())
                            on conflict (account_id, day) do update set color = excluded.color,
                                                                       scorecard = excluded.scorecard""").params(id, LocalDate.parse(day), color).update();
        }
    }

    private <T> T read(String url, Class<T> type) throws Exception {
        return InsightReads.read(mvc, json, url, type);
    }

    private List<String> csv(String url) throws Exception {
        return InsightReads.csv(mvc, url);
    }

    private String page(String url) throws Exception {
        return InsightReads.page(mvc, url);
    }

    private static String shown(String html, String testId) {
        return InsightReads.shown(html, testId);
    }

    private static String row(String html, String attribute) {
        return InsightReads.row(html, attribute);
    }
}
