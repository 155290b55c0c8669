package dev.steward.outreach;

import dev.steward.core.Ids;
import dev.steward.core.VersionedDocuments;
import dev.steward.health.ScorecardManagement;
import dev.steward.lifecycle.AccountConditions;
import dev.steward.lifecycle.SegmentManagement;
import dev.steward.survey.Survey;
import dev.steward.survey.SurveyManagement;
import dev.steward.usage.UsageRecorder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Where journeys, their versions, each contact's way through them ({@code outreach_enrolment}), what they sent
 * ({@code outreach_send}) and what happened ({@code outreach_event}) are kept.
 */
@Component
class EmailJourneys {

    private final VersionedDocuments<JourneyProblem> documents;
    private final AccountConditions conditions;
    private final SegmentManagement segments;
    private final SurveyManagement surveys;
    private final ScorecardManagement scorecards;
    private final UsageRecorder usage;
    private final JdbcClient jdbc;

    EmailJourneys(
            JdbcClient jdbc,
            ObjectMapper json,
            AccountConditions conditions,
            SegmentManagement segments,
            SurveyManagement surveys,
            ScorecardManagement scorecards,
            UsageRecorder usage) {
        this.documents = new VersionedDocuments<>(
                jdbc, json, new TypeReference<>() {}, "outreach_journey", "outreach_journey_version", "journey_id");
        this.conditions = conditions;
        this.segments = segments;
        this.surveys = surveys;
        this.scorecards = scorecards;
        this.usage = usage;
        this.jdbc = jdbc;
    }

    VersionedDocuments<JourneyProblem> documents() {
        return documents;
    }

    /** A reader that checks documents against the conditions, segments, stages and surveys there are now. */
    JourneyDocuments reader() {
        Map<String, UUID> byName = new HashMap<>();
        for (Survey survey : surveys.list()) {
            byName.putIfAbsent(survey.name(), survey.id());
        }
        Set<String> measures = new HashSet<>();
        scorecards
                .published()
                .forEach(scorecard -> scorecard
                        .dimensions()
                        .forEach(dimension -> dimension.measures().forEach(m -> measures.add(m.name()))));
        Set<String> metrics = new HashSet<>();
        usage.metrics().forEach(metric -> metrics.add(metric.key()));
        return new JourneyDocuments(
                conditions.declarations(),
                new HashSet<>(segments.publishedNames()),
                conditions.stageKeys(),
                byName,
                measures,
                metrics);
    }

    /** A journey in force, or a version contacts entered: its id, name, version and document. */
    record Active(UUID id, String name, int version, JourneyDocument document) {}

    /** The journeys in force: the published version of each journey not switched off, that still reads. */
    List<Active> active() {
        Set<UUID> stopped = stopped();
        JourneyDocuments reader = reader();
        return documents.published().stream()
                .filter(p -> !stopped.contains(p.id()))
                .map(p -> {
                    JourneyDocument document =
                            reader.read(p.text().yaml(), null).document();
                    return document == null
                            ? null
                            : new Active(
                                    p.id(),
                                    p.text().version().name(),
                                    p.text().version().version(),
                                    document);
                })
                .filter(a -> a != null)
                .toList();
    }

    /** A version of a journey as its contacts go through it; empty when it no longer reads. */
    Optional<Active> version(UUID journey, int version, JourneyDocuments reader) {
        return jdbc.sql("""
                        select d.name, v.yaml from outreach_journey_version v join outreach_journey d on d.id = v.journey_id
                         where v.journey_id = ? and v.version = ?""")
                .params(journey, version)
                .query((rs, n) -> {
                    JourneyDocument document =
                            reader.read(rs.getString("yaml"), null).document();
                    return document == null ? null : new Active(journey, rs.getString("name"), version, document);
                })
                .optional();
    }

    Set<UUID> stopped() {
        return new HashSet<>(jdbc.sql("select id from outreach_journey where stopped_at is not null")
                .query(UUID.class)
                .list());
    }

    void stop(UUID journey, @Nullable Instant at) {
        jdbc.sql("update outreach_journey set stopped_at = ? where id = ?")
                .params(at == null ? null : Timestamp.from(at), journey)
                .update();
    }

    // ---- Enrolments ----

    /** One contact's way through a journey. */
    record Enrolment(
            UUID id,
            UUID journey,
            int version,
            UUID contact,
            UUID account,
            String email,
            int step,
            String state,
            @Nullable String reason,
            Instant enteredAt,
            @Nullable Instant nextDueAt) {}

    private static final String ENROLMENT = """
            select id, journey_id, version, contact_id, account_id, email, step, state, reason, entered_at, next_due_at
              from outreach_enrolment""";

    /** Enrols the contact unless it was in the journey before; the enrolment's id when it is new. */
    Optional<UUID> enrol(
            UUID journey, int version, UUID contact, UUID account, String email, boolean heldOut, Instant at) {
        UUID id = Ids.newId();
        int inserted = jdbc.sql("""
                        insert into outreach_enrolment (id, journey_id, version, contact_id, account_id, email, step,
                                                        state, reason, entered_at, next_due_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
                        on conflict (journey_id, contact_id) do nothing""")
                .params(
                        id,
                        journey,
                        version,
                        contact,
                        account,
                        email,
                        heldOut ? "held_out" : "active",
                        heldOut ? "in the holdout: gets no mail, counted against those mailed" : null,
                        Timestamp.from(at),
                        heldOut ? null : Timestamp.from(at),
                        Timestamp.from(at))
                .update();
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }

    /** Contacts already in (or through) a journey. */
    Set<UUID> enrolledContacts(UUID journey) {
        return new HashSet<>(jdbc.sql("select contact_id from outreach_enrolment where journey_id = ?")
                .param(journey)
                .query(UUID.class)
                .list());
    }

    /** Active enrolments due by then, locked so that another instance skips them, oldest due first. */
    List<Enrolment> lockDue(Instant now, int limit) {
        return jdbc.sql(ENROLMENT + " " + """
                         where state = 'active' and next_due_at <= ?
                         order by next_due_at limit ? for update skip locked""")
                .params(Timestamp.from(now), limit)
                .query(EmailJourneys::enrolment)
                .list();
    }

    List<Enrolment> activeFor(String email) {
        return jdbc.sql(ENROLMENT + " where state = 'active' and lower(email) = lower(?) for update")
                .param(email)
                .query(EmailJourneys::enrolment)
                .list();
    }

    List<Enrolment> anyFor(String email) {
        return jdbc.sql(ENROLMENT + " where lower(email) = lower(?) order by entered_at desc")
                .param(email)
                .query(EmailJourneys::enrolment)
                .list();
    }

    List<Enrolment> enrolments(UUID journey, int limit) {
        return jdbc.sql(ENROLMENT + " where journey_id = ? order by entered_at desc, id limit ?")
                .params(journey, limit)
                .query(EmailJourneys::enrolment)
                .list();
    }

    List<Enrolment> allEnrolments(UUID journey) {
        return jdbc.sql(ENROLMENT + " where journey_id = ?")
                .param(journey)
                .query(EmailJourneys::enrolment)
                .list();
    }

    void move(UUID enrolment, int step, String state, @Nullable String reason, @Nullable Instant nextDue, Instant at) {
        jdbc.sql("""
                        update outreach_enrolment set step = ?, state = ?, reason = ?, next_due_at = ?, updated_at = ?
                         where id = ?""")
                .params(
                        step,
                        state,
                        reason,
                        nextDue == null ? null : Timestamp.from(nextDue),
                        Timestamp.from(at),
                        enrolment)
                .update();
    }

    private static Enrolment enrolment(ResultSet rs, int row) throws SQLException {
        Timestamp due = rs.getTimestamp("next_due_at");
        return new Enrolment(
                rs.getObject("id", UUID.class),
                rs.getObject("journey_id", UUID.class),
                rs.getInt("version"),
                rs.getObject("contact_id", UUID.class),
                rs.getObject("account_id", UUID.class),
                rs.getString("email"),
                rs.getInt("step"),
                rs.getString("state"),
                rs.getString("reason"),
                rs.getTimestamp("entered_at").toInstant(),
                due == null ? null : due.toInstant());
    }

    // ---- Sends ----

    /** What a step sent. */
    record Send(
            UUID id,
            UUID enrolment,
            UUID journey,
            int step,
            String kind,
            UUID account,
            UUID contact,
            String email,
            String subject,
            @Nullable UUID delivery,
            @Nullable UUID survey,
            Instant sentAt,
            @Nullable Instant bouncedAt,
            @Nullable Instant repliedAt,
            @Nullable Instant unsubscribedAt) {}

    private static final String SEND = """
            select id, enrolment_id, journey_id, step, kind, account_id, contact_id, email, subject, delivery_id,
                   survey_id, sent_at, bounced_at, replied_at, unsubscribed_at
              from outreach_send""";

    void insertSend(
            UUID id,
            Enrolment enrolment,
            int step,
            String kind,
            String subject,
            @Nullable UUID delivery,
            @Nullable UUID survey,
            String token,
            Instant at) {
        jdbc.sql("""
                        insert into outreach_send (id, enrolment_id, journey_id, step, kind, account_id, contact_id,
                                                   email, subject, delivery_id, survey_id, token, sent_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (enrolment_id, step) do nothing""")
                .params(
                        id,
                        enrolment.id(),
                        enrolment.journey(),
                        step,
                        kind,
                        enrolment.account(),
                        enrolment.contact(),
                        enrolment.email(),
                        subject,
                        delivery,
                        survey,
                        token,
                        Timestamp.from(at))
                .update();
    }

    /** The times of the emails (and surveys) journeys sent the address since then, oldest first. */
    List<Instant> sentTo(String email, Instant since) {
        return jdbc.sql(
                        "select sent_at from outreach_send where lower(email) = lower(?) and sent_at > ? order by sent_at")
                .params(email, Timestamp.from(since))
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .list();
    }

    Optional<Send> sendByToken(String token) {
        return jdbc.sql(SEND + " where token = ?")
                .param(token)
                .query(EmailJourneys::send)
                .optional();
    }

    Optional<Send> sendByDelivery(UUID delivery) {
        return jdbc.sql(SEND + " where delivery_id = ?")
                .param(delivery)
                .query(EmailJourneys::send)
                .optional();
    }

    List<Send> sends(UUID journey) {
        return jdbc.sql(SEND + " where journey_id = ? order by sent_at")
                .param(journey)
                .query(EmailJourneys::send)
                .list();
    }

    /** The latest send of an enrolment, if any. */
    Optional<Send> latestSend(UUID enrolment) {
        return jdbc.sql(SEND + " where enrolment_id = ? order by sent_at desc, step desc limit 1")
                .param(enrolment)
                .query(EmailJourneys::send)
                .optional();
    }

    /** The survey the enrolment's latest survey step sent, if any. */
    Optional<UUID> latestSurvey(UUID enrolment) {
        return jdbc.sql("""
                        select survey_id from outreach_send where enrolment_id = ? and kind = 'survey'
                         order by sent_at desc, step desc limit 1""").param(enrolment).query(UUID.class).optional();
    }

    /** Whether the enrolment's contact replied to one of its emails. */
    boolean replied(UUID enrolment) {
        return jdbc.sql("select exists (select 1 from outreach_send where enrolment_id = ? and replied_at is not null)")
                .param(enrolment)
                .query(Boolean.class)
                .single();
    }

    void mark(UUID send, String column, Instant at) {
        if (!List.of("bounced_at", "replied_at", "unsubscribed_at").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        jdbc.sql("update outreach_send set " + column + " = coalesce(" + column + ", ?) where id = ?")
                .params(Timestamp.from(at), send)
                .update();
    }

    private static Send send(ResultSet rs, int row) throws SQLException {
        return new Send(
                rs.getObject("id", UUID.class),
                rs.getObject("enrolment_id", UUID.class),
                rs.getObject("journey_id", UUID.class),
                rs.getInt("step"),
                rs.getString("kind"),
                rs.getObject("account_id", UUID.class),
                rs.getObject("contact_id", UUID.class),
                rs.getString("email"),
                rs.getString("subject"),
                rs.getObject("delivery_id", UUID.class),
                rs.getObject("survey_id", UUID.class),
                rs.getTimestamp("sent_at").toInstant(),
                instant(rs, "bounced_at"),
                instant(rs, "replied_at"),
                instant(rs, "unsubscribed_at"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    // ---- Events ----

    void event(
            UUID account,
            @Nullable UUID contact,
            @Nullable UUID journey,
            Instant at,
            String kind,
            String title,
            String summary) {
        jdbc.sql("""
                        insert into outreach_event (id, account_id, contact_id, journey_id, at, kind, title, summary)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(Ids.newId(), account, contact, journey, Timestamp.from(at), kind, title, summary)
                .update();
    }

    void removeAccount(UUID account) {
        jdbc.sql("delete from outreach_event where account_id = ?")
                .param(account)
                .update();
        jdbc.sql("delete from outreach_send where account_id = ?")
                .param(account)
                .update();
        jdbc.sql("delete from outreach_enrolment where account_id = ?")
                .param(account)
                .update();
        jdbc.sql("delete from outreach_crossing where account_id = ?")
                .param(account)
                .update();
    }
}
