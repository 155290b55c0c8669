package dev.steward.backtest;

import dev.steward.health.VersionedScorecard;
import dev.steward.health.engine.Color;
import dev.steward.health.engine.Dimension;
import dev.steward.health.engine.Measure;
import dev.steward.health.engine.Points;
import dev.steward.health.engine.Scorecard;
import dev.steward.health.engine.ScoringEngine;
import dev.steward.health.engine.Thresholds;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Learns weights and thresholds for a scorecard from its observations: a logistic regression of churn on each
 * measure's points over the earlier as-of days, turned into positive whole-number weights that total 100 within each
 * dimension and across dimensions, and a red threshold that maximises the objective on those days; then scores the
 * later days both ways to show what the suggestion would have changed.
 */
final class WeightSuggester {

    /** Fewer churned observations than this to fit on, and no suggestion is made. */
    static final int MIN_CHURNED = 10;

    /** What the red threshold is chosen to maximise. */
    enum Objective {
        /**
         * Recall of Red minus the share of retained accounts that were Red (Youden's J): more churn caught. The default:
         * it weighs churned and retained accounts alike, so it still flags churn when only 2% of accounts churn, where
         * accuracy is highest with nobody Red.
         */
        balanced,
        /** The harmonic mean of precision and recall of Red. */
        f1,
        /** Accuracy, Red called churn and Green retention. */
        accuracy;

        /** The objective of a run that names none. */
        static final Objective DEFAULT = balanced;
    }

    /**
     * One observation: each measure's points and raw value ({@code NaN} for N/A), the score and color it had, and its
     * outcome.
     */
    record Sample(int day, int fold, float[] points, float[] raw, double score, Color color, Outcome outcome) {

        /** An observation whose raw values are not kept: a model benchmark leaves it without any measure. */
        Sample(int day, int fold, float[] points, double score, Color color, Outcome outcome) {
            this(day, fold, points, new float[0], score, color, outcome);
        }
    }

    /**
     * The observations fitted on and those judged on: by time, the as-of days of the first two thirds whose horizon
     * had passed by the first judged day, and the last third; by account (all observations of one day), two folds of
     * accounts and the third. Black observations are in neither.
     *
     * @param lastFitDay the index of the last as-of day fitted on, -1 when none is
     */
    record Split(List<Sample> fit, List<Sample> evaluation, LocalDate evaluationStart, int lastFitDay) {}

    static Split split(List<Sample> samples, List<LocalDate> days, int horizon, boolean byAccount) {
        int evaluatedFrom = byAccount ? 0 : Math.max(1, (days.size() * 2 + 2) / 3);
        LocalDate evaluationStart = days.get(Math.min(evaluatedFrom, days.size() - 1));
        List<Sample> fit = new ArrayList<>();
        List<Sample> evaluation = new ArrayList<>();
        int lastFitDay = -1;
        for (Sample sample : samples) {
            if (sample.color() == Color.BLACK) {
                continue;
            }
            if (byAccount) {
                if (sample.fold() == 0) {
                    evaluation.add(sample);
                } else {
                    fit.add(sample);
                    lastFitDay = Math.max(lastFitDay, sample.day());
                }
            } else if (sample.day() >= evaluatedFrom) {
                evaluation.add(sample);
            } else if (!days.get(sample.day()).plusDays(horizon).isAfter(evaluationStart)) {
                fit.add(sample);
                lastFitDay = Math.max(lastFitDay, sample.day());
            }
        }
        return new Split(fit, evaluation, evaluationStart, lastFitDay);
    }

    /**
     * Folds accounts are dealt into by a hash, the same in every run: when all observations are of one day (a labelled
     * snapshot), the suggestion is fitted on two folds' accounts and judged on the third's, never on accounts it saw.
     */
    static final int FOLDS = 3;

    private WeightSuggester() {}

    static Suggestion suggest(
            VersionedScorecard version,
            List<Sample> samples,
            List<LocalDate> days,
            int horizon,
            Objective objective,
            boolean byAccount,
            Function<Scorecard, String> yaml) {
        List<Measure> measures = version.measures();
        Split split = split(samples, days, horizon, byAccount);
        List<Sample> fit = split.fit();
        List<Sample> evaluation = split.evaluation();
        LocalDate evaluationStart = split.evaluationStart();
        int lastFitDay = split.lastFitDay();
        ModelBenchmark benchmark = ModelBenchmark.of(measures, split);
        Scorecard current = version.scorecard();
        long churned = fit.stream().filter(s -> s.outcome() == Outcome.CHURNED).count();
        String problem = null;
        if (lastFitDay < 0 || churned < MIN_CHURNED) {
            problem = byAccount
                    ? "too little history to learn from: " + churned + " churned observations among the two thirds of"
                            + " accounts fitted on (at least " + MIN_CHURNED + " are needed)"
                    : "too little history to learn from: " + churned + " churned observations on the as-of days before "
                            + evaluationStart + " whose " + horizon + " days had passed by then (at least "
                            + MIN_CHURNED + " are needed)";
        } else if (evaluation.isEmpty()) {
            problem = byAccount
                    ? "no observations of the third of accounts kept aside to judge a suggestion on"
                    : "no observations from " + evaluationStart + " on to judge a suggestion on, where it was not"
                            + " fitted";
        }
        RuleFit.Proposal[] proposals = problem == null ? proposals(measures, fit) : null;
        Scorecard ruled = proposals == null ? current : withRules(current, proposals);
        List<Sample> fitRuled = proposals == null ? fit : repointed(fit, ruled);
        Fit fitted = problem == null ? fit(fitRuled, measures.size()) : null;
        if (fitted != null && java.util.Arrays.stream(fitted.left()).allMatch(java.util.Objects::nonNull)) {
            problem = "no measure had data that varied across the " + fit.size() + " observations fitted on";
        }
        if (problem != null) {
            return new Suggestion(
                    version.name(),
                    version.version(),
                    horizon,
                    days.get(0),
                    lastFitDay < 0 ? null : days.get(lastFitDay),
                    fit.size(),
                    evaluationStart,
                    days.get(days.size() - 1),
                    evaluation.size(),
                    objective.name(),
                    List.of(),
                    List.of(),
                    current.thresholds().red(),
                    current.thresholds().yellow(),
                    current.thresholds().red(),
                    current.thresholds().yellow(),
                    null,
                    null,
                    null,
                    problem,
                    null,
                    benchmark,
                    null,
                    null);
        }
        double[] coefficients = fitted.coefficients();
        Scorecard weighted = reweighted(ruled, coefficients, fitted.left());
        Thresholds thresholds = thresholds(fitRuled, weighted, current.thresholds(), objective);
        Scorecard suggested = new Scorecard(
                current.name(),
                current.appliesTo(),
                current.priority(),
                thresholds,
                current.minimumCoverage(),
                weighted.dimensions());
        ScoreTally before = new ScoreTally();
        ScoreTally after = new ScoreTally();
        for (Sample sample : evaluation) {
            before.add(sample.score(), sample.color(), sample.outcome());
            ScoringEngine.Summary score = score(suggested, repointed(sample, ruled));
            after.add(score.score(), score.color(), sample.outcome());
        }
        String headline = headline(benchmark, after.metrics());
        String refused = refusal(before.metrics(), after.metrics(), thresholds);
        if (refused != null) {
            return new Suggestion(
                    version.name(),
                    version.version(),
                    horizon,
                    days.get(0),
                    days.get(lastFitDay),
                    fit.size(),
                    evaluationStart,
                    days.get(days.size() - 1),
                    evaluation.size(),
                    objective.name(),
                    List.of(),
                    List.of(),
                    current.thresholds().red(),
                    current.thresholds().yellow(),
                    thresholds.red(),
                    thresholds.yellow(),
                    Suggestion.Figures.of(before.metrics()),
                    Suggestion.Figures.of(after.metrics()),
                    null,
                    refused,
                    null,
                    benchmark,
                    headline,
                    null);
        }
        List<Suggestion.DimensionWeight> dimensionWeights = new ArrayList<>();
        List<Suggestion.MeasureWeight> measureWeights = new ArrayList<>();
        int index = 0;
        for (int d = 0; d < current.dimensions().size(); d++) {
            Dimension was = current.dimensions().get(d);
            Dimension will = suggested.dimensions().get(d);
            dimensionWeights.add(new Suggestion.DimensionWeight(was.name(), was.weight(), will.weight()));
            for (int m = 0; m < was.measures().size(); m++) {
                RuleFit.Proposal proposal = proposals[index];
                measureWeights.add(new Suggestion.MeasureWeight(
                        was.name(),
                        was.measures().get(m).name(),
                        was.measures().get(m).weight(),
                        will.measures().get(m).weight(),
                        Math.round(coefficients[index] * 1000) / 1000.0,
                        fitted.left()[index],
                        was.measures().get(m).score().describe(),
                        proposal.rule() == null ? null : proposal.rule().describe(),
                        proposal.yaml(),
                        proposal.reason()));
                index++;
            }
        }
        return new Suggestion(
                version.name(),
                version.version(),
                horizon,
                days.get(0),
                days.get(lastFitDay),
                fit.size(),
                evaluationStart,
                days.get(days.size() - 1),
                evaluation.size(),
                objective.name(),
                dimensionWeights,
                measureWeights,
                current.thresholds().red(),
                current.thresholds().yellow(),
                thresholds.red(),
                thresholds.yellow(),
                Suggestion.Figures.of(before.metrics()),
                Suggestion.Figures.of(after.metrics()),
                yaml.apply(withoutUnweighted(suggested)),
                null,
                coverage(samples, days, current, suggested, ruled),
                benchmark,
                headline,
                caution(suggested));
    }

    /** Measures that say when an account can churn, not whether it will: churn happens at a renewal. */
    private static final java.util.Set<String> TIMING =
            java.util.Set.of("contracts.days_to_renewal", "contracts.months_to_renewal");

    /** The share of the score (0–1) above which a timing measure is pointed out. */
    static final double TIMING_SHARE = 0.2;

    /**
     * A caution when measures of timing (days or months to the renewal) carry at least {@link #TIMING_SHARE} of the
     * suggested score: where customers can only leave at a renewal, "renews soon" predicts churn within the horizon
     * well, so the suggestion's ROC AUC is high, yet such a score turns every account near its renewal Red whatever its
     * health; {@code null} otherwise.
     */
    static String caution(Scorecard suggested) {
        double total = 0;
        List<String> names = new ArrayList<>();
        int dimensionWeights = 0;
        for (Dimension dimension : suggested.dimensions()) {
            dimensionWeights += dimension.weight();
        }
        for (Dimension dimension : suggested.dimensions()) {
            int measureWeights = 0;
            for (Measure measure : dimension.measures()) {
                measureWeights += measure.weight();
            }
            for (Measure measure : dimension.measures()) {
                if (TIMING.contains(measure.metric()) && dimensionWeights > 0 && measureWeights > 0) {
                    total += (double) dimension.weight() / dimensionWeights * measure.weight() / measureWeights;
                    names.add(measure.name());
                }
            }
        }
        if (total < TIMING_SHARE) {
            return null;
        }
        return String.format(
                java.util.Locale.ROOT,
                "%.0f%% of the suggested score rests on %s, which says when an account can leave (at its renewal), not"
                        + " whether it will: its ROC AUC counts that timing, and under it every account near its renewal"
                        + " turns Red whatever its health. Consider keeping it out of the health score (a renewal"
                        + " playbook can watch the date) or lowering its weight",
                total * 100,
                String.join(" and ", names));
    }

    /**
     * The gap to the model in one sentence, on the judged observations: what a model on the same data reaches, the
     * suggestion, and the scorecard in force; {@code null} without a conclusive benchmark.
     */
    static String headline(ModelBenchmark benchmark, Metrics suggested) {
        if (benchmark == null || benchmark.modelAuc() == null || suggested.rocAuc() == null) {
            return null;
        }
        double model = benchmark.modelAuc();
        double share = (suggested.rocAuc() - 0.5) / (model - 0.5);
        return String.format(
                java.util.Locale.ROOT,
                "A model on the same data reaches ROC AUC %.3f; this suggestion %.3f (%.0f%% of the model's AUC%s); the"
                        + " scorecard in force %.3f",
                model,
                suggested.rocAuc(),
                suggested.rocAuc() / model * 100,
                model > 0.5
                        ? String.format(java.util.Locale.ROOT, ", %.0f%% of its lead over chance", share * 100)
                        : "",
                benchmark.scorecardAuc());
    }

    /**
     * Each measure's rule learned from its raw values on the fitted observations, or the rule in force kept with the
     * reason (a percentile rank, no raw values, no churn rising or falling with it).
     */
    static RuleFit.Proposal[] proposals(List<Measure> measures, List<Sample> fit) {
        RuleFit.Proposal[] proposals = new RuleFit.Proposal[measures.size()];
        for (int i = 0; i < proposals.length; i++) {
            int withData = 0;
            for (Sample sample : fit) {
                withData += i < sample.raw().length && !Float.isNaN(sample.raw()[i]) ? 1 : 0;
            }
            if (withData == 0) {
                proposals[i] = RuleFit.Proposal.kept("kept: no raw values on the observations fitted on");
                continue;
            }
            double[] values = new double[withData];
            boolean[] churned = new boolean[withData];
            int k = 0;
            for (Sample sample : fit) {
                if (i < sample.raw().length && !Float.isNaN(sample.raw()[i])) {
                    values[k] = sample.raw()[i];
                    churned[k++] = sample.outcome() == Outcome.CHURNED;
                }
            }
            proposals[i] = RuleFit.of(measures.get(i).score(), values, churned);
        }
        return proposals;
    }

    /** The scorecard with each learned rule in place of the rule in force. */
    static Scorecard withRules(Scorecard scorecard, RuleFit.Proposal[] proposals) {
        List<Dimension> dimensions = new ArrayList<>();
        int index = 0;
        for (Dimension dimension : scorecard.dimensions()) {
            List<Measure> measures = new ArrayList<>();
            for (Measure measure : dimension.measures()) {
                RuleFit.Proposal proposal = proposals[index++];
                measures.add(
                        proposal.rule() == null
                                ? measure
                                : new Measure(
                                        measure.name(),
                                        measure.metric(),
                                        measure.aggregate(),
                                        measure.window(),
                                        measure.weight(),
                                        proposal.rule()));
            }
            dimensions.add(new Dimension(dimension.name(), dimension.weight(), measures));
        }
        return new Scorecard(
                scorecard.name(),
                scorecard.appliesTo(),
                scorecard.priority(),
                scorecard.thresholds(),
                scorecard.minimumCoverage(),
                dimensions);
    }

    /** The observations with each measure's points under the scorecard's rules, read from their raw values. */
    static List<Sample> repointed(List<Sample> samples, Scorecard ruled) {
        List<Sample> repointed = new ArrayList<>(samples.size());
        for (Sample sample : samples) {
            repointed.add(new Sample(
                    sample.day(),
                    sample.fold(),
                    repointed(sample, ruled),
                    sample.raw(),
                    sample.score(),
                    sample.color(),
                    sample.outcome()));
        }
        return repointed;
    }

    /**
     * An observation's points under the scorecard's rules: a measure with a raw value scored by its rule (a percentile
     * measure keeps its rank), one without raw values kept as it was.
     */
    static float[] repointed(Sample sample, Scorecard ruled) {
        float[] points = sample.points().clone();
        int i = 0;
        for (Dimension dimension : ruled.dimensions()) {
            for (Measure measure : dimension.measures()) {
                if (i < sample.raw().length && !measure.score().needsSegment()) {
                    float raw = sample.raw()[i];
                    points[i] = Float.isNaN(raw)
                            ? Float.NaN
                            : (float) measure.score().pointsOnly(raw, null);
                }
                i++;
            }
        }
        return points;
    }

    /**
     * Black now and under the suggestion, and per measure whose share of the score grows the accounts without data for
     * it and those of them that would turn Black, as of the last as-of day there are observations of.
     */
    static Suggestion.Coverage coverage(
            List<Sample> samples, List<LocalDate> days, Scorecard current, Scorecard suggested, Scorecard ruled) {
        int last = samples.stream().mapToInt(Sample::day).max().orElse(-1);
        List<Measure> measures = new ArrayList<>();
        List<String> dimensionOf = new ArrayList<>();
        List<Double> shareNow = new ArrayList<>();
        List<Double> shareSuggested = new ArrayList<>();
        for (int d = 0; d < current.dimensions().size(); d++) {
            Dimension was = current.dimensions().get(d);
            Dimension will = suggested.dimensions().get(d);
            for (int m = 0; m < was.measures().size(); m++) {
                measures.add(was.measures().get(m));
                dimensionOf.add(was.name());
                shareNow.add(was.weight() * was.measures().get(m).weight() / 100.0);
                shareSuggested.add(will.weight() * will.measures().get(m).weight() / 100.0);
            }
        }
        long accounts = 0;
        long blackNow = 0;
        long blackSuggested = 0;
        long[] lacking = new long[measures.size()];
        long[] turnBlack = new long[measures.size()];
        for (Sample sample : samples) {
            if (sample.day() != last) {
                continue;
            }
            accounts++;
            boolean wasBlack = score(current, sample.points()).color() == Color.BLACK;
            boolean willBeBlack = score(suggested, repointed(sample, ruled)).color() == Color.BLACK;
            blackNow += wasBlack ? 1 : 0;
            blackSuggested += willBeBlack ? 1 : 0;
            for (int i = 0; i < measures.size(); i++) {
                if (Float.isNaN(sample.points()[i])) {
                    lacking[i]++;
                    turnBlack[i] += !wasBlack && willBeBlack ? 1 : 0;
                }
            }
        }
        List<Suggestion.MeasureGap> gaining = new ArrayList<>();
        for (int i = 0; i < measures.size(); i++) {
            if (shareSuggested.get(i) > shareNow.get(i)) {
                gaining.add(new Suggestion.MeasureGap(
                        dimensionOf.get(i),
                        measures.get(i).name(),
                        shareNow.get(i),
                        shareSuggested.get(i),
                        lacking[i],
                        turnBlack[i]));
            }
        }
        return new Suggestion.Coverage(last < 0 ? null : days.get(last), accounts, blackNow, blackSuggested, gaining);
    }

    /**
     * The fitted coefficients (log-odds of churn per 100 points of each measure) and, for each measure left out of the
     * fit, why: a measure without data on any fitted observation, or with the same points on all of them, says nothing
     * about churn and gets no weight, whatever number a fit would give it.
     */
    record Fit(double[] coefficients, String[] left) {}

    /**
     * The exact (maximum-likelihood) logistic regression of churn on each measure's points, an N/A standing at the
     * measure's mean so that it adds nothing either way; measures without data or variance are left out of it.
     */
    static Fit fit(List<Sample> samples, int measures) {
        double[] sums = new double[measures];
        double[] squares = new double[measures];
        long[] counts = new long[measures];
        for (Sample sample : samples) {
            for (int i = 0; i < measures; i++) {
                float points = sample.points()[i];
                if (!Float.isNaN(points)) {
                    sums[i] += points;
                    squares[i] += (double) points * points;
                    counts[i]++;
                }
            }
        }
        double[] means = new double[measures];
        String[] left = new String[measures];
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < measures; i++) {
            if (counts[i] == 0) {
                left[i] = "no data on any of the " + samples.size() + " observations fitted on";
                continue;
            }
            means[i] = sums[i] / counts[i];
            double variance = Math.max(0, squares[i] / counts[i] - means[i] * means[i]);
            if (Math.sqrt(variance) < 1e-6) {
                left[i] = "the same points (" + Points.format(means[i]) + ") on every one of the " + counts[i]
                        + " observations with data";
                continue;
            }
            kept.add(i);
        }
        double[] coefficients = new double[measures];
        if (kept.isEmpty()) {
            return new Fit(coefficients, left);
        }
        double[][] features = new double[samples.size()][kept.size()];
        boolean[] churned = new boolean[samples.size()];
        for (int s = 0; s < samples.size(); s++) {
            Sample sample = samples.get(s);
            for (int k = 0; k < kept.size(); k++) {
                int i = kept.get(k);
                float points = sample.points()[i];
                // Per 100 points, as the coefficients are read.
                features[s][k] = (Float.isNaN(points) ? means[i] : points) / 100.0;
            }
            churned[s] = sample.outcome() == Outcome.CHURNED;
        }
        double[] slopes = LogisticRegression.fit(features, churned).slopes();
        for (int k = 0; k < kept.size(); k++) {
            coefficients[kept.get(k)] = slopes[k];
        }
        return new Fit(coefficients, left);
    }

    /**
     * Weights from the coefficients: a measure weighs as much as more of its points lowers the odds of churn (a
     * measure whose points went with more churn gets the least weight allowed, 1), dimensions as much as their
     * measures together; whole numbers, each at least 1, totalling 100 at each level. A measure left out of the fit
     * ({@code left[i]} not null) weighs 0, and so does a dimension whose measures all were.
     */
    static Scorecard reweighted(Scorecard scorecard, double[] coefficients, String[] left) {
        List<Dimension> dimensions = new ArrayList<>();
        double[] dimensionStrength = new double[scorecard.dimensions().size()];
        boolean[] dimensionKept = new boolean[dimensionStrength.length];
        int index = 0;
        List<int[]> measureWeights = new ArrayList<>();
        for (int d = 0; d < scorecard.dimensions().size(); d++) {
            Dimension dimension = scorecard.dimensions().get(d);
            double[] strength = new double[dimension.measures().size()];
            boolean[] kept = new boolean[strength.length];
            for (int m = 0; m < strength.length; m++, index++) {
                kept[m] = left[index] == null;
                strength[m] = kept[m] ? Math.max(0, -coefficients[index]) : 0;
                dimensionStrength[d] += strength[m];
                dimensionKept[d] |= kept[m];
            }
            measureWeights.add(apportion(strength, kept));
        }
        int[] weights = apportion(dimensionStrength, dimensionKept);
        for (int d = 0; d < scorecard.dimensions().size(); d++) {
            Dimension dimension = scorecard.dimensions().get(d);
            List<Measure> measures = new ArrayList<>();
            for (int m = 0; m < dimension.measures().size(); m++) {
                Measure measure = dimension.measures().get(m);
                measures.add(new Measure(
                        measure.name(),
                        measure.metric(),
                        measure.aggregate(),
                        measure.window(),
                        measureWeights.get(d)[m],
                        measure.score()));
            }
            dimensions.add(new Dimension(dimension.name(), weights[d], measures));
        }
        return new Scorecard(
                scorecard.name(),
                scorecard.appliesTo(),
                scorecard.priority(),
                scorecard.thresholds(),
                scorecard.minimumCoverage(),
                dimensions);
    }

    /** The scorecard without the measures and dimensions that weigh 0, as a document can hold it. */
    static Scorecard withoutUnweighted(Scorecard scorecard) {
        List<Dimension> dimensions = new ArrayList<>();
        for (Dimension dimension : scorecard.dimensions()) {
            List<Measure> measures =
                    dimension.measures().stream().filter(m -> m.weight() > 0).toList();
            if (dimension.weight() > 0 && !measures.isEmpty()) {
                dimensions.add(new Dimension(dimension.name(), dimension.weight(), measures));
            }
        }
        return new Scorecard(
                scorecard.name(),
                scorecard.appliesTo(),
                scorecard.priority(),
                scorecard.thresholds(),
                scorecard.minimumCoverage(),
                dimensions);
    }

    /**
     * Whole numbers proportional to the strengths, each at least 1, totalling 100 (largest remainders get the rest);
     * equal shares when no strength is positive.
     */
    static int[] apportion(double[] strengths) {
        boolean[] all = new boolean[strengths.length];
        java.util.Arrays.fill(all, true);
        return apportion(strengths, all);
    }

    /** As {@link #apportion(double[])} among the kept entries only; the others get 0 (all 0 when none is kept). */
    static int[] apportion(double[] strengths, boolean[] kept) {
        int n = 0;
        double total = 0;
        for (int i = 0; i < strengths.length; i++) {
            if (kept[i]) {
                n++;
                total += strengths[i];
            }
        }
        int[] weights = new int[strengths.length];
        if (n == 0) {
            return weights;
        }
        int spare = 100 - n;
        double[] remainders = new double[strengths.length];
        int given = 0;
        for (int i = 0; i < strengths.length; i++) {
            if (!kept[i]) {
                remainders[i] = -1;
                continue;
            }
            double share = total > 0 ? strengths[i] / total * spare : (double) spare / n;
            weights[i] = 1 + (int) Math.floor(share);
            remainders[i] = share - Math.floor(share);
            given += weights[i];
        }
        while (given < 100) {
            int best = -1;
            for (int i = 0; i < strengths.length; i++) {
                if (kept[i] && (best < 0 || remainders[i] > remainders[best])) {
                    best = i;
                }
            }
            weights[best]++;
            remainders[best] = -1;
            given++;
        }
        return weights;
    }

    /** The score, color and coverage the engine gives these points under the scorecard: the one arithmetic. */
    static ScoringEngine.Summary score(Scorecard scorecard, float[] points) {
        double[] asDoubles = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            asDoubles[i] = points[i];
        }
        return ScoringEngine.summaryOfPoints(scorecard, asDoubles);
    }

    /**
     * Why the suggestion is refused, judged on the observations it was not fitted on; {@code null} when it is not. A
     * score that calls nobody Red warns of no churn whatever its accuracy, and one whose Red catches no churn is no
     * better; nor is one that gains accuracy only by calling more accounts retained (its Red catches fewer of the
     * churned than now) without beating calling every account retained: at a 2% churn rate that is right 98% of the
     * time and useless.
     */
    static String refusal(Metrics now, Metrics suggested, Thresholds thresholds) {
        long red = suggested.colors().get(2).accounts();
        long redChurned = suggested.colors().get(2).churned();
        if (red == 0) {
            return "refused: under its thresholds (Red up to " + thresholds.red() + ") no account would be Red on the "
                    + suggested.observations() + " observations judged on, so it would warn of no churn";
        }
        if (suggested.churned() > 0 && redChurned == 0) {
            return "refused: its Red (" + red + " observations judged on) would catch none of the "
                    + suggested.churned() + " that churned";
        }
        if (suggested.accuracy() != null
                && now.accuracy() != null
                && suggested.accuracy() > now.accuracy()
                && suggested.retainAllAccuracy() != null
                && suggested.accuracy() <= suggested.retainAllAccuracy()
                && suggested.redRecall() != null
                && now.redRecall() != null
                && suggested.redRecall() < now.redRecall()) {
            return "refused: it raises accuracy from " + percent(now.accuracy()) + " to "
                    + percent(suggested.accuracy()) + " only by calling more accounts retained: Red would catch "
                    + percent(suggested.redRecall()) + " of the churned instead of " + percent(now.redRecall())
                    + ", and calling every account retained would be right on " + percent(suggested.retainAllAccuracy())
                    + " of them";
        }
        return null;
    }

    private static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** The accuracy the seeds hold a score to: below it, adjust. */
    static final double ACCURACY_BAR = 0.7;

    /**
     * The red threshold that maximises the objective on the fitted days among those that keep accuracy (Red called
     * churn, Green retention) at the 70% bar; the most accurate one when none does. Yellow keeps its width above Red.
     */
    static Thresholds thresholds(List<Sample> fit, Scorecard weighted, Thresholds current, Objective objective) {
        double[] scores = new double[fit.size()];
        boolean[] black = new boolean[fit.size()];
        for (int i = 0; i < scores.length; i++) {
            ScoringEngine.Summary summary = score(weighted, fit.get(i).points());
            scores[i] = summary.score();
            black[i] = summary.color() == Color.BLACK;
        }
        int width = current.yellow() - current.red();
        Thresholds best = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        Thresholds mostAccurate = current;
        double bestAccuracy = Double.NEGATIVE_INFINITY;
        for (int red = 1; red + width <= 99; red++) {
            Thresholds candidate = new Thresholds(red, red + width);
            ScoreTally tally = new ScoreTally();
            for (int i = 0; i < scores.length; i++) {
                tally.add(
                        scores[i],
                        black[i] ? Color.BLACK : candidate.colorOf(scores[i]),
                        fit.get(i).outcome());
            }
            Metrics metrics = tally.metrics();
            double accuracy = metrics.accuracy() == null ? 0 : metrics.accuracy();
            if (accuracy > bestAccuracy) {
                bestAccuracy = accuracy;
                mostAccurate = candidate;
            }
            if (accuracy < ACCURACY_BAR) {
                continue;
            }
            double recall = metrics.redRecall() == null ? 0 : metrics.redRecall();
            double precision = metrics.redPrecision() == null ? 0 : metrics.redPrecision();
            long retained = metrics.observations() - metrics.churned();
            long redRetained =
                    metrics.colors().get(2).accounts() - metrics.colors().get(2).churned();
            double value = switch (objective) {
                case balanced -> recall - (retained == 0 ? 0 : (double) redRetained / retained);
                case f1 -> precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
                case accuracy -> accuracy;
            };
            if (value > bestValue) {
                bestValue = value;
                best = candidate;
            }
        }
        return best != null ? best : mostAccurate;
    }
}
