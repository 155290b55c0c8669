package dev.steward.health.engine;

import dev.steward.core.Conditions;
import dev.steward.core.Pilot;
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
            MeasureValues.TENURE_MONTHS,
            MeasureValues.CONTRACT_AGE_MONTHS,
            MeasureValues.MONTHS_TO_RENEWAL,
            MeasureValues.RENEWALS,
            MeasureValues.DAYS_IN_STAGE,
            "surveys.nps",
            "sentiment.csm");

    /** An account attribute is read as metric {@code attribute.<name>}: its latest value on or before the day scored. */
    public static final String ATTRIBUTE = "attribute.";

    /** The longest a scorecard's name may be: it is shown in lists, links and every stored score's explanation. */
    public static final int NAME_MAX_LENGTH = 60;

    /** The characters a scorecard's name may hold besides letters and digits, as people read them. */
    public static final String NAME_PUNCTUATION = "- _ . & ( )";

    private static final Comparator<ScorecardProblem> BY_PLACE = Comparator.comparing(
                    ScorecardProblem::line, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(ScorecardProblem::column, Comparator.nullsLast(Comparator.naturalOrder()));

    private final Set<String> usageMetrics;
    private final KnownSegments segments;

    /**
     * Documents checked against these metric keys: the usage module's catalog and {@code attribute.<name>} for each
     * account attribute there is; a document that names a segment is refused, as none are known.
     */
    public ScorecardDocuments(Set<String> usageMetrics) {
        this(usageMetrics, KnownSegments.NOT_KEPT);
    }

    /** Documents checked against these metric keys and these segments, which {@code appliesTo} may name. */
    public ScorecardDocuments(Set<String> usageMetrics, KnownSegments segments) {
        this.usageMetrics = Set.copyOf(usageMetrics);
        this.segments = segments;
    }

    /** The segments a scorecard's {@code appliesTo} names (as {@code "name" in segments}). */
    public static Set<String> segmentsNamed(Scorecard scorecard) {
        Set<String> names = new java.util.LinkedHashSet<>();
        Conditions.segmentReferences(scorecard.appliesTo()).forEach(reference -> names.add(reference.name()));
        return names;
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
            problems.addAll(ScorecardValidator.check(read.draft(), read.positions(), usageMetrics, segments));
            String name = read.draft().name();
            if (expectedName != null && !read.positions().isBroken("name") && !expectedName.equals(name)) {
                problems.add(read.positions()
                        .problem(
                                "name",
                                "is '" + name + "' but this is scorecard '" + expectedName
                                        + "'; save a new scorecard under its own name"));
            }
            if (read.pilot() && segments.kept() && !segments.names().contains(Pilot.SEGMENT)) {
                problems.add(read.positions()
                        .problem(
                                "pilot",
                                "names the pilot group, which is not set up here yet: flag the pilot's CSMs or pick its"
                                        + " accounts on Settings → Pilot first"));
            }
        }
        Scorecard scorecard = read.scorecard();
        if (scorecard != null && read.pilot()) {
            // Validated as written (so that line and column point into the document); applied to the pilot only.
            scorecard = new Scorecard(
                    scorecard.name(),
                    Pilot.only(scorecard.appliesTo()),
                    scorecard.priority(),
                    scorecard.thresholds(),
                    scorecard.minimumCoverage(),
                    scorecard.dimensions());
        }
        return new ScorecardCheck(scorecard, sorted(problems));
    }

    /** The problems of a document built in code rather than read from YAML (so without lines). */
    public List<ScorecardProblem> check(Scorecard scorecard) {
        return ScorecardValidator.check(scorecard, Positions.NONE, usageMetrics, segments);
    }

    /**
     * Why a scorecard may not be named so, or {@code null} when it may: a name is part of every page's and the API's
     * address, so it holds letters, digits, spaces and {@value #NAME_PUNCTUATION} only, begins with a letter or digit,
     * does not end with a space and has at most {@value #NAME_MAX_LENGTH} characters.
     */
    public static String nameProblem(String name) {
        if (name == null || name.isBlank()) {
            return "must not be blank";
        }
        int length = name.codePointCount(0, name.length());
        if (length > NAME_MAX_LENGTH) {
            return "has " + length + " characters; a scorecard's name may have at most " + NAME_MAX_LENGTH;
        }
        int first = name.codePointAt(0);
        if (!Character.isLetterOrDigit(first)) {
            return "must begin with a letter or digit, not '" + Character.toString(first) + "'";
        }
        int position = 1;
        for (int i = 0; i < name.length(); i += Character.charCount(name.codePointAt(i)), position++) {
            int c = name.codePointAt(i);
            if (!Character.isLetterOrDigit(c) && c != ' ' && NAME_PUNCTUATION.indexOf(c) < 0) {
                return "may hold letters, digits, spaces and " + NAME_PUNCTUATION + " only; " + describe(c)
                        + " at position " + position + " is not allowed";
            }
        }
        if (name.endsWith(" ")) {
            return "must not end with a space";
        }
        return null;
    }

    /**
     * Why an {@code appliesTo} condition cannot be used, or {@code null} when it can: it must be a CEL expression over
     * {@code account.*} that is true or false.
     */
    public static String conditionProblem(String appliesTo) {
        if (appliesTo == null || appliesTo.isBlank()) {
            return "must not be blank; write true to apply to every account";
        }
        AccountConditions.Compiled condition = AccountConditions.compile(appliesTo);
        return condition.compiles() ? null : "does not compile as CEL: " + condition.error();
    }

    /**
     * A CEL string literal for a value, so that a condition can name any value an attribute holds, quotes included.
     */
    public static String celString(String value) {
        StringBuilder literal = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> literal.append("\\\\");
                case '"' -> literal.append("\\\"");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\t' -> literal.append("\\t");
                default -> literal.appendCodePoint(c);
            }
        });
        return literal.append('"').toString();
    }

    private static String describe(int c) {
        return Character.isISOControl(c) || Character.isWhitespace(c)
                ? String.format("the character U+%04X", c)
                : "'" + Character.toString(c) + "'";
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
