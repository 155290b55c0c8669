package dev.steward.ingest.quality;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How old each kind's latest fact may get before the data-quality report calls it stale ({@code
 * steward.data-quality.stale-after.usage=3d}, ...), and how often the report's snapshot is rebuilt.
 */
@ConfigurationProperties("steward.data-quality")
record DataQualityProperties(Map<DataKind, Duration> staleAfter, Duration refreshInterval) {

    DataQualityProperties {
        Map<DataKind, Duration> merged = new EnumMap<>(DataKind.class);
        for (DataKind kind : DataKind.values()) {
            merged.put(kind, kind.defaultStaleAfter());
        }
        if (staleAfter != null) {
            merged.putAll(staleAfter);
        }
        staleAfter = Map.copyOf(merged);
        refreshInterval = refreshInterval == null ? Duration.ofMinutes(10) : refreshInterval;
    }

    Duration staleAfter(DataKind kind) {
        return staleAfter.get(kind);
    }
}
