package dev.steward.ingest.intercom;

import dev.steward.ingest.sync.AccountLinking.Match;
import dev.steward.ingest.sync.CompanyMatches;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.PullConnections;
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
 * Intercom connections (settings, the sealed token, the schedule) and the company of each contact pulled
 * (conversations and tickets name only contacts); the watermark each search goes on from and how each company became
 * an account are kept as every pulled source's are (FeedCursors, CompanyMatches).
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
    private final FeedCursors cursors;
    private final CompanyMatches companies;

    IntercomStore(JdbcClient jdbc, PullConnections connections, FeedCursors cursors, CompanyMatches companies) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.cursors = cursors;
        this.companies = companies;
    }

    Optional<PullConnections.Connection<Settings>> connection(UUID source) {
        return connections.find(source, Settings.class);
    }

    /** The {@code updated_at} (seconds since 1970) a feed's search goes on from; empty before its first full pull. */
    Optional<String> watermark(UUID source, Feed feed) {
        return cursors.find(source, feed.name());
    }

    Map<Feed, String> watermarks(UUID source) {
        Map<Feed, String> found = new EnumMap<>(Feed.class);
        cursors.all(source).forEach((feed, watermark) -> found.put(Feed.valueOf(feed), watermark));
        return found;
    }

    void saveWatermark(UUID source, Feed feed, String watermark, Instant at) {
        cursors.save(source, feed.name(), watermark, at);
    }

    /** How these companies became accounts, for those already pulled. */
    Map<String, Match> matches(UUID source, Collection<String> companies) {
        return this.companies.find(source, companies);
    }

    void saveMatches(UUID source, Map<String, Match> matches) {
        companies.save(source, matches);
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
