package dev.steward.lifecycle;

import dev.steward.core.InvalidInputException;
import dev.steward.core.VersionedDocuments;
import dev.steward.identity.ConfigurationPart;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lifecycle's documents in a configuration bundle: segments first (journeys, rules and scorecards name them), then
 * the journey and the assignment rules, each one document under its fixed name.
 */
@Configuration(proxyBeanMethods = false)
class LifecycleBundleParts {

    @Bean
    ConfigurationPart segmentsBundlePart(
            SegmentManagement segments, VersionedDocuments<SegmentProblem> segmentDocuments) {
        return ConfigurationPart.of("segments", 10, segmentDocuments::publishedTexts, (name, yaml, author) -> {
            int version = segments.saveDraft(name, yaml, author).version().version();
            segments.publish(name, version, author);
        });
    }

    @Bean
    ConfigurationPart journeyBundlePart(LifecycleManagement lifecycle, Journeys journeys) {
        return ConfigurationPart.of("lifecycle", 20, () -> only(journeys, Journeys.NAME), (name, yaml, author) -> {
            requireName(name, Journeys.NAME, "lifecycle");
            lifecycle.publish(lifecycle.saveDraft(yaml, author).version().version(), author);
        });
    }

    @Bean
    ConfigurationPart assignmentBundlePart(BooksOfBusiness books, Journeys journeys) {
        return ConfigurationPart.of(
                "assignment", 25, () -> only(journeys, Journeys.ASSIGNMENT), (name, yaml, author) -> {
                    requireName(name, Journeys.ASSIGNMENT, "assignment");
                    books.publish(books.saveDraft(yaml, author).version().version(), author);
                });
    }

    private static Map<String, String> only(Journeys journeys, String name) {
        String yaml = journeys.documents().publishedTexts().get(name);
        return yaml == null ? Map.of() : Map.of(name, yaml);
    }

    private static void requireName(String name, String expected, String kind) {
        if (!expected.equals(name)) {
            throw new InvalidInputException(
                    kind, "holds one document, named '" + expected + "'; '" + name + "' is not it");
        }
    }
}
