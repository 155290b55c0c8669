package dev.steward.ingest.zendesk;

import dev.steward.ingest.sync.AccountLinking.Match;
import dev.steward.ingest.sync.PullConnections;
import java.sql.Timestamp;
import java.time.Instant;
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
import tools.jackson.databind.ObjectMapper;

/**
 * Zendesk connections (settings, the encrypted token, the schedule), where each export goes on from, how each
 * organization became an account, and the organization of each ticket pulled.
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

    ZendeskStore(JdbcClient jdbc, ObjectMapper json, PullConnections connections) {
        this.jdbc = jdbc;
        this.json = json;
        this.connections = connections;
    }

    Optional<PullConnections.Connection<Settings>> connection(UUID source) {
        return connections.find(source, Settings.class);
    }

    /** Where the export goes on from; empty before its first page was written. */
    Optional<String> cursor(UUID source, Export export) {
        return jdbc.sql("select cursor from ingest_zendesk_cursor where source_id = ? and object = ?")
                .params(source, export.name())
                .query(String.class)
                .optional();
    }

    Map<Export, String> cursors(UUID source) {
        Map<Export, String> cursors = new java.util.EnumMap<>(Export.class);
        jdbc.sql("select object, cursor from ingest_zendesk_cursor where source_id = ?")
                .param(source)
                .query(rs -> {
                    cursors.put(Export.valueOf(rs.getString(1)), rs.getString(2));
                });
        return cursors;
    }

    void saveCursor(UUID source, Export export, String cursor, Instant at) {
        jdbc.sql("""
                        insert into ingest_zendesk_cursor (source_id, object, cursor, updated_at) values (?, ?, ?, ?)
                        on conflict (source_id, object) do update set cursor = excluded.cursor,
                            updated_at = excluded.updated_at""").params(source, export.name(), cursor, Timestamp.from(at)).update();
    }

    /** How these organizations became accounts, for those already pulled. */
    Map<Long, Match> matches(UUID source, Collection<Long> organizations) {
        Map<Long, Match> found = new HashMap<>();
        if (organizations.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                        select organization_id, matched_by from ingest_zendesk_organization
                        where source_id = ? and organization_id = any(?)""")
                .params(source, new SqlArrayValue("bigint", organizations.toArray()))
                .query(rs -> {
                    found.put(rs.getLong(1), Match.valueOf(rs.getString(2)));
                });
        return found;
    }

    void saveMatches(UUID source, Map<Long, Match> matches) {
        if (matches.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>(matches.keySet());
        jdbc.sql("""
                        insert into ingest_zendesk_organization (source_id, organization_id, matched_by)
                        select ?, m.id, m.matched_by from unnest(?, ?) as m(id, matched_by)
                        on conflict (source_id, organization_id) do nothing""")
                .params(
                        source,
                        new SqlArrayValue("bigint", ids.toArray()),
                        new SqlArrayValue(
                                "text",
                                ids.stream().map(id -> matches.get(id).name()).toArray()))
                .update();
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
