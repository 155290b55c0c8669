package dev.steward.ingest.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * The parent each company of a CRM (HubSpot, Salesforce) names that is not yet its account's parent: the parent may
 * come in a later page or pull, so the link waits until both companies have accounts, then is set and forgotten.
 */
@Repository
public class CompanyParents {

    private final JdbcClient jdbc;

    CompanyParents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Keeps the parent each of these companies names (null: none any more), to set when both have accounts. */
    public void save(UUID source, Map<String, @Nullable String> parents) {
        List<String> named = new ArrayList<>();
        List<String> parentIds = new ArrayList<>();
        List<String> none = new ArrayList<>();
        parents.forEach((company, parent) -> {
            if (parent == null) {
                none.add(company);
            } else {
                named.add(company);
                parentIds.add(parent);
            }
        });
        remove(source, none);
        if (!named.isEmpty()) {
            jdbc.sql("""
                            insert into ingest_pull_parent (source_id, company_id, parent_id)
                            select ?, p.company, p.parent from unnest(?, ?) as p(company, parent)
                            on conflict (source_id, company_id) do update set parent_id = excluded.parent_id""")
                    .params(
                            source,
                            new SqlArrayValue("text", named.toArray()),
                            new SqlArrayValue("text", parentIds.toArray()))
                    .update();
        }
    }

    /**
     * The parents to set now, by company: those of companies Steward created the accounts of whose parent has an
     * account too (created or linked).
     */
    public Map<String, String> ready(UUID source) {
        Map<String, String> ready = new LinkedHashMap<>();
        jdbc.sql("""
                        select p.company_id, p.parent_id from ingest_pull_parent p
                        join ingest_pull_company c on c.source_id = p.source_id and c.company_id = p.company_id
                            and c.matched_by = 'created'
                        join ingest_pull_company parent on parent.source_id = p.source_id
                            and parent.company_id = p.parent_id
                        where p.source_id = ?
                        order by p.company_id""").param(source).query(rs -> {
            ready.put(rs.getString(1), rs.getString(2));
        });
        return ready;
    }

    public void remove(UUID source, List<String> companies) {
        if (!companies.isEmpty()) {
            jdbc.sql("delete from ingest_pull_parent where source_id = ? and company_id = any(?)")
                    .params(source, new SqlArrayValue("text", companies.toArray()))
                    .update();
        }
    }
}
