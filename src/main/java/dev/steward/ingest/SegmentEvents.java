package dev.steward.ingest;

import dev.steward.ingest.SegmentMessages.Event;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores the events of tracking API requests: each request's new events in one transaction, recognising messages
 * already stored by their messageId, into day partitions created as they are first needed.
 */
@Repository
class SegmentEvents {

    static final String TABLE = "segment_event";
    private static final DateTimeFormatter PARTITION_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final JdbcClient jdbc;
    private final Sources sources;
    private final TransactionTemplate transactions;
    /** Partitions known to exist, so that storing a batch does not ask the catalog each time. */
    private final Set<LocalDate> partitions = ConcurrentHashMap.newKeySet();

    SegmentEvents(JdbcClient jdbc, Sources sources, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.sources = sources;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** How a request's valid events were stored: new ones, and ones whose messageId had been stored before. */
    record Stored(int stored, int duplicates) {}

    /**
     * Stores the events and counts the request for the source (stored events and rejected ones), all in one
     * transaction: when this returns, everything is durable.
     */
    Stored store(Source source, List<Event> events, List<Rejection> rejections, Instant receivedAt) {
        Map<String, Event> unique = new LinkedHashMap<>();
        events.forEach(e -> unique.putIfAbsent(e.messageId(), e));
        List<Event> sorted = new ArrayList<>(unique.values());
        // Rows are locked in messageId order, so that two requests repeating each other's messages cannot deadlock.
        sorted.sort(Comparator.comparing(Event::messageId));
        ensurePartitions(sorted.stream().map(e -> day(e.occurredAt())).toList());
        try {
            return write(source, sorted, events.size(), rejections, receivedAt);
        } catch (DataAccessException e) {
            if (!noPartition(e)) {
                throw e;
            }
            // Another instance dropped a partition this one still took for existing.
            partitions.clear();
            ensurePartitions(sorted.stream().map(ev -> day(ev.occurredAt())).toList());
            return write(source, sorted, events.size(), rejections, receivedAt);
        }
    }

    private Stored write(Source source, List<Event> sorted, int valid, List<Rejection> rejections, Instant receivedAt) {
        Integer stored = transactions.execute(status -> {
            int inserted = sorted.isEmpty() ? 0 : insert(source, sorted, receivedAt);
            sources.received(source, inserted, rejections);
            return inserted;
        });
        return new Stored(stored, valid - stored);
    }

    private int insert(Source source, List<Event> events, Instant receivedAt) {
        int size = events.size();
        String[] ids = new String[size];
        String[] types = new String[size];
        String[] users = new String[size];
        String[] anonymous = new String[size];
        String[] groups = new String[size];
        String[] names = new String[size];
        String[] times = new String[size];
        String[] payloads = new String[size];
        for (int i = 0; i < size; i++) {
            Event e = events.get(i);
            ids[i] = e.messageId();
            types[i] = e.type();
            users[i] = e.userId();
            anonymous[i] = e.anonymousId();
            groups[i] = e.groupId();
            names[i] = e.name();
            times[i] = e.occurredAt().toString();
            payloads[i] = e.payload();
        }
        Timestamp received = Timestamp.from(receivedAt);
        return jdbc.sql("""
                        with fresh as (
                            insert into segment_message (source_id, message_id, received_at)
                            select :source, m, :received from unnest(:ids) m
                            on conflict do nothing
                            returning message_id)
                        insert into segment_event (source_id, message_id, type, user_id, anonymous_id, group_id, name,
                                                   occurred_at, received_at, payload)
                        select :source, e.message_id, e.type, e.user_id, e.anonymous_id, e.group_id, e.name,
                               e.occurred_at::timestamptz, :received, e.payload::json
                          from unnest(:ids, :types, :users, :anonymous, :groups, :names, :times, :payloads)
                               as e(message_id, type, user_id, anonymous_id, group_id, name, occurred_at, payload)
                          join fresh using (message_id)""")
                .param("source", source.id())
                .param("received", received)
                .param("ids", new SqlArrayValue("text", (Object[]) ids))
                .param("types", new SqlArrayValue("text", (Object[]) types))
                .param("users", new SqlArrayValue("text", (Object[]) users))
                .param("anonymous", new SqlArrayValue("text", (Object[]) anonymous))
                .param("groups", new SqlArrayValue("text", (Object[]) groups))
                .param("names", new SqlArrayValue("text", (Object[]) names))
                .param("times", new SqlArrayValue("text", (Object[]) times))
                .param("payloads", new SqlArrayValue("text", (Object[]) payloads))
                .update();
    }

    /** The processor's position: the (xid, seq) of the last event it applied, locked until the transaction ends. */
    record Position(String xid, long seq) {}

    /** Locks the processor's position, so that one processor at a time applies events, and returns it. */
    Position lockPosition() {
        return jdbc.sql("select xid::text, seq from segment_progress for update")
                .query((rs, n) -> new Position(rs.getString(1), rs.getLong(2)))
                .single();
    }

    void movePosition(Position position) {
        jdbc.sql("update segment_progress set xid = ?::xid8, seq = ?")
                .params(position.xid(), position.seq())
                .update();
    }

    /**
     * The next events after {@code after} in (xid, seq) order, of transactions older than every transaction still
     * running: those have all ended, so no event can later appear before the ones returned.
     */
    List<StoredEvent> after(Position after, int limit) {
        String horizon = jdbc.sql("select pg_snapshot_xmin(pg_current_snapshot())::text")
                .query(String.class)
                .single();
        return jdbc.sql("select xid::text as xid_text, " + StoredEvent.COLUMNS + " from " + TABLE
                        + " where (xid, seq) > (?::xid8, ?) and xid < ?::xid8 order by xid, seq limit ?")
                .params(after.xid(), after.seq(), horizon, limit)
                .query((rs, n) -> StoredEvent.read(rs, rs.getString("xid_text")))
                .list();
    }

    /** Whether a day's partition holds events the processor has not applied yet. */
    boolean unprocessed(LocalDate day, Position position) {
        return jdbc.sql("select exists (select 1 from " + partition(day) + " where (xid, seq) > (?::xid8, ?))")
                .params(position.xid(), position.seq())
                .query(Boolean.class)
                .single();
    }

    /** Forgets messageIds received before {@code before}: a message sent again after that is stored again. */
    int forgetMessages(Instant before) {
        return jdbc.sql("delete from segment_message where received_at < ?")
                .param(Timestamp.from(before))
                .update();
    }

    static LocalDate day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** Creates the day partitions that do not exist yet, each in its own short transaction. */
    void ensurePartitions(Collection<LocalDate> days) {
        Set<LocalDate> missing = new TreeSet<>();
        for (LocalDate day : days) {
            if (!partitions.contains(day)) {
                missing.add(day);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (partitions.isEmpty()) {
            partitions.addAll(existingPartitions());
            missing.removeAll(partitions);
        }
        for (LocalDate day : missing) {
            transactions.executeWithoutResult(status -> {
                // Instances creating the same partition at once would collide in the catalog; take turns.
                jdbc.sql("select pg_advisory_xact_lock(hashtext('segment_event partitions'))")
                        .query()
                        .singleValue();
                jdbc.sql("create table if not exists " + partition(day) + " partition of " + TABLE
                                + " for values from ('" + day + " 00:00:00+00') to ('" + day.plusDays(1)
                                + " 00:00:00+00')")
                        .update();
            });
            partitions.add(day);
        }
    }

    /** The days that have a partition, oldest first. */
    List<LocalDate> existingPartitions() {
        return jdbc.sql("""
                        select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                        where i.inhparent = 'segment_event'::regclass order by c.relname""").query(String.class).list().stream()
                .map(name -> LocalDate.parse(name.substring(name.length() - 8), PARTITION_SUFFIX))
                .toList();
    }

    /** Drops the partition of a day; its events are gone. */
    void dropPartition(LocalDate day) {
        jdbc.sql("drop table if exists " + partition(day)).update();
        partitions.remove(day);
    }

    static String partition(LocalDate day) {
        return TABLE + "_p" + day.format(PARTITION_SUFFIX);
    }

    private static boolean noPartition(DataAccessException e) {
        // 23514: "no partition of relation found for row"
        return e.getMostSpecificCause() instanceof SQLException sql && "23514".equals(sql.getSQLState());
    }
}
