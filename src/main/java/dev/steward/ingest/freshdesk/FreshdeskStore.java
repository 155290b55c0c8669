package dev.steward.ingest.freshdesk;

import dev.steward.ingest.sync.PullConnections;
import java.util.ArrayList;
import java.util.Collection;
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
 * Freshdesk connections (settings, the sealed API key, the schedule) and the company of each ticket pulled
 * (satisfaction ratings name only their ticket); each feed's cursor and how each company became an account are kept
 * as every pulled source's are (FeedCursors, CompanyMatches).
 */
@Repository
class FreshdeskStore {

    /** What Steward pulls from Freshdesk, in this order: companies before what names them, tickets before ratings. */
    enum Feed {
        companies,
        contacts,
        tickets,
        satisfaction_ratings
    }

    /**
     * A connection's settings as stored (the API key is kept apart, sealed): the helpdesk's subdomain, its plan, whom
     * the key belongs to, the source whose external ids are in the companies' custom field {@code externalIdField}.
     */
    record Settings(
            String domain,
            FreshdeskApi.Plan plan,
            String signedInAs,
            @Nullable String accountsSource,
            @Nullable String externalIdField) {}

    private final JdbcClient jdbc;
    private final PullConnections connections;

    FreshdeskStore(JdbcClient jdbc, PullConnections connections) {
        this.jdbc = jdbc;
        this.connections = connections;
    }

    Optional<PullConnections.Connection<Settings>> connection(UUID source) {
        return connections.find(source, Settings.class);
    }

    /** The company of each of these tickets that was pulled (the value is null for a ticket of none). */
    Map<Long, @Nullable Long> ticketCompanies(UUID source, Collection<Long> tickets) {
        Map<Long, @Nullable Long> found = new HashMap<>();
        if (tickets.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                        select ticket_id, company_id from ingest_freshdesk_ticket
                        where source_id = ? and ticket_id = any(?)""")
                .params(source, new SqlArrayValue("bigint", tickets.toArray()))
                .query(rs -> {
                    found.put(rs.getLong(1), rs.getObject(2, Long.class));
                });
        return found;
    }

    void saveTickets(UUID source, Map<Long, @Nullable Long> companies) {
        if (companies.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>(companies.keySet());
        jdbc.sql("""
                        insert into ingest_freshdesk_ticket (source_id, ticket_id, company_id)
                        select ?, t.id, t.company from unnest(?, ?) as t(id, company) order by t.id
                        on conflict (source_id, ticket_id) do update set company_id = excluded.company_id""")
                .params(
                        source,
                        new SqlArrayValue("bigint", ids.toArray()),
                        new SqlArrayValue(
                                "bigint", ids.stream().map(companies::get).toArray()))
                .update();
    }
}
