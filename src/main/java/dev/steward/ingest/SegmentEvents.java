package dev.steward.ingest;

import dev.steward.core.Digests;
import dev.steward.core.FieldError;
import dev.steward.ingest.SegmentMessages.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * Stores the events of tracking API requests: each request's new events in one transaction, recognising messages
 * already stored by their messageId, into day partitions created as they are first needed.
 */
@Repository
class SegmentEvents {

    static final String TABLE = "segment_event";
    private static final DateTimeFormatter PARTITION_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final DataSource dataSource;
    private final Sources sources;
    private final TransactionTemplate transactions;
    private final IngestProperties.Partitions limits;
    /** Partitions known to exist, so that storing a batch does not ask the catalog each time. */
    private final Set<LocalDate> partitions = ConcurrentHashMap.newKeySet();

    SegmentEvents(
            JdbcClient jdbc,
            ObjectMapper json,
            DataSource dataSource,
            Sources sources,
            PlatformTransactionManager transactionManager,
            IngestProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.dataSource = dataSource;
        this.sources = sources;
        this.transactions = new TransactionTemplate(transactionManager);
        this.limits = properties.partitions();
    }

    /** An event refused because storing it would add more day partitions than allowed, and why. */
    record Refusal(Event event, FieldError error) {}

    /** The events a request may store, and those refused for the day partitions they would add. */
    record Admitted(List<Event> events, List<Refusal> refused) {}

    /**
     * Bounds the day partitions one request may add ({@code steward.ingest.partitions.new-per-request}) and that may
     * exist in all ({@code steward.ingest.partitions.max}): events of days without a partition are admitted newest
     * day first while there is room, and the rest refused, each with the reason. Events of days that have a partition
     * are always admitted.
     */
    Admitted admit(List<Event> events) {
        Set<LocalDate> known = knownPartitions();
        TreeSet<LocalDate> newDays = new TreeSet<>();
        for (Event e : events) {
            LocalDate day = day(e.occurredAt());
            if (!known.contains(day)) {
                newDays.add(day);
            }
        }
        if (newDays.isEmpty()) {
            return new Admitted(events, List.of());
        }
        int room = Math.max(0, Math.min(limits.newPerRequest(), limits.max() - known.size()));
        Set<LocalDate> admittedDays = new HashSet<>();
        for (LocalDate day : newDays.descendingSet()) {
            if (admittedDays.size() == room) {
                break;
            }
            admittedDays.add(day);
        }
        if (admittedDays.size() == newDays.size()) {
            return new Admitted(events, List.of());
        }
        boolean storeFull = limits.max() - known.size() < limits.newPerRequest();
        List<Event> admitted = new ArrayList<>(events.size());
        List<Refusal> refused = new ArrayList<>();
        for (Event e : events) {
            LocalDate day = day(e.occurredAt());
            if (known.contains(day) || admittedDays.contains(day)) {
                admitted.add(e);
                continue;
            }
            String reason = storeFull
                    ? "falls on " + day + ", a day the event store has no room for: it keeps at most "
                            + limits.max() + " days of raw events (steward.ingest.partitions.max) and holds "
                            + known.size() + "; send it again once older days have passed the retention period"
                    : "falls on " + day + ", one of " + newDays.size() + " days this request would add to the event"
                            + " store; one request may add at most " + limits.newPerRequest()
                            + " (steward.ingest.partitions.new-per-request), the newest first: send older history"
                            + " in batches spanning fewer days";
            refused.add(new Refusal(e, FieldError.of("timestamp", reason)));
        }
        return new Admitted(admitted, refused);
    }

    /** The days known to have a partition, read from the catalog when nothing is known yet. */
    private Set<LocalDate> knownPartitions() {
        if (partitions.isEmpty()) {
            partitions.addAll(existingPartitions());
        }
        return partitions;
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

    /**
     * Claims the events' messageIds, then sends the events whose messageId was new with COPY, the fastest way into
     * PostgreSQL, and queues them for the processor as one batch. Must run in a transaction, so that a failed COPY
     * also releases the claimed messageIds.
     */
    private int insert(Source source, List<Event> events, Instant receivedAt) {
        Timestamp received = Timestamp.from(receivedAt);
        UUID[] keys = new UUID[events.size()];
        Map<UUID, Event> byKey = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(source.id(), events.get(i).messageId());
            byKey.put(keys[i], events.get(i));
        }
        // Rows are locked in key order, so that two requests repeating each other's messages cannot deadlock.
        Arrays.sort(keys);
        List<UUID> fresh = jdbc.sql("""
                        insert into segment_message (key, received_at)
                        select k, ? from unnest(?) k
                        on conflict do nothing
                        returning key""")
                .params(received, new SqlArrayValue("uuid", (Object[]) keys))
                .query(UUID.class)
                .list();
        if (fresh.isEmpty()) {
            return 0;
        }
        List<Event> stored = new ArrayList<>(fresh.size());
        LocalDate first = null;
        LocalDate last = null;
        for (UUID key : fresh) {
            Event e = byKey.get(key);
            stored.add(e);
            LocalDate day = day(e.occurredAt());
            first = first == null || day.isBefore(first) ? day : first;
            last = last == null || day.isAfter(last) ? day : last;
        }
        ArrayNode work = json.createArrayNode();
        String[] occurred = new String[stored.size()];
        for (int i = 0; i < occurred.length; i++) {
            Event e = stored.get(i);
            occurred[i] = e.occurredAt().toString();
            ArrayNode w = work.addArray()
                    .add(e.messageId())
                    .add(e.type())
                    .add(e.userId())
                    .add(e.anonymousId())
                    .add(e.groupId())
                    .add(e.name());
            occurredAt(w, e.occurredAt()).add(e.traits());
        }
        long batch = jdbc.sql("""
                        insert into segment_batch (id, source_id, first_day, last_day, events, received_at, work)
                        values (nextval('segment_batch_id'), ?, ?, ?, ?, ?, ?) returning id""")
                .params(source.id(), first, last, stored.size(), received, json.writeValueAsString(work))
                .query(Long.class)
                .single();
        ByteArrayOutputStream rows = new ByteArrayOutputStream(stored.size() * 800);
        byte[] prefix = (batch + "\t" + source.id() + "\t").getBytes(StandardCharsets.US_ASCII);
        byte[] receivedText = ("\t" + receivedAt + "\t").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < occurred.length; i++) {
            Event e = stored.get(i);
            rows.writeBytes(prefix);
            text(rows, e.messageId());
            rows.write('\t');
            text(rows, e.type());
            rows.write('\t');
            text(rows, e.userId());
            rows.write('\t');
            text(rows, e.anonymousId());
            rows.write('\t');
            text(rows, e.groupId());
            rows.write('\t');
            text(rows, e.name());
            rows.write('\t');
            rows.writeBytes(occurred[i].getBytes(StandardCharsets.US_ASCII));
            rows.writeBytes(receivedText);
            escaped(rows, e.payload());
            rows.write('\n');
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(COPY, new ByteArrayInputStream(rows.toByteArray(), 0, rows.size()));
        } catch (SQLException e) {
            throw new UncategorizedSQLException("COPY of Segment events", COPY, e);
        } catch (IOException e) {
            throw new UncheckedIOException("COPY of Segment events failed", e);
        }
        return stored.size();
    }

    /**
     * Puts events back in the processor's queue as a batch of their own (quarantined events an administrator replays);
     * must run in the transaction that took them from where they were.
     */
    void requeue(UUID source, List<StoredEvent> events, Instant now) {
        if (events.isEmpty()) {
            return;
        }
        LocalDate first = null;
        LocalDate last = null;
        ArrayNode work = json.createArrayNode();
        for (StoredEvent e : events) {
            LocalDate day = day(e.occurredAt());
            first = first == null || day.isBefore(first) ? day : first;
            last = last == null || day.isAfter(last) ? day : last;
            ArrayNode w = work.addArray()
                    .add(e.messageId())
                    .add(e.type())
                    .add(e.userId())
                    .add(e.anonymousId())
                    .add(e.groupId())
                    .add(e.name());
            occurredAt(w, e.occurredAt()).add(e.traits() == null ? null : json.readTree(e.traits()));
        }
        jdbc.sql("""
                        insert into segment_batch (id, source_id, first_day, last_day, events, received_at, work)
                        values (nextval('segment_batch_id'), ?, ?, ?, ?, ?, ?)""")
                .params(source, first, last, events.size(), Timestamp.from(now), json.writeValueAsString(work))
                .update();
    }

    /**
     * Adds an event's time to its queue entry: as epoch microseconds (a JSON number) when it has no finer part, as
     * every time PostgreSQL stores and the clock-corrected times of Java's clock have, which the processor reads many
     * times faster than ISO-8601 text (parsing the text was a third of its own time); else as ISO-8601 text, which it
     * also reads (and older versions wrote).
     */
    static ArrayNode occurredAt(ArrayNode entry, Instant occurredAt) {
        if (occurredAt.getNano() % 1_000 == 0) {
            try {
                return entry.add(Math.addExact(
                        Math.multiplyExact(occurredAt.getEpochSecond(), 1_000_000L), occurredAt.getNano() / 1_000));
            } catch (ArithmeticException tooFar) {
                // a time no event may have; written as text below
            }
        }
        return entry.add(occurredAt.toString());
    }

    /** An event's time in a queue entry: epoch microseconds or ISO-8601 text. */
    static Instant occurredAt(JsonNode value) {
        if (value.isNumber()) {
            long micros = value.asLong();
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
        }
        return Instant.parse(value.asString());
    }

    private static final String COPY = "copy segment_event (batch, source_id, message_id, type, user_id, anonymous_id,"
            + " group_id, name, occurred_at, received_at, payload) from stdin";

    /** The key a message is recognised by: a 128-bit hash of its source and messageId. */
    static UUID key(UUID source, String messageId) {
        ByteBuffer hash = ByteBuffer.wrap(Digests.sha256(source + messageId));
        return new UUID(hash.getLong(), hash.getLong());
    }

    /** A value in COPY's text format: null as \N, the characters COPY treats specially escaped. */
    private static void text(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.write('\\');
            out.write('N');
        } else {
            escaped(out, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** UTF-8 bytes in COPY's text format; multi-byte characters never contain these ASCII bytes. */
    private static void escaped(ByteArrayOutputStream out, byte[] bytes) {
        int from = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\\' || b == '\n' || b == '\r' || b == '\t') {
                out.write(bytes, from, i - from);
                out.write('\\');
                out.write(b == '\n' ? 'n' : b == '\r' ? 'r' : b == '\t' ? 't' : '\\');
                from = i + 1;
            }
        }
        out.write(bytes, from, bytes.length - from);
    }

    /**
     * Makes the current transaction the only one applying events, across all instances, until it ends: concurrent
     * processors could otherwise update the same accounts in different orders and deadlock.
     */
    void lockProcessing() {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('segment_event processing'))")
                .query()
                .singleValue();
    }

    /** A batch waiting for the processor: a request's stored events, as the processor needs them. */
    record Batch(long id, List<StoredEvent> events) {}

    /** The oldest waiting batches, up to about {@code events} events. */
    List<Batch> waiting(int events) {
        List<Batch> taken = new ArrayList<>();
        int total = 0;
        for (Batch batch : jdbc.sql("select id, source_id, received_at, work from segment_batch order by id limit ?")
                .param(Math.max(1, events / 50))
                .query((rs, n) -> batch(
                        rs.getLong(1),
                        rs.getObject(2, UUID.class),
                        rs.getTimestamp(3).toInstant(),
                        rs.getString(4)))
                .list()) {
            if (!taken.isEmpty() && total + batch.events().size() > events) {
                break;
            }
            taken.add(batch);
            total += batch.events().size();
        }
        return taken;
    }

    private Batch batch(long id, UUID source, Instant receivedAt, String work) {
        List<StoredEvent> events = new ArrayList<>();
        for (JsonNode e : json.readTree(work)) {
            JsonNode traits = e.get(7);
            events.add(new StoredEvent(
                    id,
                    source,
                    e.get(0).asString(),
                    e.get(1).asString(),
                    textOrNull(e.get(2)),
                    textOrNull(e.get(3)),
                    textOrNull(e.get(4)),
                    textOrNull(e.get(5)),
                    occurredAt(e.get(6)),
                    receivedAt,
                    traits == null || traits.isNull() ? null : json.writeValueAsString(traits)));
        }
        return new Batch(id, events);
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }

    /** Removes applied batches from the queue. */
    void done(List<Batch> batches) {
        jdbc.sql("delete from segment_batch where id = any(?)")
                .param(new SqlArrayValue(
                        "bigint", batches.stream().map(Batch::id).toArray()))
                .update();
    }

    /** Whether events of the day still wait for the processor. */
    boolean unprocessed(LocalDate day) {
        return jdbc.sql("select exists (select 1 from segment_batch where first_day <= ? and last_day >= ?)")
                .params(day, day)
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
            // The partition's bounds are written into SQL: only a plain date may get there.
            if (day.getYear() < 1 || day.getYear() > 9999) {
                throw new IllegalArgumentException("no partition for events of " + day);
            }
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
