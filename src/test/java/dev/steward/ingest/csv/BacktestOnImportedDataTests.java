package dev.steward.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.health.HealthScoring;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.ObjectMapper;

/**
 * The whole backtesting flow on data that arrived only through CSV import, not through the demo company: a SaaS
 * export in the shape of {@code src/test/resources/csv/saas-export} (accounts, yearly subscriptions, weekly feature
 * usage, support tickets, churn events), generated here for 120 accounts over three years, is imported with that
 * export's plan; a scorecard written for what the export holds is backtested over the default 24 monthly as-of days;
 * churn analysis reads the imported churn reasons; the suggestion learned from the history becomes a draft.
 *
 * <p>A third of the accounts churn at the end of a yearly term (on the 15th, so never on an as-of day); in the 200
 * days before, they use one feature instead of four and raise escalated tickets every few weeks. The expected observations and churns
 * per as-of day are counted here from the generated history with the backtest's rules (a customer on T has a
 * subscription in force on T; it churned when its last subscription ended within (T, T + 90]).
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
// A database of its own: the accounts and the scorecard made here must not show in other tests.
@TestPropertySource(properties = "steward.test.context=backtest-on-imported-data")
class BacktestOnImportedDataTests {

    private static final int ACCOUNTS = 120;
    private static final String[] FEATURES = {"Reports", "Dashboards", "Alerts", "Exports"};
    private static final String[] REASONS = {"pricing", "features", "competitor"};
    /** How long before churning an account shows it: one feature in use, escalated tickets every few weeks. */
    private static final int FADING_DAYS = 200;

    private static final String SCORECARD = """
            name: Imported Export
            appliesTo: account.tier == "Imported"
            priority: 95
            thresholds: { red: 40, yellow: 70 }   # agreed with the CS leaders
            minimumCoverage: 0.5
            dimensions:
              - name: Product
                weight: 60
                measures:
                  # Adoption is what renews.
                  - name: Feature adoption
                    metric: feature.*
                    aggregate: distinct_ratio
                    window: 90d
                    weight: 100
                    score: { linear: { from: 0.1, to: 0.4 } }
              - name: Support
                weight: 25
                measures:
                  - name: Escalations
                    metric: tickets.escalated
                    aggregate: count
                    window: 90d
                    weight: 60
                    score: { bands: [ { above: 1, points: 0 }, { above: 0, points: 50 }, { else: 100 } ] }
                  - name: Ticket volume
                    metric: tickets.count
                    aggregate: count
                    window: 90d
                    weight: 40
                    score: { bands: [ { above: 6, points: 30 }, { else: 100 } ] }
              - name: Financial
                weight: 15
                measures:
                  - name: Days to renewal
                    metric: contracts.days_to_renewal
                    aggregate: latest
                    window: 90d
                    weight: 100
                    score: { bands: [ { below: 30, points: 50 }, { else: 100 } ] }
            """;

    @Autowired
    MockMvc mvc;

    @Autowired
    CsvImports imports;

    @Autowired
    ObjectMapper json;

    @Autowired
    HealthScoring scoring;

    @TempDir
    Path export;

    /** The day of the last fact the last export written holds (a subscription start, a ticket, a churn). */
    LocalDate lastFact;

    /** One generated account: when it signed up and, for a churner, the day its last subscription ended. */
    record Customer(String id, LocalDate signup, LocalDate churnedOn) {}

    @Test
    void importedHistoryIsBacktestedAnalysedAndLearnedFrom() throws Exception {
        LocalDate today = scoring.today();
        List<Customer> customers = writeExport(today, "A", "Imported", "saas-export");
        String printed = importExport();
        assertThat(printed).contains("Imported " + ACCOUNTS + " of " + ACCOUNTS + " rows");

        mvc.perform(post("/api/v1/scorecards/Imported Export/versions")
                        .with(csrf())
                        .contentType("application/yaml")
                        .content(SCORECARD))
                .andExpect(status().isCreated());
        String location = mvc.perform(post("/api/v1/backtests")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "Imported export", "scorecards": [{"name": "Imported Export", "version": 1}],
                                 "horizons": [90], "segment": "Imported"}"""))
                .andExpect(status().isAccepted())
                .andReturn()
                .getResponse()
                .getHeader("Location");
        String run = awaitDone(location);

        List<String> asOfDates = JsonPath.read(run, "$.results.asOfDates");
        assertThat(asOfDates).hasSize(24);
        List<String> horizonDays = JsonPath.read(run, "$.results.horizons[0].asOfDates");
        long observations = 0;
        long churned = 0;
        for (String day : horizonDays) {
            LocalDate asOf = LocalDate.parse(day);
            for (Customer customer : customers) {
                boolean customerOn = !customer.signup().isAfter(asOf)
                        && (customer.churnedOn() == null || customer.churnedOn().isAfter(asOf));
                if (customerOn) {
                    observations++;
                    if (customer.churnedOn() != null && !customer.churnedOn().isAfter(asOf.plusDays(90))) {
                        churned++;
                    }
                }
            }
        }
        String overall = "$.results.horizons[0].overall.";
        assertThat(((Number) JsonPath.read(run, "$.results.accounts")).intValue())
                .isEqualTo(ACCOUNTS);
        assertThat(((Number) JsonPath.read(run, overall + "observations")).longValue())
                .as("every account on every as-of day it was a customer")
                .isEqualTo(observations);
        assertThat(((Number) JsonPath.read(run, overall + "churned")).longValue())
                .as("churns within 90 days of an as-of day")
                .isEqualTo(churned);
        assertThat(churned).isGreaterThan(30);
        double auc = ((Number) JsonPath.read(run, overall + "rocAuc")).doubleValue();
        assertThat(auc)
                .as("feature adoption and escalations warn of the imported churn")
                .isGreaterThan(0.85);
        List<String> segments = JsonPath.read(run, "$.results.horizons[0].segments[*].segment");
        assertThat(segments).containsExactly("Imported");

        String analysis = mvc.perform(get("/api/v1/backtests/churn-analysis")
                        .param("from", today.minusMonths(27).toString())
                        .param("to", today.toString()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<String> reasons = JsonPath.read(analysis, "$.byReasonAndSegment[?(@.segment == 'Imported')].reason");
        assertThat(reasons)
                .as("the export's reason codes, mapped by the plan")
                .contains("budget", "product_fit", "competitor");
        List<Number> arrLost = JsonPath.read(analysis, "$.byReasonAndSegment[?(@.segment == 'Imported')].arrLost");
        assertThat(arrLost).allSatisfy(arr -> assertThat(arr.doubleValue()).isPositive());
        // The scorecard is a draft: no published one applies to tier Imported, whose accounts are a population apart.
        List<String> signals =
                JsonPath.read(analysis, "$.populations[?(@.scorecard == 'No scorecard applies')].indicators[*].metric");
        assertThat(signals).contains("tickets.escalated");

        List<java.util.Map<String, Object>> suggestions =
                JsonPath.read(run, "$.results.suggestions[?(@.scorecard == 'Imported Export')]");
        assertThat(suggestions).hasSize(1);
        assertThat(suggestions.get(0).get("problem"))
                .as("a suggestion was learned")
                .isNull();
        List<Number> evaluated =
                JsonPath.read(run, "$.results.suggestions[?(@.scorecard == 'Imported Export')].after.rocAuc");
        assertThat(evaluated).as("judged on the later as-of days").hasSize(1);
        // Beside it, a logistic regression on the same measures' raw values, judged on the same observations.
        List<java.util.Map<String, Object>> benchmarks =
                JsonPath.read(run, "$.results.suggestions[?(@.scorecard == 'Imported Export')].benchmark");
        assertThat(benchmarks).hasSize(1);
        assertThat(benchmarks.get(0).get("inconclusive")).isNull();
        assertThat(((Number) benchmarks.get(0).get("scorecardAuc")).doubleValue())
                .isEqualTo(JsonPath.<List<Number>>read(
                                run, "$.results.suggestions[?(@.scorecard == 'Imported Export')].before.rocAuc")
                        .get(0)
                        .doubleValue());
        assertThat(((Number) benchmarks.get(0).get("modelAuc")).doubleValue()).isBetween(0.0, 1.0);
        mvc.perform(get("/backtests/" + JsonPath.read(run, "$.id")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("A model on the same data would reach AUC ")));
        mvc.perform(post(location + "/suggestions/Imported Export/draft").with(csrf()))
                .andExpect(status().isCreated());
        String versions = mvc.perform(get("/api/v1/scorecards/Imported Export/versions"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(versions).contains("\"version\":2");
        // The draft is version 1's document with the weights written in place: its comments stay, and it says
        // which backtest it came from; the suggestion said what it would do to coverage.
        String draft = mvc.perform(get("/api/v1/scorecards/Imported Export/versions/2"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(run, "$.id");
        assertThat(JsonPath.<String>read(draft, "$.yaml"))
                .startsWith("# Weights and thresholds suggested by backtest “Imported export” (" + id + ").\n")
                .contains("thresholds: { red: ")
                .contains("}   # agreed with the CS leaders\n")
                .contains("      # Adoption is what renews.\n");
        assertThat(JsonPath.<String>read(draft, "$.origin.kind")).isEqualTo("backtest");
        assertThat(JsonPath.<String>read(draft, "$.origin.id")).isEqualTo(id);
        List<Number> covered =
                JsonPath.read(run, "$.results.suggestions[?(@.scorecard == 'Imported Export')].coverage.accounts");
        assertThat(covered).hasSize(1);
        assertThat(covered.get(0).longValue()).isPositive();
    }

    /**
     * The same kind of export, but its facts end two years before today, as a public dataset does. The backtest must
     * default to as-of days inside the data (not the 24 months before today, where every open subscription's imputed
     * end once became "churn"), report the same figures as a run restricted to those days by hand, count each account's
     * churn once, and today's scores must say "no data" (Black) rather than read two years of silence as zero use.
     */
    @Test
    void anExportThatEndedTwoYearsAgoIsJudgedInsideItsDataAndTodayIsUnknown() throws Exception {
        LocalDate today = scoring.today();
        LocalDate end = today.minusYears(2);
        List<Customer> customers = writeExport(end, "B", "Exported", "old-export");
        assertThat(importExport()).contains("Imported " + ACCOUNTS + " of " + ACCOUNTS + " rows");
        mvc.perform(post("/api/v1/scorecards/Old Export/versions")
                        .with(csrf())
                        .contentType("application/yaml")
                        .content(SCORECARD
                                .replace("name: Imported Export", "name: Old Export")
                                .replace("account.tier == \"Imported\"", "account.tier == \"Exported\"")
                                .replace("priority: 95", "priority: 96")))
                .andExpect(status().isCreated());

        String run = awaitDone(startBacktest("""
                {"scorecards": [{"name": "Old Export", "version": 1}], "horizons": [90]}"""));

        LocalDate knownUntil = LocalDate.parse(JsonPath.read(run, "$.results.knownUntil"));
        assertThat(knownUntil).as("the export's last fact").isEqualTo(lastFact);
        List<String> asOfDates = JsonPath.read(run, "$.results.asOfDates");
        assertThat(asOfDates).hasSize(24);
        LocalDate lastAsOf = LocalDate.parse(asOfDates.get(23));
        assertThat(lastAsOf).isEqualTo(knownUntil.minusDays(90).withDayOfMonth(1));
        long observations = 0;
        long churned = 0;
        for (String day : asOfDates) {
            LocalDate asOf = LocalDate.parse(day);
            for (Customer customer : customers) {
                if (!customer.signup().isAfter(asOf)
                        && (customer.churnedOn() == null || customer.churnedOn().isAfter(asOf))) {
                    observations++;
                    if (customer.churnedOn() != null && !customer.churnedOn().isAfter(asOf.plusDays(90))) {
                        churned++;
                    }
                }
            }
        }
        String overall = "$.results.horizons[0].overall.";
        assertThat(((Number) JsonPath.read(run, overall + "observations")).longValue())
                .isEqualTo(observations);
        assertThat(((Number) JsonPath.read(run, overall + "churned")).longValue())
                .isEqualTo(churned);
        assertThat(churned).isGreaterThan(20);
        assertThat(((Number) JsonPath.read(run, "$.results.horizons[0].censored")).longValue())
                .isZero();
        assertThat(JsonPath.<List<String>>read(run, "$.results.horizons[0].scorecards[*].scorecard"))
                .containsExactly("Old Export");

        // The same days given by hand give the same figures.
        String byHand = awaitDone(startBacktest("""
                {"scorecards": [{"name": "Old Export", "version": 1}], "horizons": [90],
                 "from": "%s", "to": "%s"}""".formatted(asOfDates.get(0), asOfDates.get(23))));
        for (String figure : List.of("observations", "churned", "rocAuc", "accuracy", "baseChurnRate")) {
            assertThat((Object) JsonPath.read(byHand, overall + figure))
                    .as(figure)
                    .isEqualTo(JsonPath.read(run, overall + figure));
        }

        // Churn over the last twelve months of the data, each account once.
        long churners = customers.stream()
                .filter(c -> c.churnedOn() != null
                        && !c.churnedOn().isBefore(knownUntil.minusMonths(12))
                        && !c.churnedOn().isAfter(knownUntil))
                .count();
        String analysis = mvc.perform(get("/api/v1/backtests/churn-analysis").param("segment", "Exported"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(JsonPath.<String>read(analysis, "$.to")).isEqualTo(knownUntil.toString());
        assertThat(((Number) JsonPath.read(analysis, "$.churns")).longValue()).isEqualTo(churners);

        // Today, two years after the last fact, a customer whose subscription still ran when the export was made:
        // nothing is known, so the account is Black with nothing covered (not 70% covered and Green, as before).
        List<String> named = JsonPath.read(
                mvc.perform(get("/api/v1/accounts").param("tier", "Exported").param("q", "Customer 1"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[?(@.name == 'Customer 1')].id");
        assertThat(customers.get(1).churnedOn()).as("customer 1 never churns").isNull();
        String account = named.get(0);
        mvc.perform(get("/api/v1/accounts/" + account + "/health/as-of")
                        .param("date", today.toString())
                        .param("scorecard", "Old Export")
                        .param("version", "1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.color").value("black"))
                .andExpect(jsonPath("$.explanation.coverage").value(0.0));
    }

    private String startBacktest(String body) throws Exception {
        return mvc.perform(post("/api/v1/backtests")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isAccepted())
                .andReturn()
                .getResponse()
                .getHeader("Location");
    }

    private String awaitDone(String location) {
        return await("backtest at " + location + " done")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                // The signed-in test user belongs to this thread.
                .pollInSameThread()
                .until(
                        () -> mvc.perform(get(location))
                                .andExpect(status().isOk())
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        body -> {
                            String state = JsonPath.read(body, "$.status");
                            assertThat(state).as(body).isIn("queued", "running", "done");
                            return state.equals("done");
                        });
    }

    private String importExport() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ImportCommand command =
                new ImportCommand(imports, json, new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit = command.run(List.of("--dir", export.toString(), "--plan", "plan.yaml"));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        return output;
    }

    /** Writes the export's five files and its plan, and returns what was generated. */
    private List<Customer> writeExport(LocalDate end, String prefix, String tier, String source) throws Exception {
        LocalDate today = end;
        Random random = new Random(5);
        List<Customer> customers = new ArrayList<>();
        StringBuilder accounts = new StringBuilder(
                "account_id,account_name,industry,country,signup_date,referral_source,plan_tier,seats,is_trial,"
                        + "churn_flag\n");
        StringBuilder subscriptions = new StringBuilder(
                "subscription_id;account_id;start_date;end_date;plan_tier;seats;mrr_amount;arr_amount;is_trial;"
                        + "upgrade_flag;downgrade_flag;churn_flag;billing_frequency;auto_renew_flag\n");
        StringBuilder usage = new StringBuilder(
                "usage_id,subscription_id,usage_date,feature_name,usage_count,usage_duration_secs,error_count,"
                        + "is_beta_feature\n");
        StringBuilder tickets =
                new StringBuilder("ticket_id,account_id,submitted_at,closed_at,resolution_time_hours,priority,"
                        + "first_response_time_minutes,satisfaction_score,escalation_flag\n");
        StringBuilder churns = new StringBuilder(
                "churn_event_id,account_id,churn_date,reason_code,refund_amount_usd,preceding_upgrade_flag,"
                        + "preceding_downgrade_flag,is_reactivation,feedback_text\n");
        int usageRows = 0;
        int ticketRows = 0;
        lastFact = LocalDate.MIN;
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = prefix + "-" + (1000 + i);
            LocalDate signup = today.minusMonths(30 + random.nextInt(6)).withDayOfMonth(10);
            // A third churn, at the end of their first or second yearly term (on the 15th).
            int terms = i % 3 == 0 ? 1 + random.nextInt(2) : 4;
            LocalDate churnedOn = i % 3 == 0 ? signup.plusYears(terms).withDayOfMonth(15) : null;
            customers.add(new Customer(id, signup, churnedOn));
            int mrr = 500 + 250 * random.nextInt(8);
            accounts.append(String.format(
                    Locale.ROOT,
                    "%s,Customer %d,SaaS,US,%s,organic,%s,%d,False,%s%n",
                    id,
                    i,
                    signup,
                    tier,
                    20 + i,
                    churnedOn != null ? "True" : "False"));
            for (int term = 0; term < terms; term++) {
                LocalDate start = term == 0 ? signup : signup.plusYears(term).withDayOfMonth(15);
                LocalDate termEnd = signup.plusYears(term + 1).withDayOfMonth(15);
                if (!start.isBefore(today)) {
                    break;
                }
                boolean last = churnedOn != null && term == terms - 1 && !churnedOn.isAfter(today);
                lastFact = start.isAfter(lastFact) ? start : lastFact;
                String subscription = "S-" + id + "-" + term;
                subscriptions.append(String.format(
                        Locale.ROOT,
                        "%s;%s;%s;%s;%s;%d;%s;%d;False;False;False;%s;annual;%s%n",
                        subscription,
                        id,
                        start,
                        // A subscription still running when the export was made has no end date yet.
                        termEnd.isAfter(today) ? "" : termEnd,
                        tier,
                        20 + i,
                        germanAmount(mrr),
                        mrr * 12,
                        last ? "True" : "False",
                        last ? "False" : "True"));
                for (LocalDate week = start; week.isBefore(termEnd) && week.isBefore(today); week = week.plusDays(7)) {
                    boolean fading = churnedOn != null && week.isAfter(churnedOn.minusDays(FADING_DAYS));
                    for (int f = 0; f < (fading ? 1 : FEATURES.length); f++) {
                        usage.append(String.format(
                                Locale.ROOT,
                                "U-%d,%s,%s,%s,%d,600,0,False%n",
                                ++usageRows,
                                subscription,
                                week,
                                FEATURES[f],
                                fading ? 1 + random.nextInt(3) : 10 + random.nextInt(30)));
                    }
                }
            }
            for (LocalDate day = signup.plusDays(20); day.isBefore(today); ) {
                if (churnedOn != null && !day.isBefore(churnedOn)) {
                    break;
                }
                boolean fading = churnedOn != null && day.isAfter(churnedOn.minusDays(FADING_DAYS));
                lastFact = day.isAfter(lastFact) ? day : lastFact;
                tickets.append(String.format(
                        Locale.ROOT,
                        "T-%d,%s,%s 09:00:00,%s 15:00:00,6,high,30,%d,%s%n",
                        ++ticketRows,
                        id,
                        day,
                        day.plusDays(1),
                        fading ? 2 : 5,
                        fading ? "True" : "False"));
                if (fading && day.plusDays(3).isBefore(today)) {
                    lastFact = day.plusDays(3).isAfter(lastFact) ? day.plusDays(3) : lastFact;
                    tickets.append(String.format(
                            Locale.ROOT,
                            "T-%d,%s,%s 10:00:00,%s 11:00:00,25,urgent,90,1,True%n",
                            ++ticketRows,
                            id,
                            day.plusDays(3),
                            day.plusDays(4)));
                }
                day = day.plusDays(fading ? 20 + random.nextInt(10) : 45 + random.nextInt(30));
            }
            if (churnedOn != null && !churnedOn.isAfter(today)) {
                lastFact = churnedOn.isAfter(lastFact) ? churnedOn : lastFact;
                churns.append(String.format(
                        Locale.ROOT,
                        "C-%d,%s,%s,%s,0,False,False,False,\"Left after %d months\"%n",
                        i,
                        id,
                        churnedOn,
                        REASONS[(i / 3) % REASONS.length],
                        terms * 12));
            }
        }
        Files.writeString(export.resolve("accounts.csv"), accounts);
        Files.writeString(export.resolve("subscriptions.csv"), subscriptions);
        Files.writeString(export.resolve("feature_usage.csv"), usage);
        Files.writeString(export.resolve("support_tickets.csv"), tickets);
        Files.writeString(export.resolve("churn_events.csv"), churns);
        Files.writeString(
                export.resolve("plan.yaml"),
                Files.readString(Path.of("src/test/resources/csv/saas-export/plan.yaml"))
                        .replace("source: saas-export", "source: " + source));
        return customers;
    }

    /** 1250 as the export writes it: "1.250,00". */
    private static String germanAmount(int amount) {
        return String.format(Locale.GERMANY, "%,.2f", (double) amount);
    }
}
