package dev.steward.ingest.csv;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** Uploaded files waiting to be (or already) imported, and the mappings saved per source and kind of record. */
@Repository
class CsvUploads {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    CsvUploads(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** An upload as stored, without its content. */
    record Upload(
            UUID id,
            UUID sourceId,
            String source,
            CsvEntity entity,
            String fileName,
            CsvMapping mapping,
            String mappingOrigin,
            ImportReport report,
            Instant uploadedAt,
            Instant expiresAt) {}

    void insert(Upload upload, byte[] content, String uploadedBy) {
        jdbc.sql("""
                        insert into ingest_csv_upload (id, source_id, entity, file_name, content, mapping, mapping_origin,
                                                       uploaded_by, uploaded_at, expires_at)
                        values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""")
                .params(
                        upload.id(),
                        upload.sourceId(),
                        upload.entity().name(),
                        upload.fileName(),
                        content,
                        json.writeValueAsString(upload.mapping()),
                        upload.mappingOrigin(),
                        uploadedBy,
                        Timestamp.from(upload.uploadedAt()),
                        Timestamp.from(upload.expiresAt()))
                .update();
    }

    Optional<Upload> find(UUID id, Instant now) {
        return jdbc.sql("""
                        select u.id, u.source_id, s.name as source, u.entity, u.file_name, u.mapping, u.mapping_origin,
                               u.report, u.uploaded_at, u.expires_at
                        from ingest_csv_upload u join ingest_source s on s.id = u.source_id
                        where u.id = ? and u.expires_at > ?""").params(id, Timestamp.from(now)).query(this::upload).optional();
    }

    byte[] content(UUID id) {
        return jdbc.sql("select content from ingest_csv_upload where id = ?")
                .param(id)
                .query(byte[].class)
                .single();
    }

    Optional<byte[]> rejectedCsv(UUID id) {
        return jdbc.sql("select rejected_csv from ingest_csv_upload where id = ? and rejected_csv is not null")
                .param(id)
                .query(byte[].class)
                .optional();
    }

    void changeMapping(UUID id, CsvMapping mapping, String origin) {
        jdbc.sql("update ingest_csv_upload set mapping = ?::jsonb, mapping_origin = ? where id = ?")
                .params(json.writeValueAsString(mapping), origin, id)
                .update();
    }

    void imported(UUID id, ImportReport report, byte[] rejectedCsv) {
        jdbc.sql("update ingest_csv_upload set report = ?::jsonb, rejected_csv = ? where id = ?")
                .params(json.writeValueAsString(report), rejectedCsv, id)
                .update();
    }

    /** Removes uploads past their expiry; run on each upload, so no scheduler is needed and any instance may do it. */
    int removeExpired(Instant now) {
        return jdbc.sql("delete from ingest_csv_upload where expires_at <= ?")
                .param(Timestamp.from(now))
                .update();
    }

    Optional<CsvMapping> savedMapping(UUID sourceId, CsvEntity entity) {
        return jdbc.sql("select mapping from ingest_csv_mapping where source_id = ? and entity = ?")
                .params(sourceId, entity.name())
                .query((rs, n) -> json.readValue(rs.getString(1), CsvMapping.class))
                .optional();
    }

    void saveMapping(UUID sourceId, CsvEntity entity, CsvMapping mapping, Instant now) {
        jdbc.sql("""
                        insert into ingest_csv_mapping (source_id, entity, mapping, updated_at) values (?, ?, ?::jsonb, ?)
                        on conflict (source_id, entity) do update set mapping = excluded.mapping,
                                                                      updated_at = excluded.updated_at""")
                .params(sourceId, entity.name(), json.writeValueAsString(mapping), Timestamp.from(now))
                .update();
    }

    private Upload upload(ResultSet rs, int row) throws SQLException {
        String report = rs.getString("report");
        return new Upload(
                rs.getObject("id", UUID.class),
                rs.getObject("source_id", UUID.class),
                rs.getString("source"),
                CsvEntity.valueOf(rs.getString("entity")),
                rs.getString("file_name"),
                json.readValue(rs.getString("mapping"), CsvMapping.class),
                rs.getString("mapping_origin"),
                report == null ? null : json.readValue(report, ImportReport.class),
                rs.getTimestamp("uploaded_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant());
    }
}
