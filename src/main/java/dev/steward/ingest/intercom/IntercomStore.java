package dev.steward.ingest.intercom;

import dev.steward.ingest.sync.AccountLinking.Match;
import dev.steward.ingest.sync.PullConnections;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * Intercom connections (settings, the sealed token, the schedule), the watermark each search goes on from, how each
 * company became an account, and the company of each contact pulled (conversations and tickets name only contacts).
 */
@Repository
class IntercomStore {

    /** What Steward pulls from Intercom, in this order: accounts before the contacts that name them, contacts before
     * the conversations and tickets that name them. */
    enum Feed {
        companies,
        contacts,
        conversations,
        tickets
    }

    /**
     * A connection's settings as stored (the token is kept apart, sealed): the region, whom the token acts as in which
     * workspace, and the source whose external ids companies' {@code company_id} are.
     */
    record Settings(
            IntercomApi.Region region,
            String signedInAs,
            @Nullable String workspace,
            @Nullable String accountsSource) {}

    private final JdbcClient jdbc;
    private final PullConnections connections;

    IntercomStore(JdbcClient jdbc, PullConnections connections) {
        this.jdbc = jdbc;
        this.connections = connections;
    }

    Optional<PullConnections.Connection<Settings>> connection(UUID source) {
        return connections.find(source, Settings.class);
    }

    /** The {@code updated_at} (seconds since 1970) a feed's search goes on from; empty before its first full pull. */
    Optional<String> watermark(UUID source, Feed feed) {
        return jdbc.sql("select watermark from ingest_intercom_watermark where source_id = ? and feed = ?")
                .params(source, feed.name())
                .query(String.class)
                .optional();
    }

    Map<Feed, String> watermarks(UUID source) {
        Map<Feed, String> found = new EnumMap<>(Feed.class);
        jdbc.sql("select feed, watermark from ingest_intercom_watermark where source_id = ?")
                .param(source)
                .query(rs -> {
                    found.put(Feed.valueOf(rs.getString(1)), rs.getString(2));
                });
        return found;
    }

    void saveWatermark(UUID source, Feed feed, String watermark, Instant at) {
        jdbc.sql("""
                        insert into ingest_intercom_watermark (source_id, feed, watermark, updated_at) values (?, ?, ?, ?)
                        on conflict (source_id, feed) do update set watermark = excluded.watermark,
                            updated_at = excluded.updated_at""").params(source, feed.name(), watermark, Timestamp.from(at)).update();
    }

    /** How these companies became accounts, for those already pulled. */
    Map<String, Match> matches(UUID source, Collection<String> companies) {
        Map<String, Match> found = new HashMap<>();
        if (companies.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                        select company_id, matched_by from ingest_intercom_company
                        where source_id = ? and company_id = any(?)""")
                .params(source, new SqlArrayValue("text", companies.toArray()))
                .query(rs -> {
                    found.put(rs.getString(1), Match.valueOf(rs.getString(2)));
                });
        return found;
    }

    void saveMatches(UUID source, Map<String, Match> matches) {
        if (matches.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(matches.keySet());
        jdbc.sql("""
                        insert into ingest_intercom_company (source_id, company_id, matched_by)
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

    /** The company of each of these contacts that was pulled (the value is null for a contact of none). */
    Map<String, @Nullable String> contactCompanies(UUID source, Collection<String> contacts) {
        Map<String, @Nullable String> found = new HashMap<>();
        if (contacts.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                        select contact_id, company_id from ingest_intercom_contact
                        where source_id = ? and contact_id = any(?)""")
                .params(source, new SqlArrayValue("text", contacts.toArray()))
                .query(rs -> {
                    found.put(rs.getString(1), rs.getString(2));
                });
        return found;
    }

    void saveContacts(UUID source, Map<String, @Nullable String> companies) {
        if (companies.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(companies.keySet());
        jdbc.sql("""
                        insert into ingest_intercom_contact (source_id, contact_id, company_id)
                        select ?, c.id, c.company from unnest(?, ?) as c(id, company) order by c.id
                        on conflict (source_id, contact_id) do update set company_id = excluded.company_id""")
                .params(
                        source,
                        new SqlArrayValue("text", ids.toArray()),
                        new SqlArrayValue(
                                "text", ids.stream().map(companies::get).toArray()))
                .update();
    }
}
