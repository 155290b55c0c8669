package dev.steward.usage;

import dev.steward.core.BulkResult;
import dev.steward.customer.AccountId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Usage", description = "Product usage per account, metric and day, and the metric catalog")
class UsageController {

    private final UsageRecorder usage;

    UsageController(UsageRecorder usage) {
        this.usage = usage;
    }

    @PostMapping("/accounts/{id}/usage")
    @Operation(
            summary = "Record an account's daily usage values",
            description = "Body: a list of {day, metric, value}; a value for a day already stored replaces it."
                    + " All or nothing: 422 naming the row and field if any row is invalid.")
    ResponseEntity<BulkResult> record(@PathVariable UUID id, @RequestBody List<UsageInput> values) {
        return usage.record(new AccountId(id), values).toResponse();
    }

    @GetMapping("/accounts/{id}/usage")
    @Operation(summary = "An account's daily usage, one series per metric", description = "from and to inclusive.")
    List<UsageSeries> series(
            @PathVariable UUID id,
            @RequestParam(required = false) String metric,
            @RequestParam(required = false) LocalDate from,
            @RequestParam(required = false) LocalDate to) {
        return usage.series(new AccountId(id), metric, from, to);
    }

    @GetMapping("/usage/metrics")
    @Operation(
            summary = "The metric catalog",
            description = "Each metric with the first and last day any account has a value of it;"
                    + " both are absent for a metric no account has sent yet (shipped with the catalog but not"
                    + " measured here), which scoring reads as no data, never as zero use.")
    List<CatalogEntry> metrics() {
        Map<String, UsageSpan> spans = usage.spans();
        return usage.metrics().stream()
                .map(metric -> CatalogEntry.of(metric, spans.get(metric.key())))
                .toList();
    }

    /** A metric of the catalog and the days on which there is data of it. */
    record CatalogEntry(
            String key,
            String name,
            String description,
            String unit,
            UsageMetric.Aggregation aggregation,
            LocalDate firstDay,
            LocalDate lastDay,
            boolean hasData) {

        static CatalogEntry of(UsageMetric metric, UsageSpan span) {
            return new CatalogEntry(
                    metric.key(),
                    metric.name(),
                    metric.description(),
                    metric.unit(),
                    metric.aggregation(),
                    span == null ? null : span.first(),
                    span == null ? null : span.last(),
                    span != null);
        }
    }

    @PostMapping("/usage/metrics")
    @Operation(summary = "Add a metric to the catalog")
    ResponseEntity<UsageMetric> addMetric(@Validated @RequestBody UsageMetric metric) {
        return ResponseEntity.created(URI.create("/api/v1/usage/metrics")).body(usage.addMetric(metric));
    }

    @PostMapping("/usage/bulk")
    @Operation(
            summary = "Create or replace up to 10,000 daily usage values",
            description = "Body: {\"records\": [{accountId | accountExternalId, day, metric, value}]}; a record's key"
                    + " is its account, metric and day, and a key may appear once per request. 200 when all were"
                    + " stored, 207 when some were rejected, 422 with atomic=true when any was rejected.")
    ResponseEntity<BulkResult> bulk(
            @RequestParam(defaultValue = UsageRecorder.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return usage.upsert(source, body, atomic).toResponse();
    }
}
