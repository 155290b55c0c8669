package dev.steward.ingest.export;

import dev.steward.ingest.TranslatedEvents.Vendor;
import dev.steward.ingest.sync.PullConnections;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Export connections (settings, the sealed secret, the schedule) and the last day each source pulled completely. */
@Repository
class EventExportStore {

    /**
     * A connection's settings as stored (the secret is kept apart, sealed): the vendor and its region, the Amplitude
     * API key or the Mixpanel service account's user name, Mixpanel's project id, and how many days the first pull
     * back-fills.
     */
    record Settings(
            Vendor vendor,
            String region,
            String user,
            @Nullable String projectId,
            int backfillDays) {}

    private final JdbcClient jdbc;
    private final PullConnections connections;

    EventExportStore(JdbcClient jdbc, PullConnections connections) {
        this.jdbc = jdbc;
        this.connections = connections;
    }

    Optional<PullConnections.Connection<Settings>> connection(UUID source) {
        return connections.find(source, Settings.class);
    }

    /** The last day pulled completely; empty before the first pull has pulled a day. */
    Optional<LocalDate> pulledThrough(UUID source) {
        return jdbc.sql("select pulled_through from ingest_event_export_day where source_id = ?")
                .param(source)
                .query(LocalDate.class)
                .optional();
    }

    void savePulledThrough(UUID source, LocalDate day, Instant at) {
        jdbc.sql("""
                        insert into ingest_event_export_day (source_id, pulled_through, updated_at) values (?, ?, ?)
                        on conflict (source_id) do update set pulled_through = excluded.pulled_through,
                            updated_at = excluded.updated_at""").params(source, day, Timestamp.from(at)).update();
    }
}
