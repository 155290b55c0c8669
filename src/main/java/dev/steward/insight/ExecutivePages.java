package dev.steward.insight;

import dev.steward.core.InvalidInputException;
import dev.steward.customer.AccountManagement;
import dev.steward.insight.ExecutiveReport.Figures;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.ObjectMapper;

/**
 * The executive dashboard page: every figure with its definition, charts, the accounts behind each number, each table
 * as CSV and the whole page as a PDF.
 */
@Controller
@RequestMapping("/insight/executive")
class ExecutivePages {

    /** What each figure means, as the page and the PDF state it. */
    static final List<String> DEFINITIONS = List.of(
            "ARR of an account on a day: the ARR of its contracts in force that day (from the start day up to the day"
                    + " before the end; a cancelled contract only before today). A customer is an account with ARR.",
            "NRR (net revenue retention) over a period = (starting ARR + expansion − contraction − churn) ÷ starting"
                    + " ARR, over the accounts that were customers on its first day; their ARR on the first day after"
                    + " it is compared with their ARR on its first day.",
            "GRR (gross revenue retention) = (starting ARR − contraction − churn) ÷ starting ARR, never above 100 %."
                    + " New ARR (accounts without ARR at the start, new or returning) is shown apart and is in"
                    + " neither. Without starting ARR: no data.",
            "ARR at risk: today's ARR of Red and Yellow customers. Black (too little data, or never scored) is shown"
                    + " apart, never counted as safe.",
            "Health over time: the customers of each day by the color last stored in the 7 days up to it; Black when"
                    + " none was.",
            "Renewal forecast: ARR of contracts ending in a month × the renewal rate of the account's color, as the"
                    + " latest finished backtest measured it (renewed ÷ (renewed + churned), longest horizon). Black"
                    + " is never forecast. Past months: the colors at the start of the month against what became of"
                    + " the contracts (renewal outcomes from the chain of contracts).",
            "Cohorts: accounts by the quarter their first contract started. Logo retention = accounts with ARR at"
                    + " the end of each later quarter ÷ accounts of the cohort; revenue retention = their ARR then ÷"
                    + " the cohort's ARR on each account's first day.",
            "CSM productivity, over the last N days (today included), on the customers each CSM owns today:"
                    + " customers and their ARR today; touches = meetings and notes on them; CTAs made on them, and"
                    + " completion rate = those of them closed by now ÷ CTAs made; SLA hit rate = CTAs closed in the"
                    + " period at or before their due time ÷ CTAs closed in it; turned Red = changes of a customer's"
                    + " stored color to Red; time to first action = from the start of that day to the first touch or"
                    + " person's work on a CTA of the account (comment, task, snooze, reassignment, priority, close,"
                    + " reopen, or a CTA made by hand), median over the changes acted on. No data where nothing was"
                    + " measured.",
            "Score accuracy: the latest finished backtest at its 90-day horizon (its longest when it has none):"
                    + " ROC AUC = the chance a churned observation scored below a retained one; Red precision = Red"
                    + " that churned ÷ Red. Data freshness: the data-quality report's latest snapshot, per kind of"
                    + " data the accounts with it fresh, stale or missing; fresh share = fresh (account, kind) pairs"
                    + " ÷ accounts × kinds.");

    /**
     * Set when some figures of the page are the last known ones (being computed again after a change): the instant
     * the oldest of them is as of.
     */
    static final String AS_OF_HEADER = "Steward-Figures-As-Of";

    /** How many accounts a drill-down page lists at most. */
    static final int LISTED = 500;

    private final ExecutiveDashboard dashboard;
    private final ExecutiveDrillDowns drillDowns;
    private final AccountManagement accounts;
    private final ObjectMapper json;
    private final ExecutiveReport report;
    private final ExecutiveCache cache;
    private final Duration budget;

    ExecutivePages(
            ExecutiveDashboard dashboard,
            ExecutiveDrillDowns drillDowns,
            AccountManagement accounts,
            ObjectMapper json,
            ExecutiveReport report,
            ExecutiveCache cache,
            @Value("${steward.insight.page-budget:1s}") Duration budget) {
        this.dashboard = dashboard;
        this.drillDowns = drillDowns;
        this.accounts = accounts;
        this.json = json;
        this.report = report;
        this.cache = cache;
        this.budget = budget;
    }

    private Figures figures(
            @Nullable String tier, @Nullable String from, @Nullable String to, @Nullable UUID backtest, int days) {
        return report.figures(tier, from, to, backtest, days);
    }

    @GetMapping
    String page(
            @RequestParam(required = false) @Nullable String tier,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable UUID backtest,
            @RequestParam(defaultValue = "30") int days,
            Model model,
            HttpServletResponse response) {
        // Figures being computed again after a change are waited for at most the budget; past it the page shows the
        // last known ones and says what time they are as of.
        ExecutiveCache.Read<Figures> read = cache.read(budget, () -> figures(tier, from, to, backtest, days));
        Figures figures = read.value();
        if (read.asOf() != null) {
            response.setHeader(AS_OF_HEADER, read.asOf().toString());
        }
        model.addAttribute("figuresAsOf", read.asOf());
        model.addAttribute("backtest", backtest);
        model.addAttribute("activeNav", "executive");
        model.addAttribute("tier", figures.tier());
        model.addAttribute("tiers", accounts.tiers());
        model.addAttribute("from", figures.from());
        model.addAttribute("to", figures.to());
        model.addAttribute("today", dashboard.today());
        model.addAttribute("retention", figures.retention());
        model.addAttribute("risk", figures.risk());
        model.addAttribute("distribution", figures.distribution());
        model.addAttribute("forecast", figures.forecast());
        model.addAttribute("cohorts", figures.cohorts());
        model.addAttribute("productivity", figures.productivity());
        model.addAttribute("periods", CsmProductivity.PERIODS);
        model.addAttribute("accuracy", figures.accuracy());
        model.addAttribute("freshness", figures.freshness());
        model.addAttribute("definitions", DEFINITIONS);
        model.addAttribute("query", query(figures));
        Map<String, Object> charts = new LinkedHashMap<>();
        charts.put("retention", figures.retention());
        charts.put("risk", figures.risk().byRenewalMonth());
        charts.put("distribution", figures.distribution().points());
        charts.put("upcoming", figures.forecast().upcoming());
        charts.put("past", figures.forecast().past());
        charts.put("productivity", figures.productivity());
        charts.put("tier", figures.tier());
        model.addAttribute("chartData", json.writeValueAsString(charts));
        return "insight/executive";
    }

    /** The query string that narrows a drill-down like the page: "&tier=…" or nothing. */
    private static String query(Figures figures) {
        return figures.tier() == null
                ? ""
                : "&tier=" + java.net.URLEncoder.encode(figures.tier(), StandardCharsets.UTF_8);
    }

    @GetMapping("/accounts")
    String accounts(@RequestParam String figure, @RequestParam Map<String, String> parameters, Model model) {
        model.addAttribute("activeNav", "executive");
        ExecutiveDrillDown drillDown = drillDowns.accounts(figure, without(parameters, "figure"));
        model.addAttribute("drillDown", drillDown);
        // Thousands of rows are for the CSV: the page lists the largest contributions.
        model.addAttribute(
                "lines",
                drillDown
                        .accounts()
                        .subList(0, Math.min(LISTED, drillDown.accounts().size())));
        org.springframework.web.util.UriComponentsBuilder csv =
                org.springframework.web.util.UriComponentsBuilder.fromPath("/insight/executive/accounts.csv");
        parameters.forEach(csv::queryParam);
        model.addAttribute("csvUrl", csv.encode().build().toUriString());
        return "insight/executive-accounts";
    }

    @GetMapping(path = "/accounts.csv", produces = "text/csv")
    ResponseEntity<String> accountsCsv(@RequestParam String figure, @RequestParam Map<String, String> parameters) {
        ExecutiveDrillDown drillDown = drillDowns.accounts(figure, without(parameters, "figure"));
        List<String> headers = new ArrayList<>(List.of("account", "name", "contribution"));
        headers.addAll(drillDown.columns());
        List<List<String>> rows = new ArrayList<>();
        for (ExecutiveDrillDown.Line line : drillDown.accounts()) {
            List<String> row = new ArrayList<>(List.of(
                    line.account().toString(), line.name(), line.contribution().toPlainString()));
            row.addAll(line.values());
            rows.add(row);
        }
        return csv(new ExecutiveTable(figure + "-accounts", drillDown.title(), headers, rows));
    }

    @GetMapping(path = "/{table}.csv", produces = "text/csv")
    ResponseEntity<String> tableCsv(
            @PathVariable String table,
            @RequestParam(required = false) @Nullable String tier,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable UUID backtest,
            @RequestParam(defaultValue = "30") int days) {
        if (!ExecutiveTable.NAMES.contains(table)) {
            throw new InvalidInputException(
                    "table", "unknown table '" + table + "'; use " + String.join(", ", ExecutiveTable.NAMES));
        }
        return csv(figures(tier, from, to, backtest, days).tables().stream()
                .filter(t -> t.name().equals(table))
                .findFirst()
                .orElseThrow());
    }

    @GetMapping(path = "/dashboard.pdf", produces = "application/pdf")
    ResponseEntity<byte[]> pdf(
            @RequestParam(required = false) @Nullable String tier,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable UUID backtest,
            @RequestParam(defaultValue = "30") int days) {
        Figures figures = figures(tier, from, to, backtest, days);
        byte[] pdf = report.pdf(figures);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        attachment("executive-dashboard-" + dashboard.today() + ".pdf"))
                .body(pdf);
    }

    private ResponseEntity<String> csv(ExecutiveTable table) {
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, attachment(table.name() + "-" + dashboard.today() + ".csv"))
                .body(table.csv());
    }

    private static String attachment(String filename) {
        return ContentDisposition.attachment()
                .filename(filename, StandardCharsets.UTF_8)
                .build()
                .toString();
    }

    private static Map<String, String> without(Map<String, String> parameters, String name) {
        Map<String, String> rest = new HashMap<>(parameters);
        rest.remove(name);
        return rest;
    }
}
