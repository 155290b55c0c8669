package dev.steward.ingest.stripe;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The Stripe events each source delivered, once per event id, and per Stripe object the event whose state was
 * applied last.
 */
@Repository
class StripeEvents {

    /** What became of an event. */
    enum Outcome {
        applied,
        superseded,
        ignored,
        rejected
    }

    /** An event as received and what it did. */
    record Delivery(
            String eventId,
            String type,
            Instant created,
            String objectId,
            Outcome outcome,
            String reason,
            Instant receivedAt) {}

    /** The event whose state an object last took. */
    record ObjectState(String eventId, Instant eventCreated, int rank) {

        /** Whether a state from an event created at {@code created} with {@code rank} is older than this one. */
        boolean newerThan(Instant created, int rank) {
            int byTime = eventCreated.compareTo(created);
            return byTime > 0 || (byTime == 0 && this.rank > rank);
        }
    }

    private final JdbcClient jdbc;

    StripeEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Makes deliveries to one source wait for each other, so that two states of one object are never applied at once. */
    void lock(UUID source) {
        jdbc.sql("select pg_advisory_xact_lock(?)")
                .param(source.getMostSignificantBits() ^ source.getLeastSignificantBits())
                .query()
                .singleValue();
    }

    /** Stores an event; false when the source already has an event with this id. */
    boolean insert(UUID source, Delivery delivery, String payload) {
        return jdbc.sql("""
                        insert into ingest_stripe_event
                            (source_id, event_id, type, created, object_id, payload, received_at, outcome, reason)
                        values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                        on conflict (source_id, event_id) do nothing""")
                        .params(
                                source,
                                delivery.eventId(),
                                delivery.type(),
                                Timestamp.from(delivery.created()),
                                delivery.objectId(),
                                payload,
                                Timestamp.from(delivery.receivedAt()),
                                delivery.outcome().name(),
                                delivery.reason())
                        .update()
                > 0;
    }

    void settle(UUID source, String eventId, Outcome outcome, String reason) {
        jdbc.sql("update ingest_stripe_event set outcome = ?, reason = ? where source_id = ? and event_id = ?")
                .params(outcome.name(), reason, source, eventId)
                .update();
    }

    Optional<Delivery> find(UUID source, String eventId) {
        return jdbc.sql("select * from ingest_stripe_event where source_id = ? and event_id = ?")
                .params(source, eventId)
                .query(this::delivery)
                .optional();
    }

    /** The latest deliveries, newest first. */
    List<Delivery> latest(UUID source, int limit) {
        return jdbc.sql("""
                        select * from ingest_stripe_event where source_id = ?
                        order by received_at desc, created desc limit ?""").params(source, limit).query(this::delivery).list();
    }

    Optional<ObjectState> state(UUID source, String objectId) {
        return jdbc.sql("""
                        select event_id, event_created, state_rank from ingest_stripe_object
                        where source_id = ? and object_id = ?""")
                .params(source, objectId)
                .query((rs, n) -> new ObjectState(
                        rs.getString("event_id"),
                        rs.getTimestamp("event_created").toInstant(),
                        rs.getInt("state_rank")))
                .optional();
    }

    void advance(UUID source, String objectId, String eventId, Instant created, int rank) {
        jdbc.sql("""
                        insert into ingest_stripe_object (source_id, object_id, event_id, event_created, state_rank)
                        values (?, ?, ?, ?, ?)
                        on conflict (source_id, object_id) do update set event_id = excluded.event_id,
                            event_created = excluded.event_created, state_rank = excluded.state_rank""")
                .params(source, objectId, eventId, Timestamp.from(created), rank)
                .update();
    }

    private Delivery delivery(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Delivery(
                rs.getString("event_id"),
                rs.getString("type"),
                rs.getTimestamp("created").toInstant(),
                rs.getString("object_id"),
                Outcome.valueOf(rs.getString("outcome")),
                rs.getString("reason"),
                rs.getTimestamp("received_at").toInstant());
    }
}
