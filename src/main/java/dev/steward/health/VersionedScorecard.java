package dev.steward.health;

import dev.steward.health.engine.Dimension;
import dev.steward.health.engine.Measure;
import dev.steward.health.engine.Scorecard;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A scorecard document together with the name and version it was saved under, which stored scores refer to. */
public record VersionedScorecard(String name, int version, Scorecard scorecard) {

    public VersionedScorecard {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scorecard, "scorecard");
    }

    /** The measures in the order stored scores list their values: dimension by dimension, as the document has them. */
    public List<Measure> measures() {
        List<Measure> measures = new ArrayList<>();
        for (Dimension dimension : scorecard.dimensions()) {
            measures.addAll(dimension.measures());
        }
        return measures;
    }

    /** "Mid-Market v3". */
    public String label() {
        return name + " v" + version;
    }
}
