package dev.steward.health.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Writes a scorecard as YAML with keys always in the same order, so that versions diff line by line. */
final class ScorecardWriter {

    private ScorecardWriter() {}

    static String write(Scorecard scorecard) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", scorecard.name());
        document.put("appliesTo", scorecard.appliesTo());
        document.put("priority", scorecard.priority());
        Map<String, Object> thresholds = new LinkedHashMap<>();
        thresholds.put("red", scorecard.thresholds().red());
        thresholds.put("yellow", scorecard.thresholds().yellow());
        document.put("thresholds", thresholds);
        document.put("minimumCoverage", number(scorecard.minimumCoverage()));
        List<Object> dimensions = new ArrayList<>();
        for (Dimension dimension : scorecard.dimensions()) {
            Map<String, Object> written = new LinkedHashMap<>();
            written.put("name", dimension.name());
            written.put("weight", dimension.weight());
            List<Object> measures = new ArrayList<>();
            for (Measure measure : dimension.measures()) {
                measures.add(measure(measure));
            }
            written.put("measures", measures);
            dimensions.add(written);
        }
        document.put("dimensions", dimensions);

        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        return new Yaml(options).dump(document);
    }

    private static Map<String, Object> measure(Measure measure) {
        Map<String, Object> written = new LinkedHashMap<>();
        written.put("name", measure.name());
        written.put("metric", measure.metric());
        written.put("aggregate", measure.aggregate().name());
        written.put("window", measure.window().toString());
        written.put("weight", measure.weight());
        written.put("score", rule(measure.score()));
        return written;
    }

    private static Map<String, Object> rule(ScoreRule rule) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (rule instanceof ScoreRule.Linear) {
            ScoreRule.Linear linear = (ScoreRule.Linear) rule;
            body.put("from", number(linear.from()));
            body.put("to", number(linear.to()));
            return Map.of("linear", body);
        }
        if (rule instanceof ScoreRule.Percentile) {
            body.put("within", ((ScoreRule.Percentile) rule).within());
            return Map.of("percentile", body);
        }
        ScoreRule.Bands bands = (ScoreRule.Bands) rule;
        List<Object> written = new ArrayList<>();
        for (ScoreRule.Band band : bands.bands()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put(band.direction().name().toLowerCase(), number(band.bound()));
            one.put("points", number(band.points()));
            written.add(one);
        }
        written.add(Map.of("else", number(bands.otherwise())));
        return Map.of("bands", written);
    }

    /** Whole numbers are written without ".0", as a person would write them. */
    private static Object number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : (Object) value;
    }
}
