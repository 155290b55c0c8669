package dev.steward.backtest;

import dev.steward.health.engine.Measure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What a plain model would make of the same data: a logistic regression of churn on the raw values of the measures a
 * scorecard uses, fitted on the observations its suggestion is fitted on and judged, like the scorecard, on the later
 * ones (or the accounts kept aside) that neither was fitted on. Its ROC AUC beside the scorecard's on those same
 * observations says how much predictive power the scorecard's rules and weights leave on the table.
 *
 * <p>A measure enters the model when it has data on a fitted observation and varies among them; where an observation
 * has no data of it, it stands at its mean on the fitted observations (it adds nothing either way). The benchmark is
 * inconclusive, and gives no AUC, with fewer than {@value #MIN_EACH} churned or fewer than {@value #MIN_EACH} retained
 * observations on either the fitted or the judged side.
 *
 * @param measures the measures in the model, as the scorecard names them
 * @param fitted observations fitted on, of which {@code fittedChurned} churned within the horizon
 * @param evaluated observations judged on, of which {@code evaluatedChurned} churned within the horizon
 * @param modelAuc the model's ROC AUC on the judged observations (the chance that a churned one had the higher
 *     predicted risk than a retained one, ties counting half); {@code null} when inconclusive
 * @param scorecardAuc the scorecard's ROC AUC on the same observations, as the backtest computes it from their scores;
 *     {@code null} when inconclusive
 * @param inconclusive why there is no comparison, {@code null} when there is
 */
public record ModelBenchmark(
        List<String> measures,
        long fitted,
        long fittedChurned,
        long evaluated,
        long evaluatedChurned,
        Double modelAuc,
        Double scorecardAuc,
        String inconclusive) {

    /** Fewer churned, or fewer retained, observations than this on either side, and there is no comparison. */
    static final int MIN_EACH = WeightSuggester.MIN_CHURNED;

    public ModelBenchmark {
        measures = List.copyOf(measures);
    }

    /** The benchmark of a scorecard's measures over the suggestion's split of its observations. */
    static ModelBenchmark of(List<Measure> measures, WeightSuggester.Split split) {
        List<WeightSuggester.Sample> fit = split.fit();
        List<WeightSuggester.Sample> evaluation = split.evaluation();
        long fittedChurned = churned(fit);
        long evaluatedChurned = churned(evaluation);
        String problem = null;
        if (fittedChurned < MIN_EACH || fit.size() - fittedChurned < MIN_EACH) {
            problem = "too few observations to fit a model on: " + fittedChurned + " churned and "
                    + (fit.size() - fittedChurned) + " retained (at least " + MIN_EACH + " of each are needed)";
        } else if (evaluatedChurned < MIN_EACH || evaluation.size() - evaluatedChurned < MIN_EACH) {
            problem = "too few observations to judge a model on: " + evaluatedChurned + " churned and "
                    + (evaluation.size() - evaluatedChurned) + " retained on the observations kept aside (at least "
                    + MIN_EACH + " of each are needed)";
        }
        // The measures with raw values that vary on the fitted observations, and their means there.
        int count = measures.size();
        double[] sums = new double[count];
        double[] squares = new double[count];
        long[] present = new long[count];
        for (WeightSuggester.Sample sample : fit) {
            for (int i = 0; i < count; i++) {
                double value = raw(sample, i);
                if (!Double.isNaN(value)) {
                    sums[i] += value;
                    squares[i] += value * value;
                    present[i]++;
                }
            }
        }
        List<Integer> kept = new ArrayList<>();
        double[] means = new double[count];
        for (int i = 0; i < count; i++) {
            if (present[i] == 0) {
                continue;
            }
            means[i] = sums[i] / present[i];
            double variance = squares[i] / present[i] - means[i] * means[i];
            if (variance > 1e-12 * Math.max(1, means[i] * means[i])) {
                kept.add(i);
            }
        }
        List<String> names = kept.stream().map(i -> measures.get(i).name()).toList();
        if (problem == null && kept.isEmpty()) {
            problem = "no measure had raw values that varied across the " + fit.size() + " observations fitted on";
        }
        if (problem != null) {
            return new ModelBenchmark(
                    names, fit.size(), fittedChurned, evaluation.size(), evaluatedChurned, null, null, problem);
        }
        double[][] features = new double[fit.size()][];
        boolean[] churned = new boolean[fit.size()];
        for (int s = 0; s < fit.size(); s++) {
            features[s] = features(fit.get(s), kept, means);
            churned[s] = fit.get(s).outcome() == Outcome.CHURNED;
        }
        LogisticRegression.Fit model = LogisticRegression.fit(features, churned);
        double[] risk = new double[evaluation.size()];
        boolean[] judged = new boolean[evaluation.size()];
        ScoreTally scorecard = new ScoreTally();
        for (int s = 0; s < evaluation.size(); s++) {
            WeightSuggester.Sample sample = evaluation.get(s);
            double[] x = features(sample, kept, means);
            double eta = model.intercept();
            for (int k = 0; k < x.length; k++) {
                eta += model.slopes()[k] * x[k];
            }
            risk[s] = eta;
            judged[s] = sample.outcome() == Outcome.CHURNED;
            scorecard.add(sample.score(), sample.color(), sample.outcome());
        }
        return new ModelBenchmark(
                names,
                fit.size(),
                fittedChurned,
                evaluation.size(),
                evaluatedChurned,
                rocAuc(risk, judged),
                scorecard.metrics().rocAuc(),
                null);
    }

    /**
     * The Mann–Whitney statistic of a risk: over every pair of a churned and a retained observation, the share where
     * the churned one had the higher risk, a tie counting half; {@code null} without both kinds.
     */
    static Double rocAuc(double[] risk, boolean[] churned) {
        Integer[] order = new Integer[risk.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> risk[i]));
        long positives = 0;
        long negatives = 0;
        double pairs = 0;
        long negativesBelow = 0;
        for (int start = 0; start < order.length; ) {
            int end = start;
            long tiedPositives = 0;
            long tiedNegatives = 0;
            while (end < order.length && risk[order[end]] == risk[order[start]]) {
                if (churned[order[end]]) {
                    tiedPositives++;
                } else {
                    tiedNegatives++;
                }
                end++;
            }
            pairs += tiedPositives * (negativesBelow + 0.5 * tiedNegatives);
            negativesBelow += tiedNegatives;
            positives += tiedPositives;
            negatives += tiedNegatives;
            start = end;
        }
        return positives == 0 || negatives == 0 ? null : pairs / ((double) positives * negatives);
    }

    private static double[] features(WeightSuggester.Sample sample, List<Integer> kept, double[] means) {
        double[] x = new double[kept.size()];
        for (int k = 0; k < x.length; k++) {
            double value = raw(sample, kept.get(k));
            x[k] = Double.isNaN(value) ? means[kept.get(k)] : value;
        }
        return x;
    }

    private static double raw(WeightSuggester.Sample sample, int measure) {
        return measure < sample.raw().length ? sample.raw()[measure] : Double.NaN;
    }

    private static long churned(List<WeightSuggester.Sample> samples) {
        return samples.stream().filter(s -> s.outcome() == Outcome.CHURNED).count();
    }
}
