package dev.steward.backtest;

import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.steward.health.Color;
import dev.steward.health.Dimension;
import dev.steward.health.Measure;
import dev.steward.health.Scorecard;
import dev.steward.health.Thresholds;
import dev.steward.health.VersionedScorecard;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Learns weights and thresholds for a scorecard from its observations: a logistic regression (Tribuo) of churn on each
 * measure's points over the earlier as-of days, turned into positive whole-number weights that total 100 within each
 * dimension and across dimensions, and a red threshold that maximises the objective on those days; then scores the
 * later days both ways to show what the suggestion would have changed.
 */
final class WeightSuggester {

    /** Fewer churned observations than this to fit on, and no suggestion is made. */
    static final int MIN_CHURNED = 10;

    private static final String CHURNED = "churned";
    private static final String RETAINED = "retained";

    /** What the red threshold is chosen to maximise. */
    enum Objective {
        /** Accuracy, Red called churn and Green retention. */
        accuracy,
        /** Recall of Red minus the share of retained accounts that were Red (Youden's J): more churn caught. */
        balanced,
        /** The harmonic mean of precision and recall of Red. */
        f1
    }

    /** One observation: each measure's points ({@code NaN} for N/A), the score and color it had, and its outcome. */
    record Sample(int day, float[] points, double score, Color color, Outcome outcome) {}

    private WeightSuggester() {}

    static Suggestion suggest(
            VersionedScorecard version,
            List<Sample> samples,
            List<LocalDate> days,
            int horizon,
            Objective objective,
            Function<Scorecard, String> yaml) {
        List<Measure> measures = version.measures();
        int evaluatedFrom = Math.max(1, (days.size() * 2 + 2) / 3);
        LocalDate evaluationStart = days.get(Math.min(evaluatedFrom, days.size() - 1));
        List<Sample> fit = new ArrayList<>();
        List<Sample> evaluation = new ArrayList<>();
        int lastFitDay = -1;
        for (Sample sample : samples) {
            if (sample.color() == Color.BLACK) {
                continue;
            }
            if (sample.day() >= evaluatedFrom) {
                evaluation.add(sample);
            } else if (!days.get(sample.day()).plusDays(horizon).isAfter(evaluationStart)) {
                fit.add(sample);
                lastFitDay = Math.max(lastFitDay, sample.day());
            }
        }
        Scorecard current = version.scorecard();
        long churned = fit.stream().filter(s -> s.outcome() == Outcome.CHURNED).count();
        if (churned < MIN_CHURNED || evaluation.isEmpty() || lastFitDay < 0) {
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
                    "too little history to learn from: " + churned + " churned observations on the days before "
                            + evaluationStart + " (at least " + MIN_CHURNED + " are needed) and " + evaluation.size()
                            + " observations from then on");
        }
        double[] means = means(fit, measures.size());
        double[] coefficients = fit(fit, measures.size(), means);
        Scorecard weighted = reweighted(current, coefficients);
        Thresholds thresholds = thresholds(fit, weighted, current.thresholds(), objective);
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
            double score = score(suggested, sample.points());
            after.add(score, thresholds.colorOf(score), sample.outcome());
        }
        List<Suggestion.DimensionWeight> dimensionWeights = new ArrayList<>();
        List<Suggestion.MeasureWeight> measureWeights = new ArrayList<>();
        int index = 0;
        for (int d = 0; d < current.dimensions().size(); d++) {
            Dimension was = current.dimensions().get(d);
            Dimension will = suggested.dimensions().get(d);
            dimensionWeights.add(new Suggestion.DimensionWeight(was.name(), was.weight(), will.weight()));
            for (int m = 0; m < was.measures().size(); m++) {
                measureWeights.add(new Suggestion.MeasureWeight(
                        was.name(),
                        was.measures().get(m).name(),
                        was.measures().get(m).weight(),
                        will.measures().get(m).weight(),
                        Math.round(coefficients[index++] * 1000) / 1000.0));
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
                yaml.apply(suggested),
                null);
    }

    /** Each measure's mean points where it had data (50 where it never had), to stand in for N/A when fitting. */
    static double[] means(List<Sample> samples, int measures) {
        double[] sums = new double[measures];
        long[] counts = new long[measures];
        for (Sample sample : samples) {
            for (int i = 0; i < measures; i++) {
                if (!Float.isNaN(sample.points()[i])) {
                    sums[i] += sample.points()[i];
                    counts[i]++;
                }
            }
        }
        double[] means = new double[measures];
        for (int i = 0; i < measures; i++) {
            means[i] = counts[i] == 0 ? 50 : sums[i] / counts[i];
        }
        return means;
    }

    /** The fitted log-odds of churn per 100 points of each measure. */
    static double[] fit(List<Sample> samples, int measures, double[] means) {
        LabelFactory labels = new LabelFactory();
        String[] names = new String[measures];
        for (int i = 0; i < measures; i++) {
            names[i] = "m" + i;
        }
        List<org.tribuo.Example<Label>> examples = new ArrayList<>();
        for (Sample sample : samples) {
            double[] values = new double[measures];
            for (int i = 0; i < measures; i++) {
                float points = sample.points()[i];
                values[i] = (Float.isNaN(points) ? means[i] : points) / 100.0;
            }
            examples.add(new ArrayExample<>(
                    new Label(sample.outcome() == Outcome.CHURNED ? CHURNED : RETAINED), names, values));
        }
        MutableDataset<Label> dataset = new MutableDataset<>(new ListDataSource<>(
                examples, labels, new SimpleDataSourceProvenance("backtest observations", labels)));
        LinearSGDModel model = (LinearSGDModel) new LogisticRegressionTrainer().train(dataset);
        Map<String, List<Pair<String, Double>>> weights = model.getTopFeatures(-1);
        double[] coefficients = new double[measures];
        for (int i = 0; i < measures; i++) {
            coefficients[i] = weight(weights.get(CHURNED), names[i]) - weight(weights.get(RETAINED), names[i]);
        }
        return coefficients;
    }

    private static double weight(List<Pair<String, Double>> features, String name) {
        if (features == null) {
            return 0;
        }
        return features.stream()
                .filter(pair -> pair.getA().equals(name))
                .mapToDouble(Pair::getB)
                .findFirst()
                .orElse(0);
    }

    /**
     * Weights from the coefficients: a measure weighs as much as more of its points lowers the odds of churn (a
     * measure whose points went with more churn gets the least weight allowed, 1), dimensions as much as their
     * measures together; whole numbers, each at least 1, totalling 100 at each level.
     */
    static Scorecard reweighted(Scorecard scorecard, double[] coefficients) {
        List<Dimension> dimensions = new ArrayList<>();
        double[] dimensionStrength = new double[scorecard.dimensions().size()];
        int index = 0;
        List<int[]> measureWeights = new ArrayList<>();
        for (int d = 0; d < scorecard.dimensions().size(); d++) {
            Dimension dimension = scorecard.dimensions().get(d);
            double[] strength = new double[dimension.measures().size()];
            for (int m = 0; m < strength.length; m++) {
                strength[m] = Math.max(0, -coefficients[index++]);
                dimensionStrength[d] += strength[m];
            }
            measureWeights.add(strength.length == 0 ? new int[0] : apportion(strength));
        }
        int[] weights = apportion(dimensionStrength);
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

    /**
     * Whole numbers proportional to the strengths, each at least 1, totalling 100 (largest remainders get the rest);
     * equal shares when no strength is positive.
     */
    static int[] apportion(double[] strengths) {
        int n = strengths.length;
        double total = 0;
        for (double s : strengths) {
            total += s;
        }
        int spare = 100 - n;
        int[] weights = new int[n];
        double[] remainders = new double[n];
        int given = 0;
        for (int i = 0; i < n; i++) {
            double share = total > 0 ? strengths[i] / total * spare : (double) spare / n;
            weights[i] = 1 + (int) Math.floor(share);
            remainders[i] = share - Math.floor(share);
            given += weights[i];
        }
        while (given < 100) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (remainders[i] > remainders[best]) {
                    best = i;
                }
            }
            weights[best]++;
            remainders[best] = -1;
            given++;
        }
        return weights;
    }

    /**
     * The score the engine would give these points under the scorecard: each dimension the weighted mean of its
     * measures with data, the score the weighted mean of dimensions with data, rounded to a tenth.
     */
    static double score(Scorecard scorecard, float[] points) {
        double total = 0;
        double weights = 0;
        int index = 0;
        for (Dimension dimension : scorecard.dimensions()) {
            double sum = 0;
            double weight = 0;
            for (Measure measure : dimension.measures()) {
                float p = points[index++];
                if (!Float.isNaN(p)) {
                    sum += p * measure.weight();
                    weight += measure.weight();
                }
            }
            if (weight > 0) {
                total += sum / weight * dimension.weight();
                weights += dimension.weight();
            }
        }
        return weights == 0 ? 0 : Math.round(total / weights * 10) / 10.0;
    }

    /** The accuracy the seeds hold a score to: below it, adjust. */
    static final double ACCURACY_BAR = 0.7;

    /**
     * The red threshold that maximises the objective on the fitted days among those that keep accuracy (Red called
     * churn, Green retention) at the 70% bar; the most accurate one when none does. Yellow keeps its width above Red.
     */
    static Thresholds thresholds(List<Sample> fit, Scorecard weighted, Thresholds current, Objective objective) {
        double[] scores = new double[fit.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = score(weighted, fit.get(i).points());
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
                tally.add(scores[i], candidate.colorOf(scores[i]), fit.get(i).outcome());
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
