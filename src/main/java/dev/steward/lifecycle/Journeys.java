package dev.steward.lifecycle;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.NotFoundException;
import dev.steward.core.VersionedDocuments;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Where the lifecycle's named documents and every version of them are kept ({@code lifecycle_journey} and its
 * versions): the journey (one is in force: the published version of the document named {@value #NAME}) and the
 * assignment rules ({@value #ASSIGNMENT}). Saving, publishing and reading versions is the same for both.
 */
@Component
class Journeys {

    static final String NAME = "Customer journey";

    /** The name of the assignment rules (books of business), kept as a document beside the journey. */
    static final String ASSIGNMENT = "Books of business";

    private final VersionedDocuments<SegmentProblem> documents;

    Journeys(JdbcClient jdbc, ObjectMapper json) {
        this.documents = new VersionedDocuments<>(
                jdbc, json, new TypeReference<>() {}, "lifecycle_journey", "lifecycle_journey_version", "journey_id");
    }

    VersionedDocuments<SegmentProblem> documents() {
        return documents;
    }

    /** The published version of the named document, if there is one. */
    Optional<VersionedDocuments.Published<SegmentProblem>> published(String name) {
        return documents.published().stream()
                .filter(p -> p.text().version().name().equals(name))
                .findFirst();
    }

    /** The named document's versions, newest first. */
    List<DocumentVersion> history(String name) {
        return documents.history(name);
    }

    /** One version of the named document; {@code what} names it in the answer when there is no such version. */
    DocumentText<SegmentProblem> version(String name, int version, String what) {
        return documents
                .find(name, version)
                .orElseThrow(() -> new NotFoundException(what + " has no version " + version + "."));
    }

    /** Saves YAML as the named document's next version (created on its first save) and answers its number. */
    int insert(
            String name,
            String yaml,
            DocumentVersion.Status status,
            List<SegmentProblem> problems,
            UUID authorId,
            String author,
            Instant at) {
        documents.create(name, at);
        UUID id = documents.lock(name).orElseThrow();
        return documents.insertVersion(id, yaml, status, problems, authorId, author, at);
    }

    /**
     * Puts a version of the named document in force, superseding the published one, unless {@code problems} finds any
     * in its YAML (then refused with them all); answers whether it was newly published (it may have been already).
     */
    boolean publish(
            String name, int version, String what, Function<String, List<SegmentProblem>> problems, Instant at) {
        UUID id = documents.lock(name).orElseThrow(() -> new NotFoundException(what, name));
        DocumentText<SegmentProblem> text = version(name, version, what);
        if (text.version().status() == DocumentVersion.Status.PUBLISHED) {
            return false;
        }
        List<SegmentProblem> found = problems.apply(text.yaml());
        if (!found.isEmpty()) {
            throw SegmentManagement.refused(found);
        }
        documents.publish(id, version, at);
        return true;
    }
}
