package dev.steward.insight;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The executive dashboard's figures about the team and about trust: CSM productivity, score accuracy, freshness. */
@RestController
@RequestMapping("/api/v1/insight/executive")
@Tag(name = "Executive dashboard")
class ExecutiveTeamController {

    private final CsmProductivities productivity;
    private final ExecutiveTiles tiles;

    ExecutiveTeamController(CsmProductivities productivity, ExecutiveTiles tiles) {
        this.productivity = productivity;
        this.tiles = tiles;
    }

    @GetMapping("/csm-productivity")
    @Operation(
            summary = "Per CSM: customers and ARR owned today, touches, CTAs made and closed, completion and SLA hit"
                    + " rates, Red changes and the median time to the first action after them",
            description = "Over the last 'days' days, today included (default 30, at most 365), on the customers each"
                    + " CSM owns today. Touches are meetings and notes on the account. Completion rate = CTAs made in"
                    + " the period and closed by now ÷ CTAs made in it; SLA hit rate = CTAs closed in the period at or"
                    + " before their due time ÷ CTAs closed in it. A Red change is a change of the stored color to Red;"
                    + " its first action is the first touch or person's work on a CTA of the account from the start"
                    + " of that day. Rates and the median are null (no data) with nothing to measure.")
    CsmProductivity csmProductivity(
            @Parameter(description = "days, today included") @RequestParam(defaultValue = "30") int days,
            @RequestParam(required = false) @Nullable String tier) {
        return productivity.productivity(days, tier == null || tier.isBlank() ? null : tier.strip());
    }

    @GetMapping("/score-accuracy")
    @Operation(
            summary = "How well the health score foretold churn in the latest finished backtest",
            description = "ROC AUC and the precision of Red at the 90-day horizon (the run's longest when it has no"
                    + " 90-day one), with the scorecards, when it finished and whether the observations suffice to"
                    + " judge. Without a finished backtest 'backtest' is null and 'none' says 'no backtest yet'.")
    ExecutiveTiles.ScoreAccuracy scoreAccuracy() {
        return tiles.scoreAccuracy();
    }

    @GetMapping("/data-freshness")
    @Operation(
            summary = "How fresh the accounts' data is, from the data-quality report",
            description = "Per kind of data, how many accounts have it fresh, stale or not at all as of the report's"
                    + " latest snapshot, and the share of (account, kind) pairs that are fresh.")
    ExecutiveTiles.DataFreshness dataFreshness() {
        return tiles.dataFreshness();
    }
}
