package dev.steward.health;

import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.health.engine.Color;
import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
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
@RequestMapping("/api/v1")
@Tag(
        name = "Health",
        description = "Account health scores with their explanations, history, trends, what changed, overrides,"
                + " as-of scoring with any scorecard version, previews and re-scoring")
class HealthController {

    private final HealthScoring scoring;
    private final ScorecardManagement scorecards;
    private final UserDirectory authors;
    private final ScorecardFit fit;

    HealthController(HealthScoring scoring, ScorecardManagement scorecards, UserDirectory authors, ScorecardFit fit) {
        this.fit = fit;
        this.scoring = scoring;
        this.scorecards = scorecards;
        this.authors = authors;
    }

    @GetMapping("/accounts/{id}/health")
    @Operation(
            summary = "An account's health, explained",
            description = "The latest stored score (or the one stored on 'date'): score and color that count, the"
                    + " computed score beside an override, coverage, trend against 7/30/90 days before, and the"
                    + " breakdown by dimension and measure (raw value, points, weight, points lost). 404 for an"
                    + " account without a score, saying why: no published scorecard applies to it (naming each and"
                    + " what it applies to), it is a former customer, or it waits for its first re-score.")
    AccountHealth health(
            @PathVariable UUID id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
        // Without a score today, the answer says why: no scorecard applies to it (and which are published), it is a
        // former customer, or it is new and waits for its first re-score (the account itself says so in 'unscored').
        return (date == null ? scoring.current(id) : scoring.on(id, date))
                .orElseThrow(() -> new NotFoundException("Account " + id + " has no health score"
                        + (date == null ? ". " + fit.of(id).reason() : " on " + date + ".")));
    }

    @GetMapping("/accounts/{id}/health/history")
    @Operation(summary = "An account's stored daily scores, oldest first (default: the last 365 days)")
    List<HistoryPoint> history(
            @PathVariable UUID id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        LocalDate end = to == null ? scoring.today() : to;
        LocalDate start = from == null ? end.minusDays(365) : from;
        requireOrder(start, end);
        return scoring.history(id, start, end).stream()
                .map(s -> new HistoryPoint(
                        s.day(), s.score(), s.color(), s.coverage(), s.scorecard(), s.scorecardVersion()))
                .toList();
    }

    /** One day of an account's health history. */
    record HistoryPoint(
            LocalDate day, double score, Color color, double coverage, String scorecard, int scorecardVersion) {}

    @GetMapping("/accounts/{id}/health/changes")
    @Operation(
            summary = "What changed an account's health between two days",
            description = "The measures whose raw value or points moved, with how much each moved the total, largest"
                    + " first. Both days must have stored scores.")
    HealthChanges changes(
            @PathVariable UUID id,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        requireOrder(from, to);
        return scoring.changes(id, from, to);
    }

    @GetMapping("/accounts/{id}/health/as-of")
    @Operation(
            summary = "Score one account as of a past day, without storing it",
            description = "Reads only facts dated on or before 'date'. Uses the published scorecards, or, with"
                    + " 'scorecard' and 'version', that version (published or draft) in place of the scorecard's"
                    + " published one.")
    AccountHealth asOf(
            @PathVariable UUID id,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            @RequestParam(required = false) String scorecard,
            @RequestParam(required = false) Integer version) {
        return scoring.asOf(id, date, set(scorecard, version));
    }

    @GetMapping("/health/as-of")
    @Operation(
            summary = "Score every account as of a past day, without storing it",
            description = "The color distribution and every account's score; same scorecard options as the"
                    + " single-account form. Accounts that had churned by the day are not scored: they are"
                    + " counted apart, in 'churned', and in no color.")
    AsOfResult asOfAll(
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            @RequestParam(required = false) String scorecard,
            @RequestParam(required = false) Integer version) {
        List<AsOfScore> scores = new ArrayList<>();
        Map<Color, Integer> colors = new EnumMap<>(Color.class);
        int[] churned = {0};
        scoring.scoreAll(
                date,
                set(scorecard, version),
                score -> {
                    colors.merge(score.color(), 1, Integer::sum);
                    scores.add(new AsOfScore(
                            score.account(),
                            score.scorecard(),
                            score.scorecardVersion(),
                            score.score(),
                            score.color(),
                            score.coverage()));
                },
                c -> churned[0]++);
        return new AsOfResult(date, colors, churned[0], scores);
    }

    /** Every account's health as of a day, and how many accounts had churned by then and so were not scored. */
    record AsOfResult(LocalDate date, Map<Color, Integer> colors, int churned, List<AsOfScore> scores) {}

    /** One account's score as of a day. */
    record AsOfScore(
            UUID account, String scorecard, int scorecardVersion, double score, Color color, double coverage) {}

    @GetMapping("/scorecards/{name}/versions/{version}/preview")
    @Operation(
            summary = "Preview what publishing a version would do",
            description = "On current data: the color distribution under the published scorecards and with this"
                    + " version in place, and the accounts that would change color.")
    ScorecardPreview preview(@PathVariable String name, @PathVariable int version) {
        return scoring.preview(name, version);
    }

    @GetMapping("/accounts/{id}/health/overrides")
    @Operation(summary = "Every override an account's health has had, newest first")
    List<HealthOverride> overrides(@PathVariable UUID id) {
        return scoring.overrides(id);
    }

    @PostMapping("/accounts/{id}/health/override")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Override an account's health color (and optionally score)",
            description = "A reason is required and an expiry (the day it stops applying, at most"
                    + " steward.health.override-max-days ahead); the computed score stays visible beside it and"
                    + " the override appears on the account's timeline. Replaces an override in force.")
    HealthOverride override(@PathVariable UUID id, @RequestBody OverrideRequest request, Authentication user) {
        return scoring.override(
                id, request.color(), request.score(), request.reason(), request.expiresOn(), authors.signedIn(user));
    }

    /** An override as a client sends it. */
    record OverrideRequest(
            @Parameter(description = "green, yellow or red") Color color,
            Double score,
            String reason,
            LocalDate expiresOn) {}

    @DeleteMapping("/accounts/{id}/health/override")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove the override in force before its expiry")
    void removeOverride(@PathVariable UUID id, Authentication user) {
        scoring.removeOverride(id, authors.signedIn(user));
    }

    @PostMapping("/health/rescore")
    @Operation(
            summary = "Re-score every account now (admins and managers)",
            description = "With the published scorecards, for today; answers when the scores are stored.")
    ScoringRun rescore(Authentication user) {
        if (!scorecards.mayEdit(authors.signedIn(user))) {
            throw new AccessDeniedException("only admins and managers re-score every account");
        }
        return scoring.rescoreAll(scoring.today());
    }

    private List<VersionedScorecard> set(String scorecard, Integer version) {
        List<VersionedScorecard> published = scorecards.publishedVersions();
        if (scorecard == null && version == null) {
            return published;
        }
        if (scorecard == null || version == null) {
            throw new InvalidInputException(
                    scorecard == null ? "scorecard" : "version", "give both scorecard and version, or neither");
        }
        List<VersionedScorecard> set = new ArrayList<>();
        published.stream().filter(v -> !v.name().equals(scorecard)).forEach(set::add);
        set.add(scorecards.scorable(scorecard, version));
        return set;
    }

    private static void requireOrder(LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw new InvalidInputException("from", "must not be after to (" + to + ")");
        }
    }
}
