package dev.steward.backtest;

import dev.steward.core.DocumentText;
import dev.steward.health.engine.ScorecardProblem;
import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/backtests")
@Tag(
        name = "Backtests",
        description = "How well a scorecard version would have foretold churn: as-of scoring over past days against"
                + " what became of each account, run in the background, stored, compared, downloadable")
class BacktestController {

    static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final Backtests backtests;
    private final UserDirectory users;

    BacktestController(Backtests backtests, UserDirectory users) {
        this.backtests = backtests;
        this.users = users;
    }

    @PostMapping
    @Operation(
            summary = "Start a backtest",
            description =
                    "Scores every account as of each as-of day with the versions given (published or drafts;"
                            + " the rest of the published set as it is) and compares the colors with what became of each"
                            + " account within each horizon, overall and per segment: splitBy names the lifecycle segments"
                            + " whose figures are reported apart (membership as of each as-of day; every published rule"
                            + " segment when not given, none when empty). Answers 202 at once; follow the run's status and daysDone.")
    ResponseEntity<BacktestRun> start(@RequestBody(required = false) BacktestRequest request, Authentication user) {
        BacktestRun run = backtests.start(
                request == null ? new BacktestRequest(null, null, null, null, null, null, null, null, null) : request,
                user.getName());
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/backtests/" + run.id()))
                .body(run);
    }

    @GetMapping
    @Operation(summary = "The newest backtests (up to 100), without their results")
    List<BacktestRun> list() {
        return backtests.list();
    }

    @GetMapping("/{id}")
    @Operation(
            summary = "A backtest: its progress and, once done, its results",
            description = "Per horizon: counts and outcomes per color, accuracy, ROC AUC, precision, recall and lift"
                    + " of Red, calibration by score band, the threshold analysis, the ROC curve, the figures per"
                    + " segment and per as-of day, and the Green accounts that churned (one by one in 'missed', by"
                    + " account in 'missedAccounts'); the lead time of Red; and per scorecard the suggested weights with"
                    + " their 'coverage': accounts Black now and under the suggestion, and per measure gaining weight"
                    + " how many accounts lack it and would turn Black; per measure the rule now ('ruleNow'), the rule"
                    + " learned from its raw values ('ruleSuggested', 'ruleYaml', null when kept) and why"
                    + " ('ruleReason'); the model 'benchmark' and the 'headline' stating the gap to it.")
    BacktestRun get(@PathVariable UUID id) {
        return backtests.get(id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a finished backtest")
    void delete(@PathVariable UUID id) {
        backtests.delete(id);
    }

    @PostMapping("/{id}/suggestions/{scorecard}/draft")
    @Operation(
            summary = "Save a backtest's suggested weights and thresholds for a scorecard as its next draft version",
            description = "The draft can then be previewed, backtested and published like any other version."
                    + " ADMIN and MANAGER only.")
    ResponseEntity<DocumentText<ScorecardProblem>> draft(
            @PathVariable UUID id, @PathVariable String scorecard, Authentication user) {
        DocumentText<ScorecardProblem> saved = backtests.draft(id, scorecard, users.signedIn(user));
        return ResponseEntity.created(URI.create("/api/v1/scorecards/"
                        + org.springframework.web.util.UriUtils.encodePathSegment(scorecard, StandardCharsets.UTF_8)
                        + "/versions/" + saved.version().version()))
                .body(saved);
    }

    @GetMapping("/churn-analysis")
    @Operation(
            summary = "Churn by reason and segment, and the signals that moved before it",
            description = "Churns from 'from' to 'to' (default: the twelve months up to where the data on"
                    + " contracts and churn ends, 'knownUntil'), each account's churn counted once however many churn"
                    + " events and contracts it took: by reason category ('not recorded' for contracts that ended"
                    + " unrenewed with no churn event), with the ARR lost, per segment. Then every usage metric with data"
                    + " and every fact, read as of each month-start in the period whose 90 days lie within the data,"
                    + " compared between accounts that churned within 90 days and those that did not, within each"
                    + " published scorecard's accounts ('populations'): means, difference, effect size (Cohen's d) and"
                    + " univariate ROC AUC, strongest first, with the published measures that use each. 'scorecard' or"
                    + " 'segment' restrict it to those accounts.")
    ChurnAnalysis churnAnalysis(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) String scorecard,
            @RequestParam(required = false) String segment) {
        return backtests.churnAnalysis(from, to, scorecard, segment);
    }

    @GetMapping("/compare")
    @Operation(
            summary = "Two finished backtests side by side: each figure per shared horizon under A and B, and B − A",
            description = "Each row has its unit (percent, auc, times, count, days). 'comparable' is false, and"
                    + " 'differences' names each way, when the runs judged different populations: other accounts, another"
                    + " segment, other as-of days at a shared horizon, or data that ended elsewhere; B − A then mixes a"
                    + " change of score with a change of who was judged.")
    BacktestComparison compare(@RequestParam UUID a, @RequestParam UUID b) {
        return backtests.compare(a, b);
    }

    @GetMapping(path = "/{id}/figures.csv", produces = "text/csv")
    @Operation(summary = "A finished backtest's figures as CSV: one row per horizon and segment")
    ResponseEntity<String> figures(@PathVariable UUID id) {
        return csv(id, "figures", BacktestCsv.figures(finished(id)));
    }

    @GetMapping(path = "/{id}/missed.csv", produces = "text/csv")
    @Operation(summary = "The Green accounts that churned within each horizon, as CSV")
    ResponseEntity<String> missed(@PathVariable UUID id) {
        return csv(id, "missed", BacktestCsv.missed(finished(id)));
    }

    @GetMapping(path = "/{id}/report.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    @Operation(
            summary = "A finished backtest as a PDF report to forward: figures, segments, calibration, missed accounts")
    ResponseEntity<byte[]> report(@PathVariable UUID id) {
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("backtest-" + id + ".pdf")
                                .build()
                                .toString())
                .body(BacktestPdf.render(finished(id)));
    }

    private BacktestRun finished(UUID id) {
        BacktestRun run = backtests.get(id);
        if (run.results() == null) {
            throw new dev.steward.core.InvalidInputException(
                    "id", "backtest " + id + " is " + run.status().value() + "; its results are not ready");
        }
        return run;
    }

    private static ResponseEntity<String> csv(UUID id, String what, String body) {
        return ResponseEntity.ok()
                .contentType(CSV)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("backtest-" + id + "-" + what + ".csv")
                                .build()
                                .toString())
                .body(body);
    }
}
