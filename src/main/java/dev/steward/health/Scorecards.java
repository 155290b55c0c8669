package dev.steward.health;

import dev.steward.core.Ids;
import dev.steward.health.engine.ScorecardProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Stores scorecards and every version of them. */
@Repository
class Scorecards {

    private static final String VERSION_COLUMNS = """
            select s.name, v.version, v.status, v.valid, v.author_id, v.author_name, v.created_at, v.published_at,
                   v.yaml, v.problems
              from scorecard_version v join scorecard s on s.id = v.scorecard_id""";

    private static final TypeReference<List<ScorecardProblem>> PROBLEMS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    Scorecards(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    long count() {
        return jdbc.sql("select count(*) from scorecard").query(Long.class).single();
    }

    /** Creates the scorecard unless it exists; whether it was created (so two instances never import twice). */
    boolean create(UUID id, String name, Instant at) {
        return jdbc.sql("insert into scorecard (id, name, created_at) values (?, ?, ?) on conflict (name) do nothing")
                        .params(id, name, Timestamp.from(at))
                        .update()
                == 1;
    }

    /**
     * The scorecard's id, locked until the transaction ends, so that concurrent saves number their versions one after
     * the other and concurrent publications do not both supersede the same version.
     */
    Optional<UUID> lock(String name) {
        return jdbc.sql("select id from scorecard where name = ? for update")
                .param(name)
                .query(UUID.class)
                .optional();
    }

    int nextVersion(UUID scorecard) {
        return jdbc.sql("select coalesce(max(version), 0) + 1 from scorecard_version where scorecard_id = ?")
                .param(scorecard)
                .query(Integer.class)
                .single();
    }

    void insertVersion(
            UUID scorecard,
            int version,
            String yaml,
            ScorecardVersion.Status status,
            List<ScorecardProblem> problems,
            UUID authorId,
            String authorName,
            Instant at) {
        Timestamp time = Timestamp.from(at);
        jdbc.sql("""
                        insert into scorecard_version (id, scorecard_id, version, yaml, status, valid, problems,
                                                       author_id, author_name, created_at, published_at)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""")
                .params(
                        Ids.newId(),
                        scorecard,
                        version,
                        yaml,
                        status.value(),
                        problems.isEmpty(),
                        json.writeValueAsString(problems),
                        authorId,
                        authorName,
                        time,
                        status == ScorecardVersion.Status.DRAFT ? null : time)
                .update();
    }

    /** Makes the version the published one, superseding whichever was published before. */
    void publish(UUID scorecard, int version, Instant at) {
        jdbc.sql("update scorecard_version set status = 'superseded' where scorecard_id = ? and status = 'published'")
                .param(scorecard)
                .update();
        jdbc.sql("""
                        update scorecard_version set status = 'published', published_at = ?
                         where scorecard_id = ? and version = ?""").params(Timestamp.from(at), scorecard, version).update();
    }

    Optional<ScorecardText> find(String name, int version) {
        return jdbc.sql(VERSION_COLUMNS + " where s.name = ? and v.version = ?")
                .params(name, version)
                .query(this::text)
                .optional();
    }

    List<ScorecardVersion> history(String name) {
        return jdbc.sql(VERSION_COLUMNS + " where s.name = ? order by v.version desc")
                .param(name)
                .query(Scorecards::version)
                .list();
    }

    /** The published version of every scorecard, by name. */
    List<ScorecardText> published() {
        return jdbc.sql(VERSION_COLUMNS + " where v.status = 'published' order by s.name")
                .query(this::text)
                .list();
    }

    /** Each scorecard with its published version and its newest draft, by name. */
    List<Listed> listed() {
        return jdbc.sql("""
                        select s.name, s.created_at,
                               (select v.version from scorecard_version v
                                 where v.scorecard_id = s.id and v.status = 'published') as published,
                               (select max(v.version) from scorecard_version v
                                 where v.scorecard_id = s.id and v.status = 'draft') as draft
                          from scorecard s order by s.name""")
                .query((rs, row) -> new Listed(
                        rs.getString("name"),
                        rs.getObject("published", Integer.class),
                        rs.getObject("draft", Integer.class),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /** A scorecard with the numbers of its published version and newest draft, either of which may be missing. */
    record Listed(String name, Integer published, Integer draft, Instant createdAt) {}

    private ScorecardText text(ResultSet rs, int row) throws SQLException {
        return new ScorecardText(
                version(rs, row), rs.getString("yaml"), json.readValue(rs.getString("problems"), PROBLEMS));
    }

    private static ScorecardVersion version(ResultSet rs, int row) throws SQLException {
        Timestamp published = rs.getTimestamp("published_at");
        return new ScorecardVersion(
                rs.getString("name"),
                rs.getInt("version"),
                ScorecardVersion.Status.of(rs.getString("status")),
                rs.getBoolean("valid"),
                rs.getObject("author_id", UUID.class),
                rs.getString("author_name"),
                rs.getTimestamp("created_at").toInstant(),
                published == null ? null : published.toInstant());
    }
}
