package dev.steward.backtest;

import dev.steward.core.DocumentVersion;
import dev.steward.core.InvalidInputException;
import dev.steward.health.ScorecardManagement;
import dev.steward.health.ScorecardSummary;
import dev.steward.health.VersionedScorecard;
import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.ObjectMapper;

/**
 * The backtests pages: setting one up, its progress, its results with charts, two runs side by side, and who was right
 * when CSMs disagreed with the score.
 */
@Controller
@RequestMapping("/backtests")
class BacktestPages {

    private final Backtests backtests;
    private final ScorecardManagement scorecards;
    private final ObjectMapper json;
    private final UserDirectory users;
    private final DisagreementOutcomes disagreements;

    BacktestPages(
            Backtests backtests,
            ScorecardManagement scorecards,
            ObjectMapper json,
            UserDirectory users,
            DisagreementOutcomes disagreements) {
        this.disagreements = disagreements;
        this.backtests = backtests;
        this.scorecards = scorecards;
        this.json = json;
        this.users = users;
    }

    /** A scorecard version the set-up form offers: {@code value} is "name:version". */
    record VersionOption(String value, String label) {}

    @GetMapping
    String list(Model model) {
        return form(model, null, null);
    }

    private String form(Model model, Map<String, Object> entered, List<dev.steward.core.FieldError> errors) {
        model.addAttribute("activeNav", "backtests");
        model.addAttribute("runs", backtests.list());
        model.addAttribute("segments", backtests.segments());
        model.addAttribute("snapshots", backtests.snapshots());
        model.addAttribute("splitSegments", backtests.splitSegments());
        model.addAttribute("versions", versionOptions());
        model.addAttribute("horizonChoices", Backtests.DEFAULT_HORIZONS);
        model.addAttribute("objectives", WeightSuggester.Objective.values());
        model.addAttribute("entered", entered == null ? Map.of() : entered);
        model.addAttribute("errors", errors == null ? List.of() : errors);
        model.addAttribute("disagreementTally", disagreements.tally());
        return "backtest/backtests";
    }

    private List<VersionOption> versionOptions() {
        List<VersionOption> options = new ArrayList<>();
        for (ScorecardSummary summary : scorecards.list()) {
            for (DocumentVersion version : scorecards.versions(summary.name())) {
                options.add(new VersionOption(
                        summary.name() + ":" + version.version(),
                        summary.name() + " v" + version.version() + " ("
                                + version.status().value() + (version.valid() ? "" : ", has problems") + ")"));
            }
        }
        return options;
    }

    @PostMapping
    String start(
            @RequestParam(required = false) String name,
            @RequestParam(required = false) List<String> scorecard,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) List<Integer> horizons,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String objective,
            @RequestParam(required = false) String snapshot,
            @RequestParam(required = false) List<String> splitBy,
            @RequestParam(defaultValue = "false") boolean splitByChosen,
            Authentication user,
            Model model,
            HttpServletResponse response) {
        List<BacktestRequest.ScorecardRef> refs = new ArrayList<>();
        if (scorecard != null) {
            for (String value : scorecard) {
                int colon = value.lastIndexOf(':');
                if (colon > 0) {
                    refs.add(new BacktestRequest.ScorecardRef(
                            value.substring(0, colon), Integer.parseInt(value.substring(colon + 1))));
                }
            }
        }
        try {
            BacktestRun run = backtests.start(
                    new BacktestRequest(
                            name,
                            refs,
                            null,
                            from,
                            to,
                            horizons,
                            segment,
                            objective,
                            snapshot == null || snapshot.isBlank() ? null : snapshot,
                            // The form lists every segment: none ticked means no split, not the default.
                            splitBy == null && splitByChosen ? List.of() : splitBy),
                    user.getName());
            return "redirect:/backtests/" + run.id();
        } catch (InvalidInputException refused) {
            Map<String, Object> entered = new LinkedHashMap<>();
            entered.put("name", name);
            entered.put("scorecard", scorecard == null ? List.of() : scorecard);
            entered.put("from", from);
            entered.put("to", to);
            entered.put("horizons", horizons == null ? List.of() : horizons);
            entered.put("segment", segment);
            entered.put("objective", objective);
            entered.put("snapshot", snapshot);
            entered.put("splitBy", splitBy == null ? List.of() : splitBy);
            response.setStatus(422);
            return form(model, entered, refused.errors());
        }
    }

    @GetMapping("/{id}")
    String run(@PathVariable UUID id, @RequestParam(required = false) Integer horizon, Model model) {
        BacktestRun run = backtests.get(id);
        model.addAttribute("activeNav", "backtests");
        model.addAttribute("run", run);
        model.addAttribute(
                "others",
                backtests.list().stream()
                        .filter(other -> !other.id().equals(id) && other.status() == BacktestRun.Status.DONE)
                        .toList());
        if (run.results() != null && !run.results().horizons().isEmpty()) {
            BacktestResults.HorizonResult shown = run.horizon(horizon == null ? 90 : horizon)
                    .orElse(run.results().horizons().get(0));
            model.addAttribute("shown", shown);
            model.addAttribute(
                    "missedAccounts",
                    shown.missedAccounts() != null ? shown.missedAccounts() : byAccount(shown.missed()));
            Map<String, Object> charts = new LinkedHashMap<>();
            charts.put("roc", shown.roc());
            charts.put("calibration", shown.overall().calibration());
            charts.put("thresholds", shown.thresholds());
            charts.put("byAsOf", shown.byAsOf());
            model.addAttribute("chartData", json.writeValueAsString(charts));
        }
        return "backtest/backtest";
    }

    /** Runs from before misses were gathered by account: gathers the listed ones. */
    private static List<BacktestResults.MissedByAccount> byAccount(List<BacktestResults.MissedAccount> missed) {
        Map<UUID, BacktestResults.MissedByAccount> gathered = new LinkedHashMap<>();
        for (BacktestResults.MissedAccount one : missed) {
            gathered.merge(
                    one.account(),
                    new BacktestResults.MissedByAccount(
                            one.account(),
                            one.name(),
                            one.segment(),
                            1,
                            one.asOf(),
                            one.asOf(),
                            one.score(),
                            one.churnedOn(),
                            one.churnedOn()),
                    Backtester.HorizonTally::gather);
        }
        return Backtester.HorizonTally.byAccount(gathered.values());
    }

    /** The progress bar, polled while the run is under way; once it is over the page reloads to show the results. */
    @GetMapping("/{id}/progress")
    String progress(@PathVariable UUID id, Model model, HttpServletResponse response) {
        BacktestRun run = backtests.get(id);
        if (run.status() == BacktestRun.Status.DONE || run.status() == BacktestRun.Status.FAILED) {
            response.setHeader("HX-Refresh", "true");
        }
        model.addAttribute("run", run);
        return "backtest/backtest :: progress";
    }

    /** Saves a suggestion as the scorecard's next draft and opens the scorecard, where its preview shows the effect. */
    @PostMapping("/{id}/suggestions/{scorecard}/draft")
    String draft(@PathVariable UUID id, @PathVariable String scorecard, Authentication user) {
        backtests.draft(id, scorecard, users.signedIn(user));
        return "redirect:/scorecards/"
                + org.springframework.web.util.UriUtils.encodePathSegment(
                        scorecard, java.nio.charset.StandardCharsets.UTF_8);
    }

    @GetMapping("/churn")
    String churn(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) String scorecard,
            @RequestParam(required = false) String segment,
            Model model) {
        model.addAttribute("activeNav", "backtests");
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("scorecard", scorecard);
        model.addAttribute("segment", segment);
        model.addAttribute(
                "scorecards",
                scorecards.publishedVersions().stream()
                        .map(VersionedScorecard::name)
                        .toList());
        model.addAttribute("segments", backtests.segments());
        return "backtest/churn";
    }

    /** The analysis itself, loaded into the churn page once it is computed. */
    @GetMapping("/churn/analysis")
    String churnAnalysis(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) String scorecard,
            @RequestParam(required = false) String segment,
            Model model) {
        model.addAttribute("analysis", backtests.churnAnalysis(from, to, scorecard, segment));
        return "backtest/churn :: analysis";
    }

    @GetMapping("/compare")
    String compare(@RequestParam UUID a, @RequestParam UUID b, Model model) {
        model.addAttribute("activeNav", "backtests");
        model.addAttribute("comparison", backtests.compare(a, b));
        return "backtest/compare";
    }
}
