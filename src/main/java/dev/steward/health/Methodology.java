package dev.steward.health;

import dev.steward.health.engine.Aggregate;
import dev.steward.health.engine.Dimension;
import dev.steward.health.engine.Measure;
import dev.steward.health.engine.MeasureValues;
import dev.steward.health.engine.Points;
import dev.steward.health.engine.ScoreRule;
import dev.steward.health.engine.Scorecard;
import dev.steward.health.engine.Thresholds;
import dev.steward.health.engine.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scorecard explained in plain language for CSMs: who it applies to, how the score is built, the colors, and the
 * missing-data and override policies. The HTML page and the PDF both render these sections, so they say the same.
 */
record Methodology(String scorecard, int version, List<Section> sections) {

    Methodology {
        sections = List.copyOf(sections);
    }

    /** A titled part of the document: paragraphs, then groups (the dimensions, in "How the score is built"). */
    record Section(String title, List<String> paragraphs, List<Group> groups) {

        Section {
            paragraphs = List.copyOf(paragraphs);
            groups = List.copyOf(groups);
        }
    }

    /** A dimension: its name, what share of the score it carries, and its measures. */
    record Group(String title, String summary, List<Entry> entries) {

        Group {
            entries = List.copyOf(entries);
        }
    }

    /** A measure: its name and labelled facts about it (what, data source, window, weight, points). */
    record Entry(String title, List<Fact> facts) {

        Entry {
            facts = List.copyOf(facts);
        }
    }

    /** One labelled line, such as "Data source: Support tickets". */
    record Fact(String label, String text) {}

    /** How facts other than product usage are named in sentences, by metric key. */
    private static final Map<String, String> FACT_NOUNS = Map.ofEntries(
            Map.entry("tickets.count", "support tickets opened"),
            Map.entry("tickets.escalated", "escalated support tickets"),
            Map.entry("tickets.resolution_hours", "hours to resolve a support ticket"),
            Map.entry("tickets.csat", "CSAT rating of resolved tickets"),
            Map.entry("invoices.days_overdue", "days the oldest open invoice is overdue"),
            Map.entry("invoices.late", "invoices paid late"),
            Map.entry("meetings.qbr", "QBRs held"),
            Map.entry("meetings.exec_sponsor_days_since", "executive-sponsor meeting"),
            Map.entry("contacts.champion_present", "champion presence (1 when a champion is still there, 0 when not)"),
            Map.entry("contracts.arr_change_12m", "ARR change over 12 months"),
            Map.entry("contracts.days_to_renewal", "days to renewal"),
            Map.entry(MeasureValues.TENURE_MONTHS, "months as a customer"),
            Map.entry(MeasureValues.CONTRACT_AGE_MONTHS, "months since the current contract started"),
            Map.entry(MeasureValues.MONTHS_TO_RENEWAL, "months to renewal"),
            Map.entry(MeasureValues.RENEWALS, "renewals so far"),
            Map.entry(MeasureValues.DAYS_IN_STAGE, "days in the current lifecycle stage"),
            Map.entry("surveys.nps", "NPS score"),
            Map.entry("sentiment.csm", "CSM sentiment (1 to 5)"));

    /** Where a metric's facts come from, by the first part of its key; anything else is product usage. */
    private static final Map<String, String> SOURCES = Map.of(
            "tickets", "Support tickets",
            "invoices", "Invoices",
            "meetings", "Meetings",
            "contacts", "Contacts",
            "contracts", "Contracts",
            "lifecycle", "Lifecycle stages",
            "surveys", "NPS surveys",
            "sentiment", "CSM sentiment");

    /** Metrics whose values are fractions of a whole change, which CSMs read as percentages. */
    private static final String ARR_CHANGE = "contracts.arr_change_12m";

    /**
     * Explains a scorecard version.
     *
     * @param usageNames the usage catalog's metric names by key, so that measures name what they count as the catalog
     *     does
     */
    static Methodology of(Scorecard scorecard, int version, Map<String, String> usageNames) {
        return new Methodology(
                scorecard.name(),
                version,
                List.of(
                        appliesTo(scorecard),
                        built(scorecard, usageNames),
                        colors(scorecard),
                        missingData(scorecard),
                        overrides()));
    }

    private static Section appliesTo(Scorecard scorecard) {
        return new Section(
                "Who this scorecard applies to",
                List.of(
                        "Accounts for which the condition " + scorecard.appliesTo() + " holds.",
                        "Priority " + scorecard.priority()
                                + ": an account that matches several scorecards is scored by the one with the"
                                + " lowest priority number, so every account has exactly one scorecard."),
                List.of());
    }

    private static Section built(Scorecard scorecard, Map<String, String> usageNames) {
        List<Group> groups = new ArrayList<>();
        for (Dimension dimension : scorecard.dimensions()) {
            List<Entry> entries = new ArrayList<>();
            for (Measure measure : dimension.measures()) {
                double share = dimension.weight() * measure.weight() / 100.0;
                entries.add(new Entry(
                        measure.name(),
                        List.of(
                                new Fact("Measures", what(measure, usageNames)),
                                new Fact("Data source", source(measure.metric())),
                                new Fact("Window", "the last " + window(measure.window())),
                                new Fact(
                                        "Weight",
                                        measure.weight() + "% of " + dimension.name() + ", " + Points.format(share)
                                                + "% of the whole score"),
                                new Fact("Points", points(measure)))));
            }
            groups.add(new Group(dimension.name(), dimension.weight() + "% of the score", entries));
        }
        return new Section(
                "How the score is built",
                List.of("The score runs from 0 to 100. Each measure turns its value into 0 to 100 points;"
                        + " a dimension's points are the weighted average of its measures' points,"
                        + " and the score is the weighted average of the dimensions' points."),
                groups);
    }

    private static Section colors(Scorecard scorecard) {
        Thresholds thresholds = scorecard.thresholds();
        return new Section(
                "Colors",
                List.of(
                        "Red: a score from 0 to " + thresholds.red() + ".",
                        "Yellow: above " + thresholds.red() + ", up to " + thresholds.yellow() + ".",
                        "Green: above " + thresholds.yellow() + ", up to 100.",
                        "Black (insufficient data): when less than " + percent(scorecard.minimumCoverage())
                                + " of the score's weight has data, whatever the score; the score is still shown."),
                List.of());
    }

    private static Section missingData(Scorecard scorecard) {
        return new Section(
                "Missing data",
                List.of(
                        "A measure without data in its window is not counted: it gets no points, and its weight is"
                                + " shared among the measures of its dimension that have data, in proportion to their"
                                + " weights.",
                        "A dimension with no data at all is not counted either: its weight is shared among the other"
                                + " dimensions in the same way.",
                        "Coverage is the share of the whole score's weight whose measures had data. Below "
                                + percent(scorecard.minimumCoverage()) + " the account is Black."),
                List.of());
    }

    private static Section overrides() {
        return new Section(
                "Overrides",
                List.of(
                        "A CSM may override an account's color or score, giving a reason and an expiry date.",
                        "The computed score stays visible beside the override.",
                        "An override stops applying when it expires; the computed score and color then apply again."),
                List.of());
    }

    /** What the measure's value is, as a sentence. */
    static String what(Measure measure, Map<String, String> usageNames) {
        String noun = noun(measure.metric(), usageNames);
        String over = " over the last " + window(measure.window());
        return switch (measure.aggregate()) {
            case sum -> "Total " + noun + over;
            case average -> "Average " + noun + over;
            case count -> "Number of " + noun + over;
            case distinct -> "Number of distinct " + noun + over;
            case latest -> "Latest " + noun + " recorded" + over;
            case days_since -> "Days since the last " + noun + " (looking back " + window(measure.window()) + ")";
            case pct_change ->
                "Change in " + noun + over + " against the " + window(measure.window()) + " before, in percent";
            case ratio_to_seats -> "Distinct active users" + over + " divided by licensed seats";
            case distinct_ratio ->
                "Number of " + family(measure.metric()) + " used" + over + " divided by the number of "
                        + family(measure.metric());
        };
    }

    /** How the measure's value becomes points, as a sentence. */
    static String points(Measure measure) {
        boolean percent = measure.aggregate() == Aggregate.pct_change || ARR_CHANGE.equals(measure.metric());
        if (measure.score() instanceof ScoreRule.Bands bands) {
            StringBuilder text = new StringBuilder();
            for (ScoreRule.Band band : bands.bands()) {
                text.append(band.direction() == ScoreRule.Direction.BELOW ? "below " : "above ")
                        .append(value(band.bound(), percent))
                        .append(": ")
                        .append(Points.format(band.points()))
                        .append(" points; ");
            }
            return text.append("otherwise ")
                    .append(Points.format(bands.otherwise()))
                    .append(" points.")
                    .toString();
        }
        if (measure.score() instanceof ScoreRule.Linear linear) {
            String from = value(linear.from(), percent);
            String to = value(linear.to(), percent);
            return linear.from() < linear.to()
                    ? "0 points at " + from + " or less, 100 at " + to + " or more, in proportion between."
                    : "Lower is better: 0 points at " + from + " or more, 100 at " + to
                            + " or less, in proportion between.";
        }
        return "Ranked against accounts in the same segment: the points are the share of those accounts with a"
                + " lower value (50 is the middle of the segment).";
    }

    static String source(String metric) {
        int dot = metric.indexOf('.');
        return dot < 0 ? "Product usage" : SOURCES.getOrDefault(metric.substring(0, dot), "Product usage");
    }

    private static String noun(String metric, Map<String, String> usageNames) {
        String fact = FACT_NOUNS.get(metric);
        if (fact != null) {
            return fact;
        }
        String name = usageNames.get(metric);
        return name == null ? metric : name.toLowerCase();
    }

    /** "feature.*" names the key features; another family by its prefix, such as "report.* metrics". */
    private static String family(String metric) {
        String prefix = metric.endsWith(".*") ? metric.substring(0, metric.length() - 2) : metric;
        return "feature".equals(prefix) ? "key features" : prefix + ".* metrics";
    }

    private static String window(Window window) {
        String unit = window.unit() == Window.Unit.DAYS ? "day" : "week";
        return window.amount() + " " + unit + (window.amount() == 1 ? "" : "s");
    }

    /** A number as CSMs read it; a true minus sign, as a hyphen is easy to miss before a number. */
    private static String value(double number, boolean percent) {
        String text = percent ? Points.format(number * 100) + "%" : Points.format(number);
        return text.replace('-', '−');
    }

    private static String percent(double share) {
        return Points.format(share * 100) + "%";
    }
}
