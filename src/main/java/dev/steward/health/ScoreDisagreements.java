package dev.steward.health;

import dev.steward.health.engine.Color;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Stored disagreements with scores: at most one open per account and person; reviewed ones stay. */
@Repository
class ScoreDisagreements {

    /** The reviews a listing may ask for. */
    enum Filter {
        OPEN("decision is null"),
        REVIEWED("decision is not null"),
        ALL("true");

        private final String where;

        Filter(String where) {
            this.where = where;
        }
    }

    private final JdbcClient jdbc;

    ScoreDisagreements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void add(ScoreDisagreement d) {
        jdbc.sql("""
                        insert into health_score_disagreement
                            (id, account_id, day, model_color, model_score, scorecard, scorecard_version,
                             suggested_color, reason, author_id, author_login, author_name, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        d.id(),
                        d.account(),
                        d.day(),
                        d.modelColor().value(),
                        d.modelScore(),
                        d.scorecard(),
                        d.scorecardVersion(),
                        d.suggestedColor().value(),
                        d.reason(),
                        d.authorId(),
                        d.authorLogin(),
                        d.author(),
                        Timestamp.from(d.createdAt()))
                .update();
    }

    Optional<ScoreDisagreement> find(UUID id) {
        return jdbc.sql("select * from health_score_disagreement where id = ?")
                .param(id)
                .query(ScoreDisagreements::disagreement)
                .optional();
    }

    /** The person's open disagreement with the account's score, if any. */
    Optional<ScoreDisagreement> open(UUID account, String authorLogin) {
        return jdbc.sql("""
                        select * from health_score_disagreement
                         where account_id = ? and author_login = ? and decision is null""")
                .params(account, authorLogin)
                .query(ScoreDisagreements::disagreement)
                .optional();
    }

    /** The account's disagreements, newest first. */
    List<ScoreDisagreement> ofAccount(UUID account) {
        return jdbc.sql("select * from health_score_disagreement where account_id = ? order by created_at desc, id")
                .param(account)
                .query(ScoreDisagreements::disagreement)
                .list();
    }

    /** Disagreements under review or reviewed, oldest open first, then newest reviewed first. */
    List<ScoreDisagreement> list(Filter filter) {
        return jdbc.sql("select * from health_score_disagreement where " + filter.where
                        + " order by decision is not null, case when decision is null then created_at end,"
                        + " reviewed_at desc, id")
                .query(ScoreDisagreements::disagreement)
                .list();
    }

    /** Records a review of an open disagreement; empty when it was reviewed already. */
    Optional<ScoreDisagreement> review(
            UUID id, ScoreDisagreement.Decision decision, String note, String by, Instant at) {
        return jdbc.sql("""
                        update health_score_disagreement
                           set decision = ?, review_note = ?, reviewed_by = ?, reviewed_at = ?
                         where id = ? and decision is null
                        returning *""")
                .params(decision.value(), note, by, Timestamp.from(at), id)
                .query(ScoreDisagreements::disagreement)
                .optional();
    }

    void deleteAccount(UUID account) {
        jdbc.sql("delete from health_score_disagreement where account_id = ?")
                .param(account)
                .update();
    }

    private static ScoreDisagreement disagreement(ResultSet rs, int row) throws SQLException {
        String decision = rs.getString("decision");
        Timestamp reviewedAt = rs.getTimestamp("reviewed_at");
        return new ScoreDisagreement(
                rs.getObject("id", UUID.class),
                rs.getObject("account_id", UUID.class),
                rs.getObject("day", java.time.LocalDate.class),
                Color.of(rs.getString("model_color")),
                rs.getDouble("model_score"),
                rs.getString("scorecard"),
                rs.getInt("scorecard_version"),
                Color.of(rs.getString("suggested_color")),
                rs.getString("reason"),
                rs.getObject("author_id", UUID.class),
                rs.getString("author_login"),
                rs.getString("author_name"),
                rs.getTimestamp("created_at").toInstant(),
                decision == null
                        ? null
                        : ScoreDisagreement.Decision.valueOf(decision.toUpperCase(java.util.Locale.ROOT)),
                rs.getString("review_note"),
                rs.getString("reviewed_by"),
                reviewedAt == null ? null : reviewedAt.toInstant());
    }
}
