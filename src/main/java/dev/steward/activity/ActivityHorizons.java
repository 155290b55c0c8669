package dev.steward.activity;

import dev.steward.core.DataHorizon;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Where each kind of activity from each source begins and ends, kept as facts are written: the days the first and the
 * last ticket, invoice, meeting, survey response, note, churn event or sentiment became true.
 */
@Service
public class ActivityHorizons {

    /** The kind of churn events, as {@link DataHorizon#kind()} names it. */
    public static final String CHURN_EVENTS = "churn_event";

    private final JdbcClient jdbc;

    ActivityHorizons(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every kind and source with at least one fact, by kind and source. */
    public List<DataHorizon> all() {
        return jdbc.sql("select kind, source, first_at, last_at from activity_horizon order by kind, source")
                .query((rs, n) -> new DataHorizon(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getTimestamp(3).toInstant().atZone(ZoneOffset.UTC).toLocalDate(),
                        rs.getTimestamp(4).toInstant().atZone(ZoneOffset.UTC).toLocalDate()))
                .list();
    }
}
