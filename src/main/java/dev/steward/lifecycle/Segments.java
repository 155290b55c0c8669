package dev.steward.lifecycle;

import dev.steward.core.Ids;
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

/** Stores segments and every version of them. */
@Repository
class Segments {

    private static final String VERSION_COLUMNS = """
            select s.id as segment_id, s.name, v.version, v.status, v.valid, v.author_id, v.author_name, v.created_at,
                   v.published_at, v.yaml, v.problems
              from account_segment_version v join account_segment s on s.id = v.segment_id""";

    private static final TypeReference<List<SegmentProblem>> PROBLEMS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    Segments(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Creates the segment unless it exists. */
    void create(String name, Instant at) {
        jdbc.sql("insert into account_segment (id, name, created_at) values (?, ?, ?) on conflict (name) do nothing")
                .params(Ids.newId(), name, Timestamp.from(at))
                .update();
    }

    /** The segment's id, locked until the transaction ends, so that concurrent saves number versions in turn. */
    Optional<UUID> lock(String name) {
        return jdbc.sql("select id from account_segment where name = ? for update")
                .param(name)
                .query(UUID.class)
                .optional();
    }

    Optional<UUID> id(String name) {
        return jdbc.sql("select id from account_segment where name = ?")
                .param(name)
                .query(UUID.class)
                .optional();
    }

    List<String> names() {
        return jdbc.sql("select name from account_segment order by name")
                .query(String.class)
                .list();
    }

    int nextVersion(UUID segment) {
        return jdbc.sql("select coalesce(max(version), 0) + 1 from account_segment_version where segment_id = ?")
                .param(segment)
                .query(Integer.class)
                .single();
    }

    void insertVersion(
            UUID segment,
            int version,
            String yaml,
            List<SegmentProblem> problems,
            UUID authorId,
            String authorName,
            Instant at) {
        jdbc.sql("""
                        insert into account_segment_version (id, segment_id, version, yaml, status, valid, problems, author_id,
                                                     author_name, created_at)
                        values (?, ?, ?, ?, 'draft', ?, ?::jsonb, ?, ?, ?)""")
                .params(
                        Ids.newId(),
                        segment,
                        version,
                        yaml,
                        problems.isEmpty(),
                        json.writeValueAsString(problems),
                        authorId,
                        authorName,
                        Timestamp.from(at))
                .update();
    }

    /** Makes the version the published one, superseding whichever was published before. */
    void publish(UUID segment, int version, Instant at) {
        jdbc.sql(
                        "update account_segment_version set status = 'superseded' where segment_id = ? and status = 'published'")
                .param(segment)
                .update();
        jdbc.sql(
                        "update account_segment_version set status = 'published', published_at = ? where segment_id = ? and version = ?")
                .params(Timestamp.from(at), segment, version)
                .update();
    }

    void delete(UUID segment) {
        jdbc.sql("delete from account_segment where id = ?").param(segment).update();
    }

    Optional<SegmentText> find(String name, int version) {
        return jdbc.sql(VERSION_COLUMNS + " where s.name = ? and v.version = ?")
                .params(name, version)
                .query(this::text)
                .optional();
    }

    List<SegmentVersion> history(String name) {
        return jdbc.sql(VERSION_COLUMNS + " where s.name = ? order by v.version desc")
                .param(name)
                .query(Segments::version)
                .list();
    }

    /** The published version of every segment, by name, with the segment's id. */
    List<Published> published() {
        return jdbc.sql(VERSION_COLUMNS + " where v.status = 'published' order by s.name")
                .query((rs, row) -> new Published(rs.getObject("segment_id", UUID.class), text(rs, row)))
                .list();
    }

    /** Each segment with the numbers of its published version and newest version, by name. */
    List<Listed> listed() {
        return jdbc.sql("""
                        select s.id, s.name,
                               (select v.version from account_segment_version v
                                 where v.segment_id = s.id and v.status = 'published') as published,
                               (select max(v.version) from account_segment_version v where v.segment_id = s.id) as newest
                          from account_segment s order by s.name""")
                .query((rs, row) -> new Listed(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getObject("published", Integer.class),
                        rs.getInt("newest")))
                .list();
    }

    /** A published segment version with its segment's id. */
    record Published(UUID id, SegmentText text) {}

    /** A segment with its published version number ({@code null} before the first publication) and newest one. */
    record Listed(UUID id, String name, Integer published, int newest) {}

    private SegmentText text(ResultSet rs, int row) throws SQLException {
        return new SegmentText(
                version(rs, row), rs.getString("yaml"), json.readValue(rs.getString("problems"), PROBLEMS));
    }

    private static SegmentVersion version(ResultSet rs, int row) throws SQLException {
        Timestamp published = rs.getTimestamp("published_at");
        return new SegmentVersion(
                rs.getString("name"),
                rs.getInt("version"),
                SegmentVersion.Status.of(rs.getString("status")),
                rs.getBoolean("valid"),
                rs.getObject("author_id", UUID.class),
                rs.getString("author_name"),
                rs.getTimestamp("created_at").toInstant(),
                published == null ? null : published.toInstant());
    }
}
