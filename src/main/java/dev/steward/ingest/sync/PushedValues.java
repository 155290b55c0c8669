package dev.steward.ingest.sync;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * What Steward last wrote back to each company of a CRM (health score, color, trend, CSM, link), as a fingerprint, so
 * that a write-back sends only the companies whose values changed.
 */
@Repository
public class PushedValues {

    private final JdbcClient jdbc;

    PushedValues(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What was last written back to these companies, by company. */
    public Map<String, String> find(UUID source, Collection<String> companies) {
        Map<String, String> found = new LinkedHashMap<>();
        if (companies.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                        select company_id, fingerprint from ingest_pull_pushed
                        where source_id = ? and company_id = any(?)""")
                .params(source, new SqlArrayValue("text", companies.toArray()))
                .query(rs -> {
                    found.put(rs.getString(1), rs.getString(2));
                });
        return found;
    }

    public void save(UUID source, Map<String, String> fingerprints, Instant at) {
        if (fingerprints.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(fingerprints.keySet());
        jdbc.sql("""
                        insert into ingest_pull_pushed (source_id, company_id, fingerprint, pushed_at)
                        select ?, p.id, p.fingerprint, ? from unnest(?, ?) as p(id, fingerprint)
                        on conflict (source_id, company_id) do update set fingerprint = excluded.fingerprint,
                            pushed_at = excluded.pushed_at""")
                .params(
                        source,
                        Timestamp.from(at),
                        new SqlArrayValue("text", ids.toArray()),
                        new SqlArrayValue(
                                "text", ids.stream().map(fingerprints::get).toArray()))
                .update();
    }

    /** Forgets these companies (the CRM deleted them): the next write-back, if they return, sends them again. */
    public void forget(UUID source, Collection<String> companies) {
        if (!companies.isEmpty()) {
            jdbc.sql("delete from ingest_pull_pushed where source_id = ? and company_id = any(?)")
                    .params(source, new SqlArrayValue("text", companies.toArray()))
                    .update();
        }
    }
}
