package dev.steward.ingest.zendesk;

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
import tools.jackson.databind.ObjectMapper;

/**
 * Zendesk connections (settings, the encrypted token, the schedule) and the organization of each ticket pulled; where
 * each export goes on from and how each organization became an account are kept as every pulled source's are
 * (FeedCursors, CompanyMatches).
 */
@Repository
class ZendeskStore {

    /** What Steward pulls from Zendesk, in this order: accounts before the contacts and tickets that name them. */
    enum Export {
        organizations,
        users,
        tickets,
        satisfaction_ratings
    }

    /**
     * A connection's settings as stored (the token is kept apart, sealed): the subdomain, how Steward signs in and as
     * whom, the tag that marks a ticket escalated, and the source whose external ids organizations' {@code
     * external_id} are.
     */
    record Settings(
            String subdomain,
            boolean oauth,
            @Nullable String email,
            String signedInAs,
            String escalationTag,
            @Nullable String accountsSource) {}

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    private final PullConnections connections;
    private final FeedCursors cursors;
    private final CompanyMatches companies;

    ZendeskStore(
            JdbcClient jdbc,
            ObjectMapper json,
            PullConnections connections,
            FeedCursors cursors,
            CompanyMatches companies) {
        this.jdbc = jdbc;
        this.json = json;
        this.connections = connections;
        this.cursors = cursors;
        this.companies = companies;
    }

    Optional<PullConnections.Connection<Settings>> connection(UUID source) {
        return connections.find(source, Settings.class);
    }

    /** Where the export goes on from; empty before its first page was written. */
    Optional<String> cursor(UUID source, Export export) {
        return cursors.find(source, export.name());
    }

    Map<Export, String> cursors(UUID source) {
        Map<Export, String> found = new EnumMap<>(Export.class);
        cursors.all(source).forEach((export, cursor) -> found.put(Export.valueOf(export), cursor));
        return found;
    }

    void saveCursor(UUID source, Export export, String cursor, Instant at) {
        cursors.save(source, export.name(), cursor, at);
    }

    /** How these organizations became accounts, for those already pulled. */
    Map<Long, Match> matches(UUID source, Collection<Long> organizations) {
        Map<Long, Match> found = new HashMap<>();
        companies
                .find(source, organizations.stream().map(String::valueOf).toList())
                .forEach((id, match) -> found.put(Long.parseLong(id), match));
        return found;
    }

    void saveMatches(UUID source, Map<Long, Match> matches) {
        Map<String, Match> byId = new HashMap<>();
        matches.forEach((id, match) -> byId.put(Long.toString(id), match));
        companies.save(source, byId);
    }

    /** The organization of each of these tickets that was pulled (the value is null for a ticket of none). */
    Map<Long, @Nullable Long> ticketOrganizations(UUID source, Collection<Long> tickets) {
        Map<Long, @Nullable Long> found = new HashMap<>();
        if (tickets.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                        select ticket_id, organization_id from ingest_zendesk_ticket
                        where source_id = ? and ticket_id = any(?)""")
                .params(source, new SqlArrayValue("bigint", tickets.toArray()))
                .query(rs -> {
                    found.put(rs.getLong(1), rs.getObject(2, Long.class));
                });
        return found;
    }

    void saveTickets(UUID source, Map<Long, @Nullable Long> organizations) {
        if (organizations.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>(organizations.keySet());
        jdbc.sql("""
                        insert into ingest_zendesk_ticket (source_id, ticket_id, organization_id)
                        select ?, t.id, t.organization from unnest(?, ?) as t(id, organization) order by t.id
                        on conflict (source_id, ticket_id) do update set organization_id = excluded.organization_id""")
                .params(
                        source,
                        new SqlArrayValue("bigint", ids.toArray()),
                        new SqlArrayValue(
                                "bigint", ids.stream().map(organizations::get).toArray()))
                .update();
    }

    void deleteTickets(UUID source, Collection<Long> tickets) {
        if (tickets.isEmpty()) {
            return;
        }
        jdbc.sql("delete from ingest_zendesk_ticket where source_id = ? and ticket_id = any(?)")
                .params(source, new SqlArrayValue("bigint", tickets.toArray()))
                .update();
    }
}
