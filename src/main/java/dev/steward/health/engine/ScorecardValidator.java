package dev.steward.health.engine;

import dev.steward.core.Conditions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks that look across fields of a scorecard (weight totals, names, metrics, the {@code appliesTo} condition)
 * or across a set of scorecards (priorities); fields that could not be read are skipped, being reported already.
 */
final class ScorecardValidator {

    private ScorecardValidator() {}

    static List<ScorecardProblem> check(
            Scorecard scorecard, Positions positions, Set<String> metrics, KnownSegments segments) {
        List<ScorecardProblem> problems = new ArrayList<>();
        if (!positions.isBroken("name")) {
            String nameProblem = ScorecardDocuments.nameProblem(scorecard.name());
            if (nameProblem != null) {
                problems.add(positions.problem("name", nameProblem));
            }
        }
        if (!positions.isBroken("appliesTo")) {
            if (scorecard.appliesTo().isBlank()) {
                problems.add(positions.problem("appliesTo", "must not be blank; write true to apply to every account"));
            } else {
                AccountConditions.Compiled condition = AccountConditions.compile(scorecard.appliesTo());
                if (!condition.compiles()) {
                    problems.add(positions.problem("appliesTo", "does not compile as CEL: " + condition.error()));
                } else {
                    checkSegments(scorecard.appliesTo(), positions, segments, problems);
                }
            }
        }
        Map<String, String> dimensionNames = new HashMap<>();
        Map<String, String> measureNames = new HashMap<>();
        List<Dimension> dimensions = scorecard.dimensions();
        if (dimensions.isEmpty() && !positions.isBroken("dimensions")) {
            problems.add(positions.problem("dimensions", "must have at least one dimension"));
        }
        List<Integer> dimensionWeights = new ArrayList<>();
        for (int i = 0; i < dimensions.size(); i++) {
            Dimension dimension = dimensions.get(i);
            String path = "dimensions[" + i + "]";
            checkName(dimension.name(), path, "dimension", dimensionNames, positions, problems);
            dimensionWeights.add(weight(dimension.weight(), path, positions, problems));
            List<Integer> measureWeights = new ArrayList<>();
            for (int j = 0; j < dimension.measures().size(); j++) {
                Measure measure = dimension.measures().get(j);
                String at = path + ".measures[" + j + "]";
                // Values reach the engine keyed by measure name, so names are unique across the whole scorecard.
                checkName(measure.name(), at, "measure", measureNames, positions, problems);
                measureWeights.add(weight(measure.weight(), at, positions, problems));
                if (!positions.isBroken(at + ".metric") && !isKnown(measure.metric(), metrics)) {
                    problems.add(positions.problem(
                            at + ".metric",
                            "unknown metric '" + measure.metric() + "'; use a usage metric from the catalog, an account"
                                    + " attribute as attribute.<name>, or one of " + ScorecardDocuments.FACT_METRICS));
                } else if (java.util.stream.Stream.of("name", "metric", "aggregate", "window", "weight", "score")
                        .noneMatch(field -> positions.isBroken(at + "." + field))) {
                    checkAggregate(measure, at, positions, problems);
                }
            }
            checkTotal(measureWeights, path + ".measures", "measure", positions, problems);
        }
        checkTotal(dimensionWeights, "dimensions", "dimension", positions, problems);
        return problems;
    }

    /**
     * A scorecard names segments as {@code "name" in segments}, each a published segment whose members do not depend
     * on health, and reads {@code segments} no other way: it is given only the segments the scorecards name.
     */
    private static void checkSegments(
            String appliesTo, Positions positions, KnownSegments segments, List<ScorecardProblem> problems) {
        if (Conditions.readsSegmentsOtherwise(appliesTo)) {
            problems.add(positions.problem(
                    "appliesTo",
                    "reads segments only as \"<segment name>\" in segments, such as \"Strategic accounts\" in segments;"
                            + " a scorecard is told only whether the account is in the segments it names"));
        }
        for (Conditions.SegmentReference reference : Conditions.segmentReferences(appliesTo)) {
            String name = reference.name();
            String reason = null;
            if (!segments.kept()) {
                reason = "names segment '" + name + "', but this Steward keeps no segments (the lifecycle module is"
                        + " not running), so no account can be told to be in it";
            } else if (!segments.names().contains(name)) {
                String nearest = Conditions.nearest(name, segments.names());
                reason = "no published segment is named '" + name + "'"
                        + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                        + (segments.names().isEmpty() || segments.names().size() > 30
                                ? ""
                                : " The published segments are " + new TreeSet<>(segments.names()));
            } else if (segments.readingHealth().contains(name)) {
                reason = "segment '" + name + "' depends on health scores (its condition, or a segment it names, reads"
                        + " health.*): the score this scorecard gives would move accounts in or out of it, and so to"
                        + " another scorecard and back; name a segment that does not read health";
            }
            if (reason != null) {
                problems.add(
                        positions.inExpression("appliesTo", appliesTo, reference.line(), reference.column(), reason));
            }
        }
    }

    static List<ScorecardProblem> checkSet(List<Scorecard> scorecards) {
        List<ScorecardProblem> problems = new ArrayList<>();
        Map<Integer, String> byPriority = new HashMap<>();
        Map<String, Boolean> names = new HashMap<>();
        for (Scorecard scorecard : scorecards) {
            String other = byPriority.putIfAbsent(scorecard.priority(), scorecard.name());
            if (other != null) {
                problems.add(new ScorecardProblem(
                        null,
                        null,
                        "priority",
                        other + " and " + scorecard.name()
                                + " both have priority " + scorecard.priority()
                                + "; priorities must differ so that each account gets exactly one scorecard"));
            }
            if (names.put(scorecard.name(), true) != null) {
                problems.add(new ScorecardProblem(
                        null, null, "name", "two scorecards are named " + scorecard.name() + "; names must differ"));
            }
        }
        return problems;
    }

    /**
     * Facts other than usage have one meaning each (tickets are counted, CSAT is averaged), so a different aggregate
     * would silently mean the same thing; a family of usage metrics ({@code feature.*}) can only be a share used.
     */
    private static void checkAggregate(
            Measure measure, String at, Positions positions, List<ScorecardProblem> problems) {
        Aggregate expected = measure.metric().startsWith(ScorecardDocuments.ATTRIBUTE)
                ? Aggregate.latest
                : FACT_AGGREGATES.get(measure.metric());
        if (expected != null && measure.aggregate() != expected) {
            problems.add(positions.problem(
                    at + ".aggregate",
                    measure.metric() + " is read as " + expected + " (" + FACT_MEANINGS.get(expected)
                            + "); write aggregate: " + expected));
        } else if (measure.metric().endsWith(".*") && measure.aggregate() != Aggregate.distinct_ratio) {
            problems.add(positions.problem(
                    at + ".aggregate",
                    measure.metric() + " names a family of metrics, which is measured as the share of them used;"
                            + " write aggregate: distinct_ratio"));
        } else if (expected == null
                && !measure.metric().endsWith(".*")
                && measure.aggregate() == Aggregate.distinct_ratio) {
            problems.add(positions.problem(
                    at + ".aggregate",
                    "distinct_ratio needs a family of metrics such as feature.*, not the single metric "
                            + measure.metric()));
        }
    }

    private static final Map<String, Aggregate> FACT_AGGREGATES = Map.ofEntries(
            Map.entry("tickets.count", Aggregate.count),
            Map.entry("tickets.escalated", Aggregate.count),
            Map.entry("tickets.resolution_hours", Aggregate.average),
            Map.entry("tickets.csat", Aggregate.average),
            Map.entry("invoices.days_overdue", Aggregate.latest),
            Map.entry("invoices.late", Aggregate.count),
            Map.entry("meetings.qbr", Aggregate.count),
            Map.entry("meetings.exec_sponsor_days_since", Aggregate.days_since),
            Map.entry("contacts.champion_present", Aggregate.latest),
            Map.entry("contracts.arr_change_12m", Aggregate.latest),
            Map.entry("contracts.days_to_renewal", Aggregate.latest),
            Map.entry(MeasureValues.TENURE_MONTHS, Aggregate.latest),
            Map.entry(MeasureValues.CONTRACT_AGE_MONTHS, Aggregate.latest),
            Map.entry(MeasureValues.MONTHS_TO_RENEWAL, Aggregate.latest),
            Map.entry(MeasureValues.RENEWALS, Aggregate.latest),
            Map.entry(MeasureValues.DAYS_IN_STAGE, Aggregate.latest),
            Map.entry("surveys.nps", Aggregate.average),
            Map.entry("sentiment.csm", Aggregate.latest));

    private static final Map<Aggregate, String> FACT_MEANINGS = Map.of(
            Aggregate.count, "counted over the window",
            Aggregate.average, "averaged over the window",
            Aggregate.latest, "its value on the day scored",
            Aggregate.days_since, "days since it last happened");

    private static boolean isKnown(String metric, Set<String> metrics) {
        if (metrics.contains(metric) || ScorecardDocuments.FACT_METRICS.contains(metric)) {
            return true;
        }
        // "feature.*" names a family of usage metrics, as distinct_ratio counts how many of them were used.
        if (metric.endsWith(".*")) {
            String prefix = metric.substring(0, metric.length() - 1);
            return metrics.stream().anyMatch(key -> key.startsWith(prefix));
        }
        return false;
    }

    private static void checkName(
            String name,
            String path,
            String kind,
            Map<String, String> seen,
            Positions positions,
            List<ScorecardProblem> problems) {
        if (positions.isBroken(path + ".name")) {
            return;
        }
        if (name.isBlank()) {
            problems.add(positions.problem(path + ".name", "must not be blank"));
            return;
        }
        String first = seen.putIfAbsent(name, path);
        if (first != null) {
            problems.add(positions.problem(
                    path + ".name",
                    "another " + kind + " is named '" + name + "' (" + first + "); names must be unique"));
        }
    }

    /** The weight, or {@code null} when it was not read or is not positive (either way the total is not checked). */
    private static Integer weight(int weight, String path, Positions positions, List<ScorecardProblem> problems) {
        if (positions.isBroken(path + ".weight")) {
            return null;
        }
        if (weight <= 0) {
            problems.add(positions.problem(path + ".weight", "must be positive, was " + weight));
            return null;
        }
        return weight;
    }

    private static void checkTotal(
            List<Integer> weights, String path, String kind, Positions positions, List<ScorecardProblem> problems) {
        if (weights.isEmpty() || weights.contains(null)) {
            return;
        }
        int total = weights.stream().mapToInt(Integer::intValue).sum();
        if (total != 100) {
            problems.add(positions.problem(path, kind + " weights total " + total + ", must be 100"));
        }
    }
}
