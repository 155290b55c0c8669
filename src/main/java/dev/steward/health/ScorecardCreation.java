package dev.steward.health;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.customer.AccountAttributes;
import dev.steward.health.engine.Scorecard;
import dev.steward.health.engine.ScorecardDocuments;
import dev.steward.health.engine.ScorecardTemplates;
import dev.steward.identity.User;
import dev.steward.usage.UsageMetric;
import dev.steward.usage.UsageRecorder;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;

/**
 * Creates a scorecard from a template (generated from the data, a skeleton, or a copy of another) as a first draft, to
 * be checked, previewed and published as any other version. The template's YAML begins with comments that say what
 * it was made from.
 */
@Service
public class ScorecardCreation {

    private final ScorecardManagement scorecards;
    private final ScoreComputation computation;
    private final UsageRecorder usage;
    private final AccountAttributes attributes;
    private final Clock clock;

    ScorecardCreation(
            ScorecardManagement scorecards,
            ScoreComputation computation,
            UsageRecorder usage,
            AccountAttributes attributes,
            Clock clock) {
        this.scorecards = scorecards;
        this.computation = computation;
        this.usage = usage;
        this.attributes = attributes;
        this.clock = clock;
    }

    /**
     * The priority a new scorecard gets unless told otherwise: the next multiple of ten after the highest priority of
     * any scorecard (published, or of its newest draft before its first publication), so that it yields to every
     * scorecard there is (lower numbers win) and two new drafts do not share one. A catch-all ({@code appliesTo:
     * true}, such as the shipped "All other accounts") is left out: the new scorecard goes before it, or the catch-all
     * would take every account and the new one none.
     */
    public int suggestedPriority() {
        int highest = scorecards.list().stream()
                .filter(summary -> summary.appliesTo() == null || !isCatchAll(summary.appliesTo()))
                .map(ScorecardSummary::priority)
                .filter(java.util.Objects::nonNull)
                .mapToInt(Integer::intValue)
                .max()
                .orElse(0);
        return Math.floorDiv(highest, 10) * 10 + 10;
    }

    /** Whether a condition holds for every account, as written: {@code true}. */
    static boolean isCatchAll(String appliesTo) {
        return "true".equals(appliesTo.strip());
    }

    /**
     * Makes the template and saves it as version 1, a draft, of a new scorecard. Every problem with the request is
     * refused at once, naming its field; a data template that would be read from no account, or finds no data, is
     * refused with why.
     *
     * @throws AccessDeniedException unless the author is an ADMIN
     * @throws InvalidInputException naming each field that is wrong and why
     * @throws dev.steward.core.ConflictException if a scorecard of that name (ignoring case) exists
     */
    public CreatedScorecard create(NewScorecard request, User author) {
        if (!scorecards.mayCreate(author)) {
            throw new AccessDeniedException("Your role " + author.role() + " may not create scorecards; ADMIN may");
        }
        String name = request.name() == null ? "" : request.name();
        String appliesTo =
                request.appliesTo() == null ? "" : request.appliesTo().strip();
        String template = request.template() == null ? "" : request.template().strip();
        LocalDate today = LocalDate.now(clock);
        List<FieldError> errors = new ArrayList<>();
        String nameProblem = ScorecardDocuments.nameProblem(name);
        if (nameProblem != null) {
            errors.add(FieldError.of("name", nameProblem));
        }
        String conditionProblem = ScorecardDocuments.conditionProblem(appliesTo);
        if (conditionProblem != null) {
            errors.add(FieldError.of("appliesTo", conditionProblem));
        }
        int priority = request.priority() == null ? suggestedPriority() : request.priority();
        scorecards.published().stream()
                .filter(published -> published.priority() == priority)
                .findFirst()
                .ifPresent(published -> errors.add(FieldError.of(
                        "priority",
                        priority + " is the priority of " + published.name()
                                + "; priorities must differ so that each account gets exactly one scorecard ("
                                + suggestedPriority() + " is free)")));
        switch (template) {
            case NewScorecard.DATA, NewScorecard.BLANK -> {}
            case NewScorecard.COPY -> {
                if (request.copyOf() == null || request.copyOf().isBlank()) {
                    errors.add(FieldError.of("copyOf", "name the scorecard to copy"));
                } else if (!scorecards.names().contains(request.copyOf())) {
                    errors.add(FieldError.of(
                            "copyOf",
                            "no scorecard is named '" + request.copyOf() + "'; one of " + scorecards.names()));
                }
            }
            case "" -> errors.add(FieldError.of("template", "choose one of data, blank or copy"));
            default ->
                errors.add(FieldError.of("template", "'" + template + "' is not a template; use data, blank or copy"));
        }
        LocalDate asOf = request.asOf() == null ? today : request.asOf();
        if (asOf.isAfter(today)) {
            errors.add(FieldError.of("asOf", "is after today (" + today + "); data can be read up to today"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        scorecards.checkNewName(name);
        String header;
        Scorecard scorecard;
        CreatedScorecard.Template report;
        switch (template) {
            case NewScorecard.COPY -> {
                VersionedScorecard source = scorecards
                        .newestReadable(request.copyOf())
                        .orElseThrow(() -> new InvalidInputException(
                                "copyOf",
                                "no version of " + request.copyOf()
                                        + " can be read as a scorecard; fix it or copy another one"));
                scorecard = ScorecardTemplates.copy(source.scorecard(), name, appliesTo, priority);
                header = comment(
                        "A copy of " + source.label() + ", made on " + today + " by " + author.displayName() + ".");
                report = new CreatedScorecard.Template(
                        NewScorecard.COPY, source.name(), source.version(), null, null, null);
            }
            case NewScorecard.BLANK -> {
                scorecard = ScorecardTemplates.blank(name, appliesTo, priority);
                header = comment(
                        "A new scorecard, made on " + today + " by " + author.displayName() + " from the skeleton.",
                        "",
                        "Dimensions group measures; weights are percentages that total 100 among the dimensions and"
                                + " among each dimension's measures. A measure reads one metric over a window (30d, 12w"
                                + " …), aggregated as sum, average, count, latest, days_since, pct_change,"
                                + " ratio_to_seats or distinct_ratio, and turns the value into 0-100 points with"
                                + " bands, linear (from gets none, to gets every point) or percentile within segment."
                                + " Below minimumCoverage (the share of the weight with data) an account is Black.",
                        "",
                        "Metrics: the usage catalog's keys, feature.* (as distinct_ratio), attribute.<name> for an"
                                + " account attribute, and " + String.join(", ", ScorecardDocuments.FACT_METRICS)
                                + ".");
                report = new CreatedScorecard.Template(NewScorecard.BLANK, null, null, null, null, null);
            }
            default -> {
                ScorecardTemplates.Generated generated = generate(name, appliesTo, priority, asOf);
                scorecard = generated.scorecard();
                header = dataComment(generated, appliesTo, asOf, today, author);
                report = new CreatedScorecard.Template(
                        NewScorecard.DATA,
                        null,
                        null,
                        asOf,
                        generated.accounts(),
                        generated.signals().stream()
                                .map(ScorecardCreation::signal)
                                .toList());
            }
        }
        String yaml = header + ScorecardDocuments.write(scorecard);
        return new CreatedScorecard(scorecards.createDraft(name, yaml, author), report);
    }

    /**
     * Reads every candidate measure's raw values as of the day for the customers the new scorecard would score (with
     * the published scorecards beside it, so that those it yields to keep theirs) and builds the scorecard from them.
     */
    private ScorecardTemplates.Generated generate(String name, String appliesTo, int priority, LocalDate asOf) {
        List<ScorecardTemplates.Candidate> candidates = ScorecardTemplates.candidates(
                usage.metrics().stream()
                        .map(metric -> new ScorecardTemplates.UsageMetricSpec(
                                metric.key(), metric.name(), metric.aggregation() == UsageMetric.Aggregation.sum))
                        .toList(),
                attributes.names());
        List<VersionedScorecard> set = new ArrayList<>(scorecards.publishedVersions());
        set.add(new VersionedScorecard(name, 0, ScorecardTemplates.probe(name, appliesTo, priority, candidates)));
        List<double[]> values = computation.rawValues(asOf, set, name);
        if (values.isEmpty()) {
            throw new InvalidInputException(
                    "appliesTo",
                    "no customer would be scored by this scorecard on " + asOf + ": the condition holds for none, or"
                            + " published scorecards with a lower priority number score them all; a template cannot"
                            + " be generated from no data (choose blank or copy, or another condition)");
        }
        ScorecardTemplates.Generated generated =
                ScorecardTemplates.fromData(name, appliesTo, priority, candidates, values);
        if (generated.scorecard() == null) {
            throw new InvalidInputException(
                    "template",
                    "none of the " + values.size() + " accounts has data on " + asOf
                            + " of a metric that tells them apart; choose blank or copy, or another day (asOf)");
        }
        return generated;
    }

    private static String dataComment(
            ScorecardTemplates.Generated generated, String appliesTo, LocalDate asOf, LocalDate today, User author) {
        List<String> lines = new ArrayList<>();
        lines.add("Generated on " + today + " by " + author.displayName() + " from the data of the "
                + generated.accounts() + " customers it scores (" + appliesTo + ") as of " + asOf + ".");
        lines.add("");
        lines.add("One measure per metric that has data for them and tells them apart; every measure weighs about"
                + " the same share of the score and earns its points linearly from the "
                + ScorecardTemplates.LOW_PERCENTILE + "th to the " + ScorecardTemplates.HIGH_PERCENTILE
                + "th percentile of their values (the other way round where less is better). Check each one before"
                + " publishing.");
        lines.add("");
        lines.add("Accounts with data of each measure:");
        for (ScorecardTemplates.Signal signal : generated.included()) {
            lines.add("  " + signal.candidate().name() + " ("
                    + signal.candidate().metric() + "): " + signal.accountsWithData() + " of " + generated.accounts());
        }
        List<String> withoutData = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (ScorecardTemplates.Signal signal : generated.leftOut()) {
            if (signal.accountsWithData() == 0) {
                withoutData.add(signal.candidate().metric());
            } else {
                leftOut.add("  " + signal.candidate().name() + " ("
                        + signal.candidate().metric() + "): " + signal.leftOut());
            }
        }
        if (!leftOut.isEmpty() || !withoutData.isEmpty()) {
            lines.add("Left out:");
            lines.addAll(leftOut);
            if (!withoutData.isEmpty()) {
                lines.add("  No data for any of them: " + String.join(", ", withoutData) + ".");
            }
        }
        return comment(lines.toArray(String[]::new));
    }

    /** Comments are wrapped to this width, so that they read in the editor without scrolling sideways. */
    static final int COMMENT_WIDTH = 80;

    /**
     * YAML comment lines, each line given wrapped at {@link #COMMENT_WIDTH} (continued under its own indent plus two);
     * line breaks inside a line (a metric's name may hold one) are flattened.
     */
    static String comment(String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            String flat = line.replaceAll("[\\r\\n\\u2028\\u2029\\u0085]+", " ").stripTrailing();
            if (flat.isEmpty()) {
                text.append("#\n");
                continue;
            }
            String indent =
                    flat.substring(0, flat.length() - flat.stripLeading().length());
            StringBuilder current = new StringBuilder("# ").append(indent);
            boolean first = true;
            for (String word : flat.strip().split(" +")) {
                if (!first && current.length() + 1 + word.length() > COMMENT_WIDTH) {
                    text.append(current).append('\n');
                    current = new StringBuilder("# ").append(indent).append("  ");
                    first = true;
                }
                current.append(first ? "" : " ").append(word);
                first = false;
            }
            text.append(current).append('\n');
        }
        return text.toString();
    }

    private static CreatedScorecard.Signal signal(ScorecardTemplates.Signal signal) {
        ScorecardTemplates.Candidate candidate = signal.candidate();
        Double from = candidate.lowerIsBetter() ? signal.high() : signal.low();
        Double to = candidate.lowerIsBetter() ? signal.low() : signal.high();
        return new CreatedScorecard.Signal(
                candidate.name(),
                candidate.metric(),
                candidate.dimension(),
                signal.accountsWithData(),
                signal.included() ? from : null,
                signal.included() ? to : null,
                signal.included(),
                signal.leftOut());
    }

    /** The default for a template's {@code asOf}. */
    LocalDate today() {
        return LocalDate.now(clock);
    }
}
