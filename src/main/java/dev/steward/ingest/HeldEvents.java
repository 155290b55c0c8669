package dev.steward.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * Events waiting for their account, and what the processor knows about users' groups: which group (account external
 * id) each user was last seen in.
 */
@Repository
class HeldEvents {

    private final JdbcClient jdbc;

    HeldEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void hold(List<StoredEvent> events, Instant now) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into segment_held (batch, source_id, message_id, type, user_id, anonymous_id, group_id,
                                                  name, occurred_at, received_at, traits, held_at)
                        select batch, source_id, message_id, type, user_id, anonymous_id, group_id, name,
                               occurred_at::timestamptz, received_at::timestamptz, traits, :now
                          from unnest(:batches, :sources, :ids, :types, :users, :anonymous, :groups, :names, :occurred,
                                      :received, :traits)
                               as h(batch, source_id, message_id, type, user_id, anonymous_id, group_id, name,
                                    occurred_at, received_at, traits)
                        on conflict (source_id, message_id) do nothing""")
                .param("now", Timestamp.from(now))
                .param("batches", array("bigint", events, StoredEvent::batch))
                .param("sources", array("uuid", events, StoredEvent::sourceId))
                .param("ids", array("text", events, StoredEvent::messageId))
                .param("types", array("text", events, StoredEvent::type))
                .param("users", array("text", events, StoredEvent::userId))
                .param("anonymous", array("text", events, StoredEvent::anonymousId))
                .param("groups", array("text", events, StoredEvent::groupId))
                .param("names", array("text", events, StoredEvent::name))
                .param("occurred", array("text", events, e -> e.occurredAt().toString()))
                .param("received", array("text", events, e -> e.receivedAt().toString()))
                .param("traits", array("text", events, StoredEvent::traits))
                .update();
    }

    /** Held events by source, each with the group it waits for (null when its user's group is not known yet). */
    record Waiting(UUID sourceId, String groupId) {}

    /** The groups held events wait for: their own, else their user's group as known now. */
    List<Waiting> waiting() {
        return jdbc.sql("""
                        select distinct h.source_id, coalesce(h.group_id, g.group_id)
                          from segment_held h
                          left join segment_user_group g
                            on g.source_id = h.source_id and g.user_key = coalesce(h.user_id, h.anonymous_id)
                         where coalesce(h.group_id, g.group_id) is not null""")
                .query((rs, n) -> new Waiting(rs.getObject(1, UUID.class), rs.getString(2)))
                .list();
    }

    /** Takes (deletes and returns) up to {@code limit} held events of the source that wait for one of the groups. */
    List<StoredEvent> release(UUID source, Collection<String> groups, int limit) {
        List<StoredEvent> released =
                new ArrayList<>(jdbc.sql("delete from segment_held where (source_id, message_id) in ("
                                + " select h.source_id, h.message_id from segment_held h left join segment_user_group g"
                                + " on g.source_id = h.source_id and g.user_key = coalesce(h.user_id, h.anonymous_id)"
                                + " where h.source_id = ? and coalesce(h.group_id, g.group_id) = any(?)"
                                + " order by h.batch, h.message_id limit ?)"
                                + " returning " + StoredEvent.COLUMNS)
                        .params(source, new SqlArrayValue("text", groups.toArray()), limit)
                        .query(StoredEvent::read)
                        .list());
        released.sort(Comparator.comparingLong(StoredEvent::batch).thenComparing(StoredEvent::messageId));
        return released;
    }

    long count(UUID source) {
        return jdbc.sql("select count(*) from segment_held where source_id = ?")
                .param(source)
                .query(Long.class)
                .single();
    }

    /** The latest held events of a source, newest first. */
    List<StoredEvent> latest(UUID source, int limit) {
        return jdbc.sql("select " + StoredEvent.COLUMNS
                        + " from segment_held where source_id = ? order by held_at desc, batch desc limit ?")
                .params(source, limit)
                .query(StoredEvent::read)
                .list();
    }

    /** The group each of the users was last seen in, for those that have one. */
    Map<String, String> groupsOf(UUID source, Collection<String> users) {
        Map<String, String> groups = new HashMap<>();
        if (users.isEmpty()) {
            return groups;
        }
        jdbc.sql("select user_key, group_id from segment_user_group where source_id = ? and user_key = any(?)")
                .params(source, new SqlArrayValue("text", users.toArray()))
                .query((rs, n) -> groups.put(rs.getString(1), rs.getString(2)))
                .list();
        return groups;
    }

    /** Records the group each user is in now. */
    void placeUsers(UUID source, Map<String, String> groupOfUser, Instant now) {
        if (groupOfUser.isEmpty()) {
            return;
        }
        List<String> users = new ArrayList<>(groupOfUser.keySet());
        users.sort(null);
        jdbc.sql("""
                        insert into segment_user_group (source_id, user_key, group_id, updated_at)
                        select :source, u, g, :now from unnest(:users, :groups) as x(u, g)
                        on conflict (source_id, user_key) do update
                            set group_id = excluded.group_id, updated_at = excluded.updated_at""")
                .param("source", source)
                .param("now", Timestamp.from(now))
                .param("users", new SqlArrayValue("text", users.toArray()))
                .param(
                        "groups",
                        new SqlArrayValue(
                                "text", users.stream().map(groupOfUser::get).toArray()))
                .update();
    }

    private static <T> SqlArrayValue array(
            String type, List<StoredEvent> events, java.util.function.Function<StoredEvent, T> value) {
        return new SqlArrayValue(type, events.stream().map(value).toArray());
    }
}
