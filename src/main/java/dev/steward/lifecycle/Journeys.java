package dev.steward.lifecycle;

import dev.steward.core.VersionedDocuments;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Where the journey document and every version of it are kept ({@code lifecycle_journey} and its versions). One
 * journey is in force: the published version of the document named {@value #NAME}.
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
}
