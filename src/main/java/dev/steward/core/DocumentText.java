package dev.steward.core;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * One version of a versioned document with its YAML exactly as saved and the problems found when it was saved.
 *
 * @param <P> the document kind's problem (line, field, reason)
 */
public record DocumentText<P>(@JsonUnwrapped DocumentVersion version, String yaml, List<P> problems) {

    public DocumentText {
        problems = List.copyOf(problems);
    }
}
