package dev.steward.insight;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/insight/executive")
@Tag(
        name = "Executive dashboard",
        description = "The book in money: net and gross revenue retention with the waterfall, ARR at risk, health over"
                + " time, the renewal forecast against what renewed, cohort retention, and the accounts behind each"
                + " figure. Every figure may be narrowed to one tier; a figure that cannot be measured is null.")
class ExecutiveController {

    private final ExecutiveDashboard dashboard;
    private final ExecutiveDrillDowns drillDowns;

    ExecutiveController(ExecutiveDashboard dashboard, ExecutiveDrillDowns drillDowns) {
        this.dashboard = dashboard;
        this.drillDowns = drillDowns;
    }

    @GetMapping("/retention")
    @Operation(
            summary = "NRR and GRR per month and over the trailing twelve months, with the waterfall",
            description = "For each month from 'from' to 'to' (yyyy-MM, months that are over, at most 36; default the"
                    + " last twelve): the accounts that had ARR on its first day, their starting ARR, expansion,"
                    + " contraction and churn by its last day, ending ARR, NRR = (start + expansion − contraction −"
                    + " churn) ÷ start, GRR = (start − contraction − churn) ÷ start capped at 1, and new ARR apart."
                    + " Ratios are decimals (1.0250 = 102.50 %), null without starting ARR.")
    ExecutiveDashboard.Retention retention(
            @Parameter(description = "first month, yyyy-MM") @RequestParam(required = false) @Nullable String from,
            @Parameter(description = "last month, yyyy-MM") @RequestParam(required = false) @Nullable String to,
            @Parameter(description = "only accounts of this tier") @RequestParam(required = false) @Nullable
                    String tier) {
        YearMonth last = to == null ? dashboard.lastCompleteMonth() : ExecutiveDashboard.month("to", to);
        YearMonth first = from == null ? last.minusMonths(11) : ExecutiveDashboard.month("from", from);
        return dashboard.retention(first, last, blankToNull(tier));
    }

    @GetMapping("/arr-at-risk")
    @Operation(
            summary = "Today's ARR by health color, in total and by segment, CSM and renewal month",
            description = "At risk is Red + Yellow. Black (too little data, or never scored) is its own column and is"
                    + " never counted as safe.")
    ArrAtRisk arrAtRisk(@RequestParam(required = false) @Nullable String tier) {
        return dashboard.arrAtRisk(blankToNull(tier));
    }

    @GetMapping("/health-distribution")
    @Operation(
            summary = "The customers' health over time, by count and by ARR per color",
            description = "On the first day of each of the last 'months' months (default 24, at most 36) and today:"
                    + " the accounts with ARR that day by the color last stored in the 7 days up to it; Black when"
                    + " none was.")
    HealthDistribution healthDistribution(
            @RequestParam(defaultValue = "24") int months, @RequestParam(required = false) @Nullable String tier) {
        return dashboard.healthDistribution(months, blankToNull(tier));
    }

    @GetMapping("/renewal-forecast")
    @Operation(
            summary = "ARR up for renewal in the next 12 months × the renewal rate of each color, and the past 12"
                    + " months forecast against what happened",
            description = "Rates from the latest finished backtest (renewed ÷ (renewed + churned) per color at its"
                    + " longest horizon); without one, 'calibration' is null, 'noCalibration' says why and nothing is"
                    + " forecast; 'backtest' picks another finished run. Black ARR is never forecast.")
    RenewalForecast renewalForecast(
            @RequestParam(required = false) @Nullable String tier,
            @Parameter(description = "calibrate on this finished backtest instead of the latest")
                    @RequestParam(required = false)
                    @Nullable
                    UUID backtest) {
        return dashboard.renewalForecast(blankToNull(tier), backtest);
    }

    @GetMapping("/cohorts")
    @Operation(
            summary = "Logo and revenue retention by the quarter accounts' first contract started",
            description = "The last 'quarters' start quarters (default 8, at most 12).")
    CohortRetention cohorts(
            @RequestParam(defaultValue = "8") int quarters, @RequestParam(required = false) @Nullable String tier) {
        return dashboard.cohorts(quarters, blankToNull(tier));
    }

    @GetMapping("/accounts")
    @Operation(
            summary = "The accounts behind a figure, each with its contribution",
            description = "figure=retention (from, to, movement: start|expansion|contraction|churn|new|ending),"
                    + " at-risk (color: red|yellow|black|green|at-risk, owner, renewalMonth), health (day, color),"
                    + " renewals (month, outcome, color), cohort (quarter e.g. 2025-Q3, step: -1 for the start);"
                    + " each may add tier. The contributions add up to the figure ('total').")
    ExecutiveDrillDown accounts(@RequestParam String figure, @RequestParam Map<String, String> parameters) {
        Map<String, String> narrowed = new HashMap<>(parameters);
        narrowed.remove("figure");
        return drillDowns.accounts(figure, narrowed);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
