package dev.steward.ingest.hubspot;

import dev.steward.ingest.sync.PullConnections;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * HubSpot connections (settings, the sealed token, the schedule) and the parents companies name that are not yet their
 * accounts' parents; each feed's cursor and how each company became an account are kept as every pulled source's are
 * (FeedCursors, CompanyMatches).
 */
@Repository
class HubspotStore {

    /**
     * What Steward pulls from HubSpot, in this order (companies before what names them): each object's search, and
     * the property that says when a record was last changed.
     */
    enum Feed {
        companies("hs_lastmodifieddate"),
        contacts("lastmodifieddate"),
        deals("hs_lastmodifieddate"),
        /** Not a search: the health of the companies' accounts written back to HubSpot, when the connection asks. */
        write_back("");

        private final String modified;

        Feed(String modified) {
            this.modified = modified;
        }

        String modified() {
            return modified;
        }
    }

    /**
     * A connection's settings as stored (the token is kept apart, sealed): the portal the token belongs to and its
     * address, the source whose external ids are in the companies' property {@code externalIdProperty}, and whether
     * each pull writes the accounts' health back to HubSpot, with Steward's address for the link to each account.
     */
    record Settings(
            long portalId,
            String uiDomain,
            @Nullable String accountsSource,
            @Nullable String externalIdProperty,
            boolean writeBack,
            @Nullable String stewardUrl) {}

    private final JdbcClient jdbc;
    private final PullConnections connections;

    HubspotStore(JdbcClient jdbc, PullConnections connections) {
        this.jdbc = jdbc;
        this.connections = connections;
    }

    Optional<PullConnections.Connection<Settings>> connection(UUID source) {
        return connections.find(source, Settings.class);
    }

    /** Keeps the parent each of these companies names (null: none any more), to set when both have accounts. */
    void saveParents(UUID source, Map<String, @Nullable String> parents) {
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
        if (!none.isEmpty()) {
            jdbc.sql("delete from ingest_hubspot_parent where source_id = ? and company_id = any(?)")
                    .params(source, new SqlArrayValue("text", none.toArray()))
                    .update();
        }
        if (!named.isEmpty()) {
            jdbc.sql("""
                            insert into ingest_hubspot_parent (source_id, company_id, parent_id)
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
    Map<String, String> readyParents(UUID source) {
        Map<String, String> ready = new LinkedHashMap<>();
        jdbc.sql("""
                        select p.company_id, p.parent_id from ingest_hubspot_parent p
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

    /** Every company of the source that has an account (created or linked), in order. */
    List<String> companies(UUID source) {
        return jdbc.sql("select company_id from ingest_pull_company where source_id = ? order by company_id")
                .param(source)
                .query(String.class)
                .list();
    }

    /** What was last written back to these companies, by company. */
    Map<String, String> pushed(UUID source, Collection<String> companies) {
        Map<String, String> found = new LinkedHashMap<>();
        if (companies.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                        select company_id, fingerprint from ingest_hubspot_pushed
                        where source_id = ? and company_id = any(?)""")
                .params(source, new SqlArrayValue("text", companies.toArray()))
                .query(rs -> {
                    found.put(rs.getString(1), rs.getString(2));
                });
        return found;
    }

    void savePushed(UUID source, Map<String, String> fingerprints, Instant at) {
        if (fingerprints.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(fingerprints.keySet());
        jdbc.sql("""
                        insert into ingest_hubspot_pushed (source_id, company_id, fingerprint, pushed_at)
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

    void removeParents(UUID source, List<String> companies) {
        if (!companies.isEmpty()) {
            jdbc.sql("delete from ingest_hubspot_parent where source_id = ? and company_id = any(?)")
                    .params(source, new SqlArrayValue("text", companies.toArray()))
                    .update();
        }
    }
}
