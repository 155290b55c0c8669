package dev.steward.ingest.quality;

import dev.steward.core.Page;
import dev.steward.ingest.quality.DataQualityReport.AccountRow;
import dev.steward.ingest.quality.DataQualityReport.State;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/** The data-quality page: counts per kind, accounts with a cell per kind (filtered in place by htmx), sources. */
@Controller
class DataQualityPages {

    private final DataQuality quality;
    private final DataHorizons horizons;

    DataQualityPages(DataQuality quality, DataHorizons horizons) {
        this.quality = quality;
        this.horizons = horizons;
    }

    @GetMapping("/data-quality")
    String report(
            @RequestParam(required = false) DataKind kind,
            @RequestParam(required = false) State state,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String cursor,
            @RequestHeader(value = "HX-Request", required = false) String htmx,
            @RequestHeader(value = "HX-Target", required = false) String htmxTarget,
            Model model) {
        FreshnessSnapshot.Query query =
                new FreshnessSnapshot.Query(q, kind, state, DataQualityController.DEFAULT_LIMIT, cursor);
        Page<AccountRow> page = quality.accounts(query);
        model.addAttribute("activeNav", "data-quality");
        model.addAttribute("query", query);
        model.addAttribute("page", page);
        model.addAttribute("kinds", DataKind.values());
        model.addAttribute("states", State.values());
        if (htmx != null && "dq-results".equals(htmxTarget)) {
            return "ingest/data-quality :: results";
        }
        model.addAttribute("summary", quality.summary());
        model.addAttribute("sources", quality.sources());
        model.addAttribute("horizons", horizons.all());
        return "ingest/data-quality";
    }

    @PostMapping("/data-quality/refresh")
    String refresh() {
        quality.refresh();
        return "redirect:/data-quality";
    }
}
