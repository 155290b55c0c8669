package dev.steward.lifecycle;

import dev.steward.core.VersionedDocuments;
import dev.steward.customer.JourneyStage;
import dev.steward.customer.JourneyStages;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * Lets the accounts list and API offer and check the journey's stages in their stage filter: those of the journey in
 * force, in order. A published version never changes, so its stages are read once per version rather than once per
 * list request (reading the document compiles its rules).
 */
@Component
class JourneyStageChoices implements JourneyStages {

    private final LifecycleManagement lifecycle;
    private final AtomicReference<Read> last = new AtomicReference<>();

    JourneyStageChoices(LifecycleManagement lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** The stages of one published version of the journey. */
    private record Read(UUID document, int version, List<JourneyStage> stages) {}

    @Override
    public List<JourneyStage> stages() {
        VersionedDocuments.Published<SegmentProblem> published = lifecycle.published();
        if (published == null) {
            return List.of();
        }
        int version = published.text().version().version();
        Read read = last.get();
        if (read != null && read.document().equals(published.id()) && read.version() == version) {
            return read.stages();
        }
        JourneyDocument document = lifecycle.read(published.text().yaml()).document();
        if (document == null) {
            return List.of();
        }
        List<JourneyStage> stages = document.stages().stream()
                .map(stage -> new JourneyStage(stage.key(), stage.name()))
                .toList();
        last.set(new Read(published.id(), version, stages));
        return stages;
    }
}
