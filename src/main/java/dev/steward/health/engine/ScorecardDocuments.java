package dev.steward.health.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Reads, validates and writes scorecard documents (YAML) against a catalog of usage metrics. */
public final class ScorecardDocuments {

    /**
     * Metrics that come from facts other than product usage (tickets, invoices, meetings, contacts, contracts, surveys,
     * sentiment); a scorecard may use these besides the usage catalog.
     */
    public static final List<String> FACT_METRICS = List.of(
            "tickets.count",
            "tickets.escalated",
            "tickets.resolution_hours",
            "tickets.csat",
            "invoices.days_overdue",
            "invoices.late",
            "meetings.qbr",
            "meetings.exec_sponsor_days_since",
            "contacts.champion_present",
            "contracts.arr_change_12m",
            "contracts.days_to_renewal",
            "surveys.nps",
            "sentiment.csm");

    /** An account attribute is read as metric {@code attribute.<name>}: its latest value on or before the day scored. */
    public static final String ATTRIBUTE = "attribute.";

    private static final Comparator<ScorecardProblem> BY_PLACE = Comparator.comparing(
                    ScorecardProblem::line, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(ScorecardProblem::column, Comparator.nullsLast(Comparator.naturalOrder()));

    private final Set<String> usageMetrics;

    /**
     * Documents checked against these metric keys: the usage module's catalog and {@code attribute.<name>} for each
     * account attribute there is.
     */
    public ScorecardDocuments(Set<String> usageMetrics) {
        this.usageMetrics = Set.copyOf(usageMetrics);
    }

    /** Reads and validates a document; never throws on bad input, and reports all its problems at once. */
    public ScorecardCheck read(String yaml) {
        return read(yaml, null);
    }

    /**
     * Reads and validates a document kept under a scorecard's name: the document's own {@code name} must be that name,
     * or the stored history would mix two scorecards.
     */
    public ScorecardCheck read(String yaml, String expectedName) {
        ScorecardReader.Read read = ScorecardReader.read(yaml);
        List<ScorecardProblem> problems = new ArrayList<>(read.problems());
        if (read.draft() != null) {
            problems.addAll(ScorecardValidator.check(read.draft(), read.positions(), usageMetrics));
            String name = read.draft().name();
            if (expectedName != null && !read.positions().isBroken("name") && !expectedName.equals(name)) {
                problems.add(read.positions()
                        .problem(
                                "name",
                                "is '" + name + "' but this is scorecard '" + expectedName
                                        + "'; save a new scorecard under its own name"));
            }
        }
        return new ScorecardCheck(read.scorecard(), sorted(problems));
    }

    /** The problems of a document built in code rather than read from YAML (so without lines). */
    public List<ScorecardProblem> check(Scorecard scorecard) {
        return ScorecardValidator.check(scorecard, Positions.NONE, usageMetrics);
    }

    /** Problems across a set of scorecards, such as two with the same priority. */
    public static List<ScorecardProblem> checkSet(List<Scorecard> scorecards) {
        return ScorecardValidator.checkSet(scorecards);
    }

    /** The document as YAML, keys in a fixed order; reading it back gives an equal document. */
    public static String write(Scorecard scorecard) {
        return ScorecardWriter.write(scorecard);
    }

    private static List<ScorecardProblem> sorted(List<ScorecardProblem> problems) {
        problems.sort(BY_PLACE);
        return problems;
    }
}
