package dev.steward.activity;

import dev.steward.core.BulkResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/churn-labels")
@Tag(
        name = "Churn labels",
        description = "Labelled snapshots: whether each account churned within a horizon after a day")
class ChurnLabelController {

    private final ChurnLabels labels;

    ChurnLabelController(ChurnLabels labels) {
        this.labels = labels;
    }

    @PostMapping("/bulk")
    @Operation(
            summary = "Create or replace up to 10,000 churn labels",
            description = "Body: {\"records\": [{accountId | accountExternalId, snapshot, asOf, horizonDays,"
                    + " churned}]}: whether the account churned within horizonDays after asOf. Every label of a"
                    + " snapshot has its day and horizon (a label that differs is refused, naming both). A backtest"
                    + " with {\"snapshot\": name} judges that day's scores against the labels.")
    ResponseEntity<BulkResult> bulk(
            @RequestParam(defaultValue = ActivityRecorder.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return labels.upsert(source, body, atomic).toResponse();
    }

    @GetMapping("/snapshots")
    @Operation(summary = "Every labelled snapshot: its day, horizon, accounts and churned")
    List<ChurnLabels.Snapshot> snapshots() {
        return labels.snapshots();
    }
}
