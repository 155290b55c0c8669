package dev.steward.identity;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One kind of configuration document that a configuration bundle carries (scorecards, segments, the lifecycle
 * journey, assignment rules, playbooks), implemented by the module that owns it. The bundle reads what is in force,
 * and applies a bundle's documents kind by kind in {@link #order()} — what other documents name first — each as a new
 * version published by the importing user, with the module's own checks.
 */
public interface ConfigurationPart {

    /** The key of this kind in a bundle, e.g. {@code segments}. */
    String kind();

    /** Kinds are applied from the lowest order to the highest. */
    int order();

    /** Every document of this kind in force: name → its published YAML, exactly as saved. */
    Map<String, String> published();

    /**
     * Saves the text as the document's next version and publishes it, as the author, in the caller's transaction.
     * Refuses by the module's own exceptions (problems with line, field and reason; a conflict), which the bundle
     * reports against the document.
     */
    void publish(String name, String yaml, User author);

    /** What publishes one document, for {@link #of}. */
    @FunctionalInterface
    interface Publisher {
        void publish(String name, String yaml, User author);
    }

    /** A part made of its kind, its order, what is in force and how a document is published. */
    static ConfigurationPart of(String kind, int order, Supplier<Map<String, String>> published, Publisher publisher) {
        return new ConfigurationPart() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public int order() {
                return order;
            }

            @Override
            public Map<String, String> published() {
                return published.get();
            }

            @Override
            public void publish(String name, String yaml, User author) {
                publisher.publish(name, yaml, author);
            }
        };
    }
}
