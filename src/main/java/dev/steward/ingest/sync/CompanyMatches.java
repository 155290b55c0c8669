package dev.steward.ingest.sync;

import dev.steward.ingest.sync.AccountLinking.Match;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * How each company of a pulled source became an account ({@link AccountLinking}), so that a company is matched once:
 * what {@link AccountLinking#write} takes as known and answers to keep.
 */
@Repository
public class CompanyMatches {

    private final JdbcClient jdbc;

    CompanyMatches(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** How these companies became accounts, for those already pulled. */
    public Map<String, Match> find(UUID source, Collection<String> companies) {
        Map<String, Match> found = new HashMap<>();
        if (companies.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                        select company_id, matched_by from ingest_pull_company
                        where source_id = ? and company_id = any(?)""")
                .params(source, new SqlArrayValue("text", companies.toArray()))
                .query(rs -> {
                    found.put(rs.getString(1), Match.valueOf(rs.getString(2)));
                });
        return found;
    }

    public void save(UUID source, Map<String, Match> matches) {
        if (matches.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(matches.keySet());
        jdbc.sql("""
                        insert into ingest_pull_company (source_id, company_id, matched_by)
                        select ?, m.id, m.matched_by from unnest(?, ?) as m(id, matched_by)
                        on conflict (source_id, company_id) do nothing""")
                .params(
                        source,
                        new SqlArrayValue("text", ids.toArray()),
                        new SqlArrayValue(
                                "text",
                                ids.stream().map(id -> matches.get(id).name()).toArray()))
                .update();
    }

    /** Every company of the source that has an account (created or linked), in order. */
    public List<String> companies(UUID source) {
        return jdbc.sql("select company_id from ingest_pull_company where source_id = ? order by company_id")
                .param(source)
                .query(String.class)
                .list();
    }

    /**
     * Forgets how these companies became accounts (the vendor deleted them): their accounts stay, no longer the
     * vendor's to change or write back to. Answers how many there were.
     */
    public int forget(UUID source, Collection<String> companies) {
        if (companies.isEmpty()) {
            return 0;
        }
        return jdbc.sql("delete from ingest_pull_company where source_id = ? and company_id = any(?)")
                .params(source, new SqlArrayValue("text", companies.toArray()))
                .update();
    }
}
