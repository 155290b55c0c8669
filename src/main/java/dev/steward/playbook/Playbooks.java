package dev.steward.playbook;

import dev.steward.core.Conditions;
import dev.steward.core.VersionedDocuments;
import dev.steward.lifecycle.AccountConditions;
import dev.steward.lifecycle.SegmentManagement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Where playbooks and every version of them are kept ({@code playbook}, {@code playbook_version}), and the playbooks
 * in force: the published version of each playbook that is not retired, read and compiled against today's
 * declarations.
 */
@Component
class Playbooks {

    private static final Logger log = LoggerFactory.getLogger(Playbooks.class);

    private final VersionedDocuments<PlaybookProblem> documents;
    private final AccountConditions conditions;
    private final SegmentManagement segments;
    private final JdbcClient jdbc;

    Playbooks(JdbcClient jdbc, ObjectMapper json, AccountConditions conditions, SegmentManagement segments) {
        this.documents = new VersionedDocuments<>(
                jdbc, json, new TypeReference<>() {}, "playbook", "playbook_version", "playbook_id");
        this.conditions = conditions;
        this.segments = segments;
        this.jdbc = jdbc;
    }

    VersionedDocuments<PlaybookProblem> documents() {
        return documents;
    }

    /** A reader that checks documents against the declarations, stages and segments there are now. */
    PlaybookDocuments reader() {
        return reader(conditions.declarations());
    }

    private PlaybookDocuments reader(Conditions declarations) {
        return new PlaybookDocuments(declarations, conditions.stageKeys(), new HashSet<>(segments.publishedNames()));
    }

    /** A playbook in force: its id, published version, document and compiled conditions. */
    record Active(
            UUID id, int version, PlaybookDocument document, Conditions.Compiled when, Conditions.Compiled condition) {

        String name() {
            return document.name();
        }

        PlaybookDocument.TriggerType trigger() {
            return document.trigger().type();
        }
    }

    /** The playbooks in force, by name; one whose published version no longer reads (a stage was removed) is skipped. */
    List<Active> active() {
        Set<UUID> retired = retired();
        List<VersionedDocuments.Published<PlaybookProblem>> published = documents.published();
        List<Active> active = new ArrayList<>();
        if (published.isEmpty()) {
            return active;
        }
        Conditions declarations = conditions.declarations();
        PlaybookDocuments reader = reader(declarations);
        for (VersionedDocuments.Published<PlaybookProblem> p : published) {
            if (retired.contains(p.id())) {
                continue;
            }
            Active compiled = compile(
                    reader,
                    declarations,
                    p.id(),
                    p.text().version().version(),
                    p.text().yaml());
            if (compiled != null) {
                active.add(compiled);
            }
        }
        return active;
    }

    /** A document compiled to run, or {@code null} (logged) when it no longer reads. */
    static Active compile(PlaybookDocuments reader, Conditions declarations, UUID id, int version, String yaml) {
        PlaybookDocuments.Check check = reader.read(yaml, null);
        if (!check.isValid()) {
            log.warn("Playbook {} version {} is not run: {}", id, version, check.problems());
            return null;
        }
        PlaybookDocument document = check.document();
        return new Active(
                id,
                version,
                document,
                document.when() == null ? null : declarations.compile(document.when()),
                document.trigger().condition() == null
                        ? null
                        : declarations.compile(document.trigger().condition()));
    }

    Active compile(String yaml) {
        Conditions declarations = conditions.declarations();
        return compile(reader(declarations), declarations, null, 0, yaml);
    }

    Set<UUID> retired() {
        return new HashSet<>(jdbc.sql("select id from playbook where retired_at is not null")
                .query(UUID.class)
                .list());
    }

    boolean isRetired(UUID playbook) {
        return jdbc.sql("select retired_at is not null from playbook where id = ?")
                .param(playbook)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    void retire(UUID playbook, Instant at) {
        jdbc.sql("update playbook set retired_at = ? where id = ?")
                .params(at == null ? null : Timestamp.from(at), playbook)
                .update();
    }
}
