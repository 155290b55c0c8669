package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import dev.steward.customer.OwnerTeams;
import dev.steward.identity.Role;
import dev.steward.identity.SignIns;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.ObjectMapper;

/**
 * A small team on its own database (the mocked teams make its own context, so nobody else's sign-ins and views
 * count), its use of Steward built by hand
 * and through the application, and the adoption figures checked week by week against the API and the page.
 *
 * <p>Today is Wednesday 2026-03-18 (TestClock, 10:15:30 UTC); with {@code weeks=3} the weeks start on Monday 03-02,
 * 03-09 and 03-16 (this one, up to now).
 *
 * <pre>
 * people: Ada (CSM, owns Alpha), Ben (CSM, owns Bravo), Mona (MANAGER of a team with Ada; owns nothing), Carl (CSM,
 *         owns nothing, never signed in: not shown)
 * sign-ins     Ada 03-10 08:00 (stored), Ada today through the sign-in form; Mona today (recorded)
 *              first sign-in Steward recorded: 03-10, so the week of 03-02 has no data
 * views        Ada Alpha 03-11 (stored); today Ada opens Alpha twice and Bravo once; first view recorded 03-11
 * sentiment    Ada 03-12, Ada 03-17, Ben 03-16; one imported (no author) 03-17
 * overrides    Ada 02-20 (outside three weeks), Ben 03-17
 * CTA work     C1 (Alpha): task done by Ada 03-10 09:00, escalated by Steward 03-16, commented and closed by Ada 03-17
 *              C2 (Bravo): commented by Ben 03-02 10:00 (kept with his id, under an older name)
 * colors       Alpha yellow 03-08, red 03-09 → first action: Ada's task on 03-10 09:00 = 33 h = 1.375 → 1.4 days
 *              Bravo yellow 03-15, red 03-16 → nobody acted since: no data
 * </pre>
 */
@StewardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithMockUser(roles = "ADMIN")
class AdoptionTests {

    static final String TIER = "Adoption-Recon";
    static final String PASSWORD = "ada-adoption-password";
    static final String WEEK1 = "2026-03-02";
    static final String WEEK2 = "2026-03-09";
    static final String WEEK3 = "2026-03-16";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    UserManagement userManagement;

    @Autowired
    SignIns signIns;

    /** Whom a manager manages (the books of business keep it): Mona manages Ada. */
    @MockitoBean
    OwnerTeams teams;

    boolean built;
    User ada;
    User ben;
    User mona;
    User carl;

    @BeforeEach
    void buildTheTeamOnce() throws Exception {
        if (built) {
            when(teams.team(mona.id())).thenReturn(List.of(mona.id(), ada.id()));
            return;
        }
        ada = userManagement.createIfAbsent("ada.adoption@example.com", "Ada Adoption", Role.CSM, PASSWORD);
        ben = userManagement.createIfAbsent("ben.adoption@example.com", "Ben Adoption", Role.CSM);
        mona = userManagement.createIfAbsent("mona.adoption@example.com", "Mona Adoption", Role.MANAGER);
        carl = userManagement.createIfAbsent("carl.adoption@example.com", "Carl Adoption", Role.CSM);
        mvc.perform(post("/api/v1/accounts/bulk?source=adoption")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"records": [
                                  {"externalId": "AD-A", "name": "Alpha Adoption", "tier": "%1$s",
                                   "ownerEmail": "ada.adoption@example.com"},
                                  {"externalId": "AD-B", "name": "Bravo Adoption", "tier": "%1$s",
                                   "ownerEmail": "ben.adoption@example.com"}]}""".formatted(TIER)))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/contracts/bulk?source=adoption")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"records": [
                                  {"externalId": "ADA1", "accountExternalId": "AD-A", "startDate": "2025-06-01",
                                   "endDate": "2027-06-01", "arr": 40000},
                                  {"externalId": "ADB1", "accountExternalId": "AD-B", "startDate": "2025-06-01",
                                   "endDate": "2027-06-01", "arr": 20000}]}"""))
                .andExpect(status().isOk());
        UUID alpha = account("Alpha Adoption");
        UUID bravo = account("Bravo Adoption");

        // Sign-ins: one stored a week ago, one through the sign-in form now, one recorded by the service.
        jdbc.sql("insert into sign_in (user_id, at, method) values (?, ?, 'password')")
                .params(ada.id(), at("2026-03-10T08:00:00Z"))
                .update();
        mvc.perform(formLogin("/login").userParameter("email").user(ada.email()).password(PASSWORD))
                .andExpect(status().is3xxRedirection());
        signIns.record(mona.id(), SignIns.Method.SINGLE_SIGN_ON);

        // Account pages: Alpha twice (a reload counts once) and Bravo today; Alpha stored last week.
        jdbc.sql("insert into account_view (user_id, account_id, day) values (?, ?, ?)")
                .params(ada.id(), alpha, Date.valueOf("2026-03-11"))
                .update();
        for (UUID account : List.of(alpha, alpha, bravo)) {
            mvc.perform(get("/accounts/" + account).with(as(ada, "CSM"))).andExpect(status().isOk());
        }

        sentiment(alpha, ada.id(), "2026-03-12T15:00:00Z");
        sentiment(alpha, ada.id(), "2026-03-17T09:00:00Z");
        sentiment(bravo, ben.id(), "2026-03-16T10:00:00Z");
        sentiment(bravo, null, "2026-03-17T11:00:00Z");

        override(alpha, ada, "2026-02-20T10:00:00Z");
        override(bravo, ben, "2026-03-17T12:00:00Z");

        UUID c1 = cta(alpha, ada, "2026-03-09T08:00:00Z");
        event(c1, "2026-03-10T09:00:00Z", "Ada Adoption", "task_done");
        event(c1, "2026-03-16T12:00:00Z", "Steward", "escalated");
        event(c1, "2026-03-17T08:00:00Z", "Ada Adoption", "commented");
        event(c1, "2026-03-17T09:00:00Z", "Ada Adoption", "closed");
        UUID c2 = cta(bravo, ben, "2026-03-01T08:00:00Z");
        // Recorded with Ben's id under a name he no longer has: counted as his all the same.
        event(c2, "2026-03-02T10:00:00Z", "Benjamin Formerly", ben.id(), "commented");

        // Let the re-scores that the accounts and contracts asked for run first: they would write over the
        // hand-built colors.
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(60))
                .during(Duration.ofMillis(1500))
                .until(() -> jdbc.sql("""
                                select (select count(*) from health_rescore_request)
                                     + (select count(*) from event_publication where completion_date is null)
                                     + (select count(*) from scheduled_tasks
                                         where (task_name like 'health-%' and picked)
                                            or task_name = 'health-published-rescore')""").query(Long.class).single() == 0);
        color(alpha, "yellow", "2026-03-08");
        color(alpha, "red", "2026-03-09", "2026-03-18");
        color(bravo, "yellow", "2026-03-15");
        color(bravo, "red", "2026-03-16", "2026-03-18");
        built = true;
        when(teams.team(mona.id())).thenReturn(List.of(mona.id(), ada.id()));
    }

    @Test
    void eachFigureIsCountedPerCsmAndWeekWithNoDataWhereNothingWasMeasured() throws Exception {
        Adoption adoption = read("/api/v1/insight/adoption?weeks=3");

        assertThat(adoption.from()).isEqualTo(LocalDate.parse(WEEK1));
        assertThat(adoption.to()).isEqualTo(LocalDate.parse("2026-03-18"));
        assertThat(adoption.weekStarts()).map(LocalDate::toString).containsExactly(WEEK1, WEEK2, WEEK3);
        // Carl owns nothing and never signed in; the administrator is no CSM.
        assertThat(adoption.csms())
                .extracting(Adoption.Person::name)
                .containsExactly("Ada Adoption", "Ben Adoption", "Mona Adoption");

        List<Adoption.Week> adas = person(adoption, ada).weeks();
        // Before the first recorded sign-in and view: no data; sentiment, overrides and CTA work were always kept.
        assertWeek(adas.get(0), null, null, 0, 0, 0, 0, 0, null);
        // The stored sign-in and view; the sentiment of 03-12; the task on C1; Alpha turned Red on 03-09 and Ada's task
        // came 33 hours after the start of that day.
        assertWeek(adas.get(1), 1L, 1L, 1, 0, 1, 1, 1, "1.4");
        // The form sign-in; Alpha and Bravo (Alpha's reload adds nothing); the comment and the close are one CTA.
        assertWeek(adas.get(2), 1L, 2L, 1, 0, 1, 0, 0, null);

        List<Adoption.Week> bens = person(adoption, ben).weeks();
        assertWeek(bens.get(0), null, null, 0, 0, 1, 0, 0, null);
        // Measured and nothing happened: 0 sign-ins and 0 accounts viewed, not "no data".
        assertWeek(bens.get(1), 0L, 0L, 0, 0, 0, 0, 0, null);
        // Bravo turned Red on 03-16 and nobody acted since: one change, none acted on, no median. The imported
        // sentiment has no author.
        assertWeek(bens.get(2), 0L, 0L, 1, 1, 0, 1, 0, null);

        assertWeek(person(adoption, mona).weeks().get(2), 1L, 0L, 0, 0, 0, 0, 0, null);

        assertWeek(adoption.totals().get(0), null, null, 0, 0, 1, 0, 0, null);
        assertWeek(adoption.totals().get(1), 1L, 1L, 1, 0, 1, 1, 1, "1.4");
        assertWeek(adoption.totals().get(2), 2L, 2L, 2, 1, 1, 1, 0, null);

        // Twelve weeks by default: from Monday 2025-12-29; Ada's override of 02-20 is in the week of 02-16.
        Adoption twelve = read("/api/v1/insight/adoption");
        assertThat(twelve.weekStarts()).hasSize(12).first().isEqualTo(LocalDate.parse("2025-12-29"));
        assertThat(person(twelve, ada).weeks().get(7).week()).isEqualTo(LocalDate.parse("2026-02-16"));
        assertThat(person(twelve, ada).weeks().get(7).overrides()).isEqualTo(1);
        assertThat(twelve.totals().get(7).overrides()).isEqualTo(1);
    }

    @Test
    void weeksOutOfRangeAreRefusedByName() throws Exception {
        for (String weeks : List.of("0", "53")) {
            mvc.perform(get("/api/v1/insight/adoption").param("weeks", weeks))
                    .andExpect(status().isUnprocessableContent())
                    .andExpect(jsonPath("$.errors[0].field").value("weeks"));
        }
        mvc.perform(get("/api/v1/insight/adoption").param("weeks", "52")).andExpect(status().isOk());
    }

    @Test
    void aCsmSeesThemselvesAManagerTheirTeamAViewerEveryone() throws Exception {
        assertThat(names(as(ada, "CSM"))).containsExactly("Ada Adoption");
        assertThat(names(as(ben, "CSM"))).containsExactly("Ben Adoption");
        assertThat(names(as(mona, "MANAGER"))).containsExactly("Ada Adoption", "Mona Adoption");
        assertThat(names(user("someone.viewer@example.com").roles("VIEWER")))
                .containsExactly("Ada Adoption", "Ben Adoption", "Mona Adoption");
        // The team's totals add up the people shown only.
        Adoption team = json.readValue(
                mvc.perform(get("/api/v1/insight/adoption?weeks=3").with(as(mona, "MANAGER")))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                Adoption.class);
        assertWeek(team.totals().get(2), 2L, 2L, 1, 0, 1, 0, 0, null);
    }

    @Test
    void thePageShowsEachFigurePerCsmAndWeekAndIsLinkedFromTheNavigation() throws Exception {
        String page = mvc.perform(get("/insight/adoption?weeks=3"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(cell(page, "signIns", ada, WEEK1)).isEqualTo("no data");
        assertThat(cell(page, "signIns", ada, WEEK3)).isEqualTo("1");
        assertThat(cell(page, "signIns", ben, WEEK3)).isEqualTo("0");
        assertThat(cell(page, "accountsViewed", ada, WEEK3)).isEqualTo("2");
        assertThat(cell(page, "sentiments", ben, WEEK3)).isEqualTo("1");
        assertThat(cell(page, "overrides", ben, WEEK3)).isEqualTo("1");
        assertThat(cell(page, "ctasWorked", ben, WEEK1)).isEqualTo("1");
        assertThat(cell(page, "medianDaysToAction", ada, WEEK2)).isEqualTo("1.4 days");
        assertThat(cell(page, "medianDaysToAction", ben, WEEK3)).isEqualTo("no data");
        assertThat(total(page, "signIns", WEEK3)).isEqualTo("2");
        assertThat(total(page, "accountsViewed", WEEK1)).isEqualTo("no data");
        assertThat(page).contains("data-testid=\"adoption-chart\"").contains("/js/adoption.js");
        assertThat(page).doesNotContain("Carl Adoption");

        String executive = mvc.perform(get("/insight/executive"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(executive).contains("data-testid=\"nav-adoption\"").contains("data-testid=\"adoption-link\"");
    }

    private static void assertWeek(
            Adoption.Week week,
            Long signIns,
            Long viewed,
            long sentiments,
            long overrides,
            long ctas,
            long reds,
            long acted,
            String median) {
        assertThat(week.signIns()).as("sign-ins in the week of %s", week.week()).isEqualTo(signIns);
        assertThat(week.accountsViewed())
                .as("accounts viewed in the week of %s", week.week())
                .isEqualTo(viewed);
        assertThat(week.sentiments())
                .as("sentiment in the week of %s", week.week())
                .isEqualTo(sentiments);
        assertThat(week.overrides())
                .as("overrides in the week of %s", week.week())
                .isEqualTo(overrides);
        assertThat(week.ctasWorked())
                .as("CTAs worked in the week of %s", week.week())
                .isEqualTo(ctas);
        assertThat(week.redChanges())
                .as("Red changes in the week of %s", week.week())
                .isEqualTo(reds);
        assertThat(week.redActedOn())
                .as("acted on in the week of %s", week.week())
                .isEqualTo(acted);
        assertThat(week.medianDaysToAction())
                .as("median days in the week of %s", week.week())
                .isEqualTo(median == null ? null : new BigDecimal(median));
    }

    private Adoption read(String url) throws Exception {
        return InsightReads.read(mvc, json, url, Adoption.class);
    }

    private List<String> names(RequestPostProcessor who) throws Exception {
        String body = mvc.perform(get("/api/v1/insight/adoption?weeks=3").with(who))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        return json.readValue(body, Adoption.class).csms().stream()
                .map(Adoption.Person::name)
                .toList();
    }

    private static Adoption.Person person(Adoption adoption, User user) {
        return adoption.csms().stream()
                .filter(p -> p.user().equals(user.id()))
                .findFirst()
                .orElseThrow();
    }

    private static RequestPostProcessor as(User person, String role) {
        return user(person.email()).roles(role);
    }

    /** The text of one person's cell for a week in the table of a figure. */
    private static String cell(String page, String figure, User person, String week) {
        String table = page.substring(page.indexOf("data-testid=\"table-" + figure + "\""));
        String row = table.substring(table.indexOf("data-user=\"" + person.id() + "\""));
        return inRow(row.substring(0, row.indexOf("</tr>")), figure, week);
    }

    private static String total(String page, String figure, String week) {
        String table = page.substring(page.indexOf("data-testid=\"table-" + figure + "\""));
        String row = table.substring(table.indexOf("data-testid=\"adoption-total\""));
        return inRow(row.substring(0, row.indexOf("</tr>")), figure, week);
    }

    private static String inRow(String row, String figure, String week) {
        Matcher matcher = Pattern.compile(
                        "data-testid=\"cell-" + figure + "\" data-week=\"" + week + "\"[^>]*>([^<]*)<")
                .matcher(row);
        assertThat(matcher.find())
                .as("a cell of %s for %s in %s", figure, week, row)
                .isTrue();
        return matcher.group(1).strip();
    }

    private UUID account(String name) {
        return jdbc.sql("select id from account where name = ?")
                .param(name)
                .query(UUID.class)
                .single();
    }

    private static Timestamp at(String instant) {
        return Timestamp.from(Instant.parse(instant));
    }

    private void sentiment(UUID account, UUID author, String at) {
        jdbc.sql("""
                        insert into sentiment (id, account_id, source, external_id, author_id, recorded_at, score,
                                               reason, created_at, updated_at)
                        values (?, ?, 'steward', ?, ?, ?, 3, 'Mixed signals', ?, ?)""")
                .params(UUID.randomUUID(), account, UUID.randomUUID().toString(), author, at(at), at(at), at(at))
                .update();
    }

    private void override(UUID account, User author, String at) {
        jdbc.sql("""
                        insert into health_override (id, account_id, color, reason, expires_on, author_id, author_name,
                                                     created_at, ended_at, ended_by)
                        values (?, ?, 'red', 'They told us', '2026-06-01', ?, ?, ?, ?, ?)""")
                .params(
                        UUID.randomUUID(),
                        account,
                        author.id(),
                        author.displayName(),
                        at(at),
                        Timestamp.from(Instant.parse(at).plusSeconds(60)),
                        author.displayName())
                .update();
    }

    /** A CTA as a playbook would have made it (its making is nobody's work). */
    private UUID cta(UUID account, User owner, String made) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into cta (id, account_id, type, title, priority, status, owner_id, created_at, due_at,
                                         sla_days, cause)
                        values (?, ?, 'risk', 'Win them back', 'high', 'open', ?, ?, ?, 2, '{}'::jsonb)""")
                .params(
                        id,
                        account,
                        owner.id(),
                        at(made),
                        Timestamp.from(Instant.parse(made).plus(Duration.ofDays(2))))
                .update();
        return id;
    }

    /** An entry as kept before ids were: by name only. */
    private void event(UUID cta, String at, String actor, String kind) {
        event(cta, at, actor, null, kind);
    }

    private void event(UUID cta, String at, String actor, UUID actorId, String kind) {
        jdbc.sql("insert into cta_event (id, cta_id, at, actor, actor_id, kind) values (?, ?, ?, ?, ?, ?)")
                .params(UUID.randomUUID(), cta, at(at), actor, actorId, kind)
                .update();
    }

    private void color(UUID account, String color, String... days) {
        for (String day : days) {
            jdbc.sql("""
                            insert into health_score (account_id, day, scorecard, scorecard_version, score, color,
                                                      coverage, raw, ranks, computed_at)
                            values (?, ?, 'Adoption Recon', 1, 30, ?, 1, '{}', '{}', now())
                            on conflict (account_id, day) do update set color = excluded.color,
                                                                       scorecard = excluded.scorecard""").params(account, LocalDate.parse(day), color).update();
        }
    }
}
