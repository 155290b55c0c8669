package dev.steward.survey;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** Surveys, their invitations (one per contact asked, with the answer) and the addresses that unsubscribed. */
@Repository
class Surveys {

    private final JdbcClient jdbc;

    Surveys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Survey survey) {
        jdbc.sql("""
                        insert into survey (id, name, subject, question, segment, roles, created_by, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                .params(
                        survey.id(),
                        survey.name(),
                        survey.subject(),
                        survey.question(),
                        survey.segment(),
                        new SqlArrayValue("text", survey.roles().toArray()),
                        survey.createdBy(),
                        Timestamp.from(survey.createdAt()))
                .update();
    }

    Optional<Survey> find(UUID id) {
        return jdbc.sql("select * from survey where id = ?")
                .param(id)
                .query(Surveys::map)
                .optional();
    }

    /** Locks the survey for a send, so that two sends of it (two instances) take turns. */
    Optional<Survey> lock(UUID id) {
        return jdbc.sql("select * from survey where id = ? for update")
                .param(id)
                .query(Surveys::map)
                .optional();
    }

    List<Survey> all() {
        return jdbc.sql("select * from survey order by created_at desc, id")
                .query(Surveys::map)
                .list();
    }

    void markSent(UUID id, Instant at) {
        jdbc.sql("update survey set sent_at = coalesce(sent_at, ?) where id = ?")
                .params(Timestamp.from(at), id)
                .update();
    }

    /**
     * Invites a contact, unless they (or their address) were invited to this survey before; whether they were
     * invited now.
     */
    boolean invite(UUID survey, UUID contact, UUID account, String email, Instant at) {
        return jdbc.sql("""
                        insert into survey_invitation (survey_id, contact_id, account_id, email, invited_at)
                        select ?, ?, ?, ?, ?
                         where not exists (select 1 from survey_invitation
                                            where survey_id = ? and lower(email) = lower(?))
                        on conflict (survey_id, contact_id) do nothing
                        """)
                        .params(survey, contact, account, email, Timestamp.from(at), survey, email)
                        .update()
                > 0;
    }

    void setDelivery(UUID survey, UUID contact, UUID delivery) {
        jdbc.sql("update survey_invitation set delivery_id = ? where survey_id = ? and contact_id = ?")
                .params(delivery, survey, contact)
                .update();
    }

    Optional<Invitation> invitation(UUID survey, UUID contact) {
        return jdbc.sql("select * from survey_invitation where survey_id = ? and contact_id = ?")
                .params(survey, contact)
                .query(Surveys::invitation)
                .optional();
    }

    List<Invitation> invitations(UUID survey) {
        return jdbc.sql("select * from survey_invitation where survey_id = ?")
                .param(survey)
                .query(Surveys::invitation)
                .list();
    }

    /** The answer, the last of all: the score and when it was given; the comment is kept. */
    void answer(UUID survey, UUID contact, int score, Instant at) {
        jdbc.sql("""
                        update survey_invitation set score = ?, answered_at = ?, answers = answers + 1
                         where survey_id = ? and contact_id = ?
                        """).params(score, Timestamp.from(at), survey, contact).update();
    }

    void comment(UUID survey, UUID contact, @Nullable String comment) {
        jdbc.sql("update survey_invitation set comment = ? where survey_id = ? and contact_id = ?")
                .params(comment, survey, contact)
                .update();
    }

    /** Of these addresses, those that unsubscribed (in lower case). */
    Set<String> unsubscribed(Collection<String> emails) {
        if (emails.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("select email from survey_unsubscribe where email = any(?)")
                .param(new SqlArrayValue(
                        "text", emails.stream().map(Surveys::normal).distinct().toArray()))
                .query(String.class)
                .list());
    }

    boolean isUnsubscribed(String email) {
        return !unsubscribed(List.of(email)).isEmpty();
    }

    void unsubscribe(String email, UUID survey, Instant at) {
        jdbc.sql("""
                        insert into survey_unsubscribe (email, unsubscribed_at, survey_id) values (?, ?, ?)
                        on conflict (email) do nothing
                        """).params(normal(email), Timestamp.from(at), survey).update();
    }

    /** An address its mail server refused: no more survey mail goes to it, as if it had unsubscribed. */
    void bounced(String email, String detail, Instant at) {
        jdbc.sql("""
                        insert into survey_unsubscribe (email, unsubscribed_at, reason, detail) values (?, ?, 'bounced', ?)
                        on conflict (email) do nothing
                        """).params(normal(email), Timestamp.from(at), detail).update();
    }

    /** Puts an address that unsubscribed back on customer mail; a bounce or a complaint stays. */
    void resubscribe(String email) {
        jdbc.sql("delete from survey_unsubscribe where email = ? and reason = 'unsubscribed'")
                .param(normal(email))
                .update();
    }

    /** An address whose owner reported a message as spam: no more customer mail goes to it. */
    void complained(String email, String detail, Instant at) {
        jdbc.sql("""
                        insert into survey_unsubscribe (email, unsubscribed_at, reason, detail) values (?, ?, 'complaint', ?)
                        on conflict (email) do update set reason = 'complaint', detail = excluded.detail
                        """).params(normal(email), Timestamp.from(at), detail).update();
    }

    /** Of these addresses, those that chose to get no surveys (in lower case). */
    Set<String> optedOut(Collection<String> emails) {
        if (emails.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("select email from survey_opt_out where email = any(?)")
                .param(new SqlArrayValue(
                        "text", emails.stream().map(Surveys::normal).distinct().toArray()))
                .query(String.class)
                .list());
    }

    void optOut(String email, boolean off, Instant at) {
        if (off) {
            jdbc.sql("insert into survey_opt_out (email, opted_at) values (?, ?) on conflict (email) do nothing")
                    .params(normal(email), Timestamp.from(at))
                    .update();
        } else {
            jdbc.sql("delete from survey_opt_out where email = ?")
                    .param(normal(email))
                    .update();
        }
    }

    void removeAccount(UUID account) {
        jdbc.sql("delete from survey_invitation where account_id = ?")
                .param(account)
                .update();
    }

    static String normal(String email) {
        return email.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** One contact asked: where the email went and their answer, if any (the last). */
    record Invitation(
            UUID survey,
            UUID contact,
            UUID account,
            String email,
            @Nullable UUID delivery,
            Instant invitedAt,
            @Nullable Integer score,
            @Nullable String comment,
            @Nullable Instant answeredAt,
            int answers) {}

    private static Survey map(ResultSet rs, int row) throws SQLException {
        Array roles = rs.getArray("roles");
        Timestamp sent = rs.getTimestamp("sent_at");
        return new Survey(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("subject"),
                rs.getString("question"),
                rs.getString("segment"),
                Arrays.asList((String[]) roles.getArray()),
                rs.getObject("created_by", UUID.class),
                rs.getTimestamp("created_at").toInstant(),
                sent == null ? null : sent.toInstant());
    }

    private static Invitation invitation(ResultSet rs, int row) throws SQLException {
        Timestamp answered = rs.getTimestamp("answered_at");
        int score = rs.getInt("score");
        Integer answer = rs.wasNull() ? null : score;
        return new Invitation(
                rs.getObject("survey_id", UUID.class),
                rs.getObject("contact_id", UUID.class),
                rs.getObject("account_id", UUID.class),
                rs.getString("email"),
                rs.getObject("delivery_id", UUID.class),
                rs.getTimestamp("invited_at").toInstant(),
                answer,
                rs.getString("comment"),
                answered == null ? null : answered.toInstant(),
                rs.getInt("answers"));
    }
}
