package dev.steward.ingest.quality;

import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The data-quality report's head for other modules (the executive dashboard's freshness tile): per kind of data, how
 * many accounts have it fresh, stale or not at all, as of the latest snapshot; and each source's freshness (the admin
 * hand-off document).
 */
@Service
public class DataQualitySummaries {

    private final DataQuality quality;

    DataQualitySummaries(DataQuality quality) {
        this.quality = quality;
    }

    /** The counts per kind as of the latest snapshot (built on the first request when there is none yet). */
    public DataQualityReport.Summary current() {
        return quality.summary();
    }

    /** Every source with when it last delivered, whether it is quiet, and its accepted and rejected events. */
    public List<DataQualityReport.SourceRow> sources() {
        return quality.sources();
    }
}
