package dev.steward.health;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.health.engine.Aggregate;
import dev.steward.health.engine.Color;
import dev.steward.health.engine.Dimension;
import dev.steward.health.engine.DimensionScore;
import dev.steward.health.engine.HealthScore;
import dev.steward.health.engine.Measure;
import dev.steward.health.engine.MeasureScore;
import dev.steward.health.engine.Points;
import dev.steward.health.engine.Thresholds;
import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.ObjectMapper;

/**
 * The account page's health panel: the score that counts with its color, trend and coverage, the breakdown by
 * dimension and measure, a year of daily scores, what changed between two days, the override form, and the form to
 * disagree with the score.
 */
@Controller
class HealthPanel {

    private static final String PANEL = "health/panel :: panel";
    private static final int HISTORY_DAYS = 365;
    private static final int CHANGES_DAYS = 30;
    private static final int DEFAULT_OVERRIDE_DAYS = 30;
    /** Lets the account page refresh its timeline, which gets an entry for each override set or removed. */
    private static final String CHANGED_EVENT = "health-changed";

    private final HealthScoring scoring;
    private final ScorecardManagement scorecards;
    private final UserDirectory authors;
    private final HealthProperties properties;
    private final ScorecardFit fit;
    private final ObjectMapper json;
    private final DisagreementManagement disagreements;

    private final Clock clock;

    HealthPanel(
            HealthScoring scoring,
            ScorecardManagement scorecards,
            UserDirectory authors,
            HealthProperties properties,
            ScorecardFit fit,
            ObjectMapper json,
            DisagreementManagement disagreements,
            Clock clock) {
        this.disagreements = disagreements;
        this.clock = clock;
        this.fit = fit;
        this.scoring = scoring;
        this.scorecards = scorecards;
        this.authors = authors;
        this.properties = properties;
        this.json = json;
    }

    /** A dimension as the breakdown shows it, its measures in the scorecard's order. */
    record DimensionRow(DimensionScore score, List<MeasureRow> measures) {}

    /**
     * A measure as the breakdown shows it: the raw value written for its aggregate ({@code null} when N/A) and the
     * length of its points-lost bar, in percent of the largest loss on the scorecard.
     */
    record MeasureRow(MeasureScore score, String raw, String window, double lossBar) {}

    /** A measure's move between two days, its raw values written as the breakdown writes them. */
    record ChangeRow(HealthChanges.MeasureChange change, String rawBefore, String rawAfter) {}

    /** The change against a number of days before, for the trend arrows. */
    record Trend(int days, double change) {}

    /** An override that no longer applies: set on a day, ended by someone's removal or by its expiry. */
    record PastOverride(Color color, Double score, String reason, String author, LocalDate set, String ended) {}

    /**
     * The history chart's data, drawn on a time axis from {@code from} to {@code to}: each stored score as a [day,
     * score] point (days without a score are gaps in time, not squeezed out), its color, the scorecard's thresholds,
     * and where the scorecard version changed.
     */
    record Chart(
            String from,
            String to,
            List<List<Object>> points,
            List<String> colors,
            int red,
            int yellow,
            List<VersionMark> versions) {}

    /** A day on which the account was first scored with another scorecard version. */
    record VersionMark(String day, String label) {}

    @GetMapping("/accounts/{id}/health-panel")
    String panel(@PathVariable UUID id, Authentication authentication, Model model) {
        model.addAttribute("mayCreateScorecard", scorecards.mayCreate(authors.signedIn(authentication)));
        return render(id, model);
    }

    /** What changed between two days, for the panel's date inputs. */
    @GetMapping("/accounts/{id}/health-changes")
    String changes(
            @PathVariable UUID id,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            Model model) {
        model.addAttribute("accountId", id);
        List<AccountScore> history = history(id);
        model.addAttribute("scoredDays", history == null ? List.of() : scoredDays(history));
        changes(id, day(from), day(to), model);
        return "health/panel :: changes";
    }

    /**
     * Sets an override and answers with the panel re-rendered. A refusal comes back with status 200 and the form's
     * errors beside its fields, because htmx swaps in only successful responses.
     */
    @PostMapping("/accounts/{id}/health-panel/override")
    String override(
            @PathVariable UUID id,
            @RequestParam(required = false) String color,
            @RequestParam(required = false) String score,
            @RequestParam(required = false) String reason,
            @RequestParam(required = false) String expiresOn,
            Authentication authentication,
            HttpServletResponse response,
            Model model) {
        Map<String, String> errors = new LinkedHashMap<>();
        Color chosen = null;
        if (color != null && !color.isBlank()) {
            try {
                chosen = Color.of(color);
            } catch (IllegalArgumentException unknown) {
                errors.put("color", unknown.getMessage());
            }
        }
        Double points = null;
        if (score != null && !score.isBlank()) {
            try {
                points = Double.valueOf(score.strip());
            } catch (NumberFormatException notNumber) {
                errors.put("score", "'" + score + "' is not a number from 0 to 100");
            }
        }
        LocalDate expiry = null;
        if (expiresOn != null && !expiresOn.isBlank()) {
            expiry = day(expiresOn);
            if (expiry == null) {
                errors.put("expiresOn", "'" + expiresOn + "' is not a date such as 2026-12-31");
            }
        }
        if (errors.isEmpty()) {
            try {
                scoring.override(id, chosen, points, reason, expiry, authors.signedIn(authentication));
                response.setHeader("HX-Trigger", CHANGED_EVENT);
                return render(id, model);
            } catch (InvalidInputException refused) {
                for (FieldError error : refused.errors()) {
                    errors.putIfAbsent(error.field() == null ? "override" : error.field(), error.reason());
                }
            }
        }
        model.addAttribute("overrideErrors", errors);
        model.addAttribute("overrideColor", chosen == null ? color : chosen.value());
        model.addAttribute("overrideScore", score);
        model.addAttribute("overrideReason", reason);
        model.addAttribute("overrideExpiresOn", expiresOn);
        return render(id, model);
    }

    @PostMapping("/accounts/{id}/health-panel/override/remove")
    String removeOverride(
            @PathVariable UUID id, Authentication authentication, HttpServletResponse response, Model model) {
        try {
            scoring.removeOverride(id, authors.signedIn(authentication));
            response.setHeader("HX-Trigger", CHANGED_EVENT);
        } catch (NotFoundException alreadyGone) {
            // Someone else removed it, or it expired, while the page was open: the panel shows that now.
        }
        return render(id, model);
    }

    /**
     * Records the signed-in person's disagreement with the score the panel shows and answers with the panel again. A
     * refusal comes back with status 200 and the form's errors beside its fields, as the override form's do.
     */
    @PostMapping("/accounts/{id}/health-panel/disagree")
    String disagree(
            @PathVariable UUID id,
            @RequestParam(required = false) String color,
            @RequestParam(required = false) String reason,
            @RequestParam(required = false) String day,
            Authentication authentication,
            Model model) {
        Map<String, String> errors = new LinkedHashMap<>();
        LocalDate scored = day == null || day.isBlank() ? null : day(day);
        if (day != null && !day.isBlank() && scored == null) {
            errors.put("day", "'" + day + "' is not a date such as 2026-12-31");
        } else {
            try {
                disagreements.disagree(
                        id,
                        new DisagreementManagement.Disagreement(color, reason, scored),
                        authors.signedIn(authentication));
                model.addAttribute("disagreementSaved", true);
                return render(id, model);
            } catch (InvalidInputException refused) {
                for (FieldError error : refused.errors()) {
                    errors.putIfAbsent(error.field() == null ? "disagree" : error.field(), error.reason());
                }
            } catch (DisagreementManagement.AlreadyOpen open) {
                errors.put("disagree", open.getMessage());
            }
        }
        if (errors.containsKey("day")) {
            errors.putIfAbsent("disagree", errors.get("day"));
        }
        model.addAttribute("disagreeErrors", errors);
        model.addAttribute("disagreeColor", color);
        model.addAttribute("disagreeReason", reason);
        return render(id, model);
    }

    private String render(UUID id, Model model) {
        Optional<AccountHealth> current = scoring.current(id);
        LocalDate today = scoring.today();
        model.addAttribute("accountId", id);
        model.addAttribute("health", current.orElse(null));
        model.addAttribute("overrideMaxDays", properties.overrideMaxDays());
        model.addAttribute("overrideMin", today.plusDays(1));
        model.addAttribute("overrideMax", today.plusDays(properties.overrideMaxDays()));
        model.addAttribute(
                "overrideDefault", today.plusDays(Math.min(DEFAULT_OVERRIDE_DAYS, properties.overrideMaxDays())));
        if (current.isEmpty()) {
            // Instead of a score: why there is none, and where to fix it when no scorecard applies.
            model.addAttribute("fit", fit.of(id));
            return PANEL;
        }
        AccountHealth health = current.get();
        model.addAttribute("disagreements", disagreements.ofAccount(id));
        model.addAttribute(
                "disagreeColors",
                java.util.stream.Stream.of(Color.GREEN, Color.YELLOW, Color.RED)
                        .filter(c -> c != health.computedColor())
                        .map(Color::value)
                        .toList());
        // Earlier overrides: removed, or past their last day; the one in force is shown above the form.
        model.addAttribute(
                "pastOverrides",
                scoring.overrides(id).stream()
                        .filter(o -> !o.appliesOn(today, clock.getZone()))
                        .map(o -> new PastOverride(
                                o.color(),
                                o.score(),
                                o.reason(),
                                o.author(),
                                o.createdAt().atZone(clock.getZone()).toLocalDate(),
                                o.endedAt() == null || "expired".equals(o.endedBy())
                                        ? "expired"
                                        : "removed by " + o.endedBy()))
                        .toList());
        VersionedScorecard version = scorecards.scorable(health.scorecard(), health.scorecardVersion());
        model.addAttribute("dimensions", breakdown(health.explanation(), version));
        model.addAttribute(
                "trends",
                HealthScoring.TREND_DAYS.stream()
                        .filter(days -> health.trend().containsKey(days))
                        .map(days -> new Trend(days, health.trend().get(days)))
                        .toList());
        List<AccountScore> history = scoring.history(id, health.day().minusDays(HISTORY_DAYS), health.day());
        model.addAttribute("chart", json.writeValueAsString(chart(history, health.day(), version)));
        List<LocalDate> scoredDays = scoredDays(history);
        model.addAttribute("scoredDays", scoredDays);
        // Compare with the last scored day at least CHANGES_DAYS before, or the first one kept when there is none.
        LocalDate monthAgo = health.day().minusDays(CHANGES_DAYS);
        LocalDate from = scoredDays.stream()
                .filter(d -> !d.isAfter(monthAgo))
                .findFirst()
                .orElse(scoredDays.isEmpty() ? monthAgo : scoredDays.get(scoredDays.size() - 1));
        changes(id, from, health.day(), model);
        return PANEL;
    }

    private void changes(UUID id, LocalDate from, LocalDate to, Model model) {
        model.addAttribute("changesFrom", from);
        model.addAttribute("changesTo", to);
        if (from == null || to == null) {
            model.addAttribute("changesProblem", "Choose two days.");
        } else if (from.isAfter(to)) {
            model.addAttribute("changesProblem", "The first day must not be after the second.");
        } else {
            Optional<AccountHealth> before = scoring.on(id, from);
            Optional<AccountHealth> after = scoring.on(id, to);
            if (before.isEmpty() || after.isEmpty()) {
                model.addAttribute(
                        "changesProblem",
                        "No score was stored on " + (before.isEmpty() ? from : to)
                                + ": scores are kept for each day the account was scored; pick another day.");
            } else {
                HealthChanges changes = HealthChanges.between(before.get(), after.get());
                Map<String, Aggregate> aggregates = new HashMap<>();
                for (AccountHealth health : List.of(before.get(), after.get())) {
                    aggregates.putAll(aggregates(scorecards.scorable(health.scorecard(), health.scorecardVersion())));
                }
                model.addAttribute("changes", changes);
                model.addAttribute(
                        "changeRows",
                        changes.measures().stream()
                                .map(c -> {
                                    Aggregate aggregate = aggregates.get(c.dimension() + "/" + c.measure());
                                    return new ChangeRow(
                                            c, raw(c.rawBefore(), aggregate), raw(c.rawAfter(), aggregate));
                                })
                                .toList());
            }
        }
    }

    /** The account's stored scores over the chart's year, or {@code null} before its first score. */
    private List<AccountScore> history(UUID id) {
        return scoring.current(id)
                .map(health -> scoring.history(id, health.day().minusDays(HISTORY_DAYS), health.day()))
                .orElse(null);
    }

    /** The days with a stored score, newest first: the days "what changed" offers. */
    private static List<LocalDate> scoredDays(List<AccountScore> history) {
        List<LocalDate> days = new ArrayList<>(
                history.stream().map(AccountScore::day).distinct().toList());
        java.util.Collections.reverse(days);
        return days;
    }

    static Chart chart(List<AccountScore> history, LocalDate day, VersionedScorecard version) {
        List<List<Object>> points = new ArrayList<>();
        List<String> colors = new ArrayList<>();
        List<VersionMark> marks = new ArrayList<>();
        String previous = null;
        for (AccountScore score : history) {
            String label = score.scorecard() + " v" + score.scorecardVersion();
            if (previous != null && !previous.equals(label)) {
                marks.add(new VersionMark(score.day().toString(), label));
            }
            previous = label;
            points.add(List.of(score.day().toString(), score.score()));
            colors.add(score.color().value());
        }
        Thresholds thresholds = version.scorecard().thresholds();
        String from = history.isEmpty() ? day.toString() : history.get(0).day().toString();
        return new Chart(from, day.toString(), points, colors, thresholds.red(), thresholds.yellow(), marks);
    }

    private static List<DimensionRow> breakdown(HealthScore explanation, VersionedScorecard version) {
        Map<String, Measure> measures = new HashMap<>();
        for (Dimension dimension : version.scorecard().dimensions()) {
            for (Measure measure : dimension.measures()) {
                measures.put(dimension.name() + "/" + measure.name(), measure);
            }
        }
        double largestLoss = explanation.dimensions().stream()
                .flatMap(d -> d.measures().stream())
                .mapToDouble(MeasureScore::pointsLost)
                .max()
                .orElse(0);
        List<DimensionRow> rows = new ArrayList<>();
        for (DimensionScore dimension : explanation.dimensions()) {
            List<MeasureRow> measureRows = new ArrayList<>();
            for (MeasureScore score : dimension.measures()) {
                Measure measure = measures.get(dimension.name() + "/" + score.name());
                measureRows.add(new MeasureRow(
                        score,
                        raw(score.rawValue(), measure == null ? null : measure.aggregate()),
                        measure == null ? null : measure.window().toString(),
                        largestLoss > 0 ? 100 * score.pointsLost() / largestLoss : 0));
            }
            rows.add(new DimensionRow(dimension, measureRows));
        }
        return rows;
    }

    private static Map<String, Aggregate> aggregates(VersionedScorecard version) {
        Map<String, Aggregate> aggregates = new HashMap<>();
        for (Dimension dimension : version.scorecard().dimensions()) {
            for (Measure measure : dimension.measures()) {
                aggregates.put(dimension.name() + "/" + measure.name(), measure.aggregate());
            }
        }
        return aggregates;
    }

    /** A raw value as a CSM reads it: ratios as percentages, changes with their sign, day counts in days. */
    static String raw(Double value, Aggregate aggregate) {
        if (value == null || value.isNaN()) {
            return null;
        }
        if (aggregate == null) {
            return Points.format(value);
        }
        return switch (aggregate) {
            case pct_change -> (value > 0 ? "+" : "") + Points.format(value * 100) + "%";
            case ratio_to_seats, distinct_ratio -> Points.format(value * 100) + "%";
            case days_since -> Points.format(value) + (value == 1 ? " day" : " days");
            case count -> String.format(Locale.ROOT, "%.0f", value);
            default -> Points.format(value);
        };
    }

    private static LocalDate day(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }
}
