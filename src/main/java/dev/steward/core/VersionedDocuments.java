package dev.steward.core;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Stores named documents and every version of them, as YAML exactly as it was sent, the way scorecards and segments
 * are kept: each save is a new version (a draft, valid or not, with its problems), publishing a version supersedes the
 * one published before, nothing is overwritten. A draft can be deleted: it leaves the history but its row stays, as
 * {@code deleted}, so that its number is never given to another text (a backtest may have named it). A module keeps its documents in two tables of its own: the documents
 * ({@code id uuid, name text unique, created_at timestamptz}) and their versions ({@code id, <document>_id, version,
 * yaml, status, valid, problems jsonb, author_id, author_name, created_at, published_at}).
 *
 * @param <P> the module's problem type, kept as JSON with each version
 */
public final class VersionedDocuments<P> {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_]+");

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final TypeReference<List<P>> problems;
    private final String documents;
    private final String versions;
    private final String key;
    private final String versionColumns;
    private final String shownColumns;

    /**
     * @param documents the documents' table
     * @param versions the versions' table
     * @param key the versions' column that names their document
     */
    public VersionedDocuments(
            JdbcClient jdbc,
            ObjectMapper json,
            TypeReference<List<P>> problems,
            String documents,
            String versions,
            String key) {
        for (String identifier : List.of(documents, versions, key)) {
            if (!IDENTIFIER.matcher(identifier).matches()) {
                throw new IllegalArgumentException("Not a table or column name: " + identifier);
            }
        }
        this.jdbc = jdbc;
        this.json = json;
        this.problems = problems;
        this.documents = documents;
        this.versions = versions;
        this.key = key;
        this.versionColumns = """
                select d.id as document_id, d.name, v.version, v.status, v.valid, v.author_id, v.author_name,
                       v.created_at, v.published_at, v.yaml, v.problems, to_jsonb(v) -> 'origin' as origin
                  from %s v join %s d on d.id = v.%s""".formatted(versions, documents, key);
        this.shownColumns = versionColumns + " where v.status <> 'deleted' and";
    }

    /** A published version with its document's id. */
    public record Published<P>(UUID id, DocumentText<P> text) {}

    /**
     * A document with the numbers of its published version ({@code null} before the first publication), its newest
     * draft ({@code null} when there is none) and its newest version.
     */
    public record Listed(UUID id, String name, Instant createdAt, Integer published, Integer draft, int newest) {}

    public long count() {
        return jdbc.sql("select count(*) from " + documents).query(Long.class).single();
    }

    /** Creates the document unless one of that name exists; whether it was created. */
    public boolean create(String name, Instant at) {
        return jdbc.sql("insert into " + documents
                                + " (id, name, created_at) values (?, ?, ?) on conflict (name) do nothing")
                        .params(Ids.newId(), name, Timestamp.from(at))
                        .update()
                == 1;
    }

    /**
     * The document's id, locked until the transaction ends, so that concurrent saves number their versions one after
     * the other and concurrent publications do not both supersede the same version.
     */
    public Optional<UUID> lock(String name) {
        return jdbc.sql("select id from " + documents + " where name = ? for update")
                .param(name)
                .query(UUID.class)
                .optional();
    }

    public Optional<UUID> id(String name) {
        return jdbc.sql("select id from " + documents + " where name = ?")
                .param(name)
                .query(UUID.class)
                .optional();
    }

    /** Saves the YAML as the document's next version and answers its number; a draft unless {@code status} says. */
    public int insertVersion(
            UUID document,
            String yaml,
            DocumentVersion.Status status,
            List<P> found,
            UUID authorId,
            String authorName,
            Instant at) {
        int version = jdbc.sql("select coalesce(max(version), 0) + 1 from " + versions + " where " + key + " = ?")
                .param(document)
                .query(Integer.class)
                .single();
        Timestamp time = Timestamp.from(at);
        jdbc.sql("insert into " + versions + " (id, " + key + """
                        , version, yaml, status, valid, problems, author_id, author_name, created_at, published_at)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""")
                .params(
                        Ids.newId(),
                        document,
                        version,
                        yaml,
                        status.value(),
                        found.isEmpty(),
                        json.writeValueAsString(found),
                        authorId,
                        authorName,
                        time,
                        status == DocumentVersion.Status.DRAFT ? null : time)
                .update();
        return version;
    }

    /**
     * Saves the YAML as the document's next draft, recording what made it; only for documents whose versions table
     * has an {@code origin jsonb} column.
     */
    public int insertVersion(
            UUID document,
            String yaml,
            List<P> found,
            UUID authorId,
            String authorName,
            Instant at,
            DocumentVersion.Origin origin) {
        int version = insertVersion(document, yaml, DocumentVersion.Status.DRAFT, found, authorId, authorName, at);
        jdbc.sql("update " + versions + " set origin = ?::jsonb where " + key + " = ? and version = ?")
                .params(json.writeValueAsString(origin), document, version)
                .update();
        return version;
    }

    /** Makes the version the published one, superseding whichever was published before. */
    public void publish(UUID document, int version, Instant at) {
        jdbc.sql("update " + versions + " set status = 'superseded' where " + key + " = ? and status = 'published'")
                .param(document)
                .update();
        jdbc.sql("update " + versions + " set status = 'published', published_at = ? where " + key
                        + " = ? and version = ?")
                .params(Timestamp.from(at), document, version)
                .update();
    }

    /** Deletes the document with its versions (and whatever the module's tables cascade from it). */
    public void delete(UUID document) {
        jdbc.sql("delete from " + documents + " where id = ?").param(document).update();
    }

    /**
     * Deletes a draft: it is no longer found nor listed, and its number is not given again. Deletes nothing but a
     * draft; whether it did.
     */
    public boolean deleteDraft(UUID document, int version) {
        return jdbc.sql("update " + versions + " set status = 'deleted' where " + key
                                + " = ? and version = ? and status = 'draft'")
                        .params(document, version)
                        .update()
                == 1;
    }

    public Optional<DocumentText<P>> find(String name, int version) {
        return jdbc.sql(shownColumns + " d.name = ? and v.version = ?")
                .params(name, version)
                .query(this::text)
                .optional();
    }

    /** The document's versions, newest first; empty when there is no such document. */
    public List<DocumentVersion> history(String name) {
        return jdbc.sql(shownColumns + " d.name = ? order by v.version desc")
                .param(name)
                .query(this::version)
                .list();
    }

    /** The published version of every document, by name. */
    public List<Published<P>> published() {
        return jdbc.sql(versionColumns + " where v.status = 'published' order by d.name")
                .query((rs, row) -> new Published<>(rs.getObject("document_id", UUID.class), text(rs, row)))
                .list();
    }

    /** The published text of every document, exactly as saved: name → YAML, by name. */
    public java.util.Map<String, String> publishedTexts() {
        java.util.Map<String, String> texts = new java.util.TreeMap<>();
        published().forEach(p -> texts.put(p.text().version().name(), p.text().yaml()));
        return texts;
    }

    /** Every document with its published, newest draft and newest version numbers, by name. */
    public List<Listed> listed() {
        return jdbc.sql("""
                        select d.id, d.name, d.created_at,
                               (select v.version from %1$s v where v.%2$s = d.id and v.status = 'published') as published,
                               (select max(v.version) from %1$s v where v.%2$s = d.id and v.status = 'draft') as draft,
                               (select max(v.version) from %1$s v where v.%2$s = d.id and v.status <> 'deleted') as newest
                          from %3$s d order by d.name""".formatted(versions, key, documents))
                .query((rs, row) -> new Listed(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getObject("published", Integer.class),
                        rs.getObject("draft", Integer.class),
                        rs.getInt("newest")))
                .list();
    }

    /** The changes from one version's YAML to another's, as a unified diff; empty when they are the same. */
    public static String diff(String name, DocumentText<?> from, DocumentText<?> to) {
        List<String> original = from.yaml().lines().toList();
        List<String> revised = to.yaml().lines().toList();
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(
                name + " version " + from.version().version(),
                name + " version " + to.version().version(),
                original,
                DiffUtils.diff(original, revised),
                3);
        return diff.isEmpty() ? "" : String.join("\n", diff) + "\n";
    }

    private DocumentText<P> text(ResultSet rs, int row) throws SQLException {
        return new DocumentText<>(
                version(rs, row), rs.getString("yaml"), json.readValue(rs.getString("problems"), problems));
    }

    private DocumentVersion version(ResultSet rs, int row) throws SQLException {
        Timestamp published = rs.getTimestamp("published_at");
        // Only some documents' versions record an origin; to_jsonb reads it as null from the others.
        String origin = rs.getString("origin");
        return new DocumentVersion(
                rs.getString("name"),
                rs.getInt("version"),
                DocumentVersion.Status.of(rs.getString("status")),
                rs.getBoolean("valid"),
                rs.getObject("author_id", UUID.class),
                rs.getString("author_name"),
                rs.getTimestamp("created_at").toInstant(),
                published == null ? null : published.toInstant(),
                origin == null || origin.equals("null") ? null : json.readValue(origin, DocumentVersion.Origin.class));
    }
}
