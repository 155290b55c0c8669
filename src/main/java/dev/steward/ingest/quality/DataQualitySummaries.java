package dev.steward.ingest.quality;

import org.springframework.stereotype.Service;

/**
 * The data-quality report's head for other modules (the executive dashboard's freshness tile): per kind of data, how
 * many accounts have it fresh, stale or not at all, as of the latest snapshot.
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
}
