package dev.steward.ingest.quality;

import dev.steward.core.Page;
import dev.steward.ingest.quality.DataQualityReport.AccountRow;
import dev.steward.ingest.quality.DataQualityReport.SourceRow;
import dev.steward.ingest.quality.DataQualityReport.State;
import dev.steward.ingest.quality.DataQualityReport.Summary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/data-quality")
@Tag(
        name = "Data quality",
        description = "Which kinds of data each account has and how fresh they are; which sources have gone quiet")
class DataQualityController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final DataQuality quality;
    private final DataHorizons horizons;

    DataQualityController(DataQuality quality, DataHorizons horizons) {
        this.quality = quality;
        this.horizons = horizons;
    }

    @GetMapping("/horizons")
    @Operation(
            summary = "Where each source's data of each kind begins and ends",
            description = "Per kind (contract, ticket, invoice, meeting, survey_response, note, churn_event, sentiment,"
                    + " usage) and source (for usage, the metric): the first and last day a fact of it became true,"
                    + " and how many days before today the last one is. An export that ended two years ago shows here;"
                    + " backtests and scores read nothing past a source's last day as 'nothing happened'.")
    List<DataHorizons.Row> horizons() {
        return horizons.all();
    }

    @GetMapping("/accounts")
    @Operation(
            summary = "Accounts with the freshness of each kind of data",
            description = "Kinds: crm (contacts, contracts, opportunities), usage, support (tickets), billing"
                    + " (invoices, contracts), engagement (meetings, surveys, sentiment). Each is fresh, stale (its"
                    + " latest fact is older than the kind's threshold) or missing, with the latest fact's time."
                    + " Filter with state (and kind; without kind, accounts with any kind in that state) and q (name);"
                    + " sorted by name, cursor-paged. Read from a snapshot rebuilt every few minutes (see summary).")
    Page<AccountRow> accounts(
            @RequestParam(required = false) DataKind kind,
            @RequestParam(required = false) State state,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int size = new dev.steward.core.PageLimit(DEFAULT_LIMIT, MAX_LIMIT).of(limit);
        return quality.accounts(new FreshnessSnapshot.Query(q, kind, state, size, cursor));
    }

    @GetMapping("/summary")
    @Operation(
            summary = "Per kind, how many accounts have it fresh, stale or not at all",
            description = "asOf is when the snapshot was rebuilt; staleAfterDays the kind's threshold.")
    Summary summary() {
        return quality.summary();
    }

    @PostMapping("/refresh")
    @Operation(summary = "Rebuild the snapshot now", description = "Answers with the new summary.")
    Summary refresh() {
        return quality.refresh();
    }

    @GetMapping("/sources")
    @Operation(
            summary = "Each source's freshness",
            description = "When it last delivered anything against its expected interval; quiet when silent for"
                    + " longer (counted from its creation when it never delivered), with the last seven days'"
                    + " accepted and rejected records and the events quarantined because they could not be applied.")
    List<SourceRow> sources() {
        return quality.sources();
    }
}
