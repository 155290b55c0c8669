package dev.steward.usage;

import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.identity.ConfigurationPart;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The usage metric catalog in a configuration bundle, first of all kinds: sources map events to these metrics and
 * scorecards and segments read them. A metric's document is its name, description, unit and aggregation under its key.
 * A metric here that the bundle changes keeps its key and history; its aggregation may not change, because every day
 * already stored was combined by it.
 */
@Configuration(proxyBeanMethods = false)
class MetricBundlePart {

    @Bean
    ConfigurationPart metricsBundlePart(UsageMetrics metrics, Validator validator) {
        return ConfigurationPart.of("metrics", 1, () -> documents(metrics), (key, yaml, author) -> {
            UsageMetric wanted = read(key, yaml, validator);
            UsageMetric here = metrics.reloaded().get(key);
            if (here == null) {
                metrics.add(wanted);
            } else if (here.aggregation() != wanted.aggregation()) {
                throw ConflictException.of("metric '" + key + "' combines its days by " + here.aggregation()
                        + " here; its stored days cannot be combined by " + wanted.aggregation() + " instead");
            } else {
                metrics.describe(wanted);
            }
        });
    }

    private static Map<String, String> documents(UsageMetrics metrics) {
        Map<String, String> documents = new TreeMap<>();
        metrics.reloaded().values().forEach(metric -> documents.put(metric.key(), write(metric)));
        return documents;
    }

    static String write(UsageMetric metric) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", metric.name());
        if (metric.description() != null && !metric.description().isBlank()) {
            document.put("description", metric.description());
        }
        document.put("unit", metric.unit());
        document.put("aggregation", metric.aggregation().name());
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        return new Yaml(options).dump(document);
    }

    static UsageMetric read(String key, String yaml, Validator validator) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new InvalidInputException(
                    "metric", "is not YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new InvalidInputException("metric", "must be a mapping of name, description, unit and aggregation");
        }
        List<FieldError> errors = new ArrayList<>();
        for (Object field : map.keySet()) {
            if (!Set.of("name", "description", "unit", "aggregation").contains(String.valueOf(field))) {
                errors.add(FieldError.of(
                        String.valueOf(field), "is not a field of a metric (name, description, unit, aggregation)"));
            }
        }
        UsageMetric.Aggregation aggregation = null;
        Object given = map.get("aggregation");
        try {
            aggregation = given == null ? null : UsageMetric.Aggregation.valueOf(String.valueOf(given));
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of(
                    "aggregation", "'" + given + "' is not one of " + List.of(UsageMetric.Aggregation.values())));
        }
        UsageMetric metric = new UsageMetric(
                key, text(map.get("name")), text(map.get("description")), text(map.get("unit")), aggregation);
        for (ConstraintViolation<UsageMetric> violation : validator.validate(metric)) {
            errors.add(FieldError.of(violation.getPropertyPath().toString(), violation.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return metric;
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
