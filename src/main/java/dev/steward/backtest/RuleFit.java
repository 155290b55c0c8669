package dev.steward.backtest;

import dev.steward.health.engine.Points;
import dev.steward.health.engine.ScoreRule;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A measure's rule learned from its raw values on the fitted observations: the values are cut at their quantiles, the
 * churn rate of each cut is made monotone (pool adjacent violators, in whichever direction fits better), and each
 * resulting step gets points in proportion to its log-odds of churn, 0 for the riskiest and 100 for the safest. The
 * rule is bands ("below 4 → 0, below 9 → 55, else → 100"), so a scorecard stays points and weights a person can read,
 * while its points rise with the odds of retention as a regression's would.
 */
final class RuleFit {

    /** At most this many quantile cuts: more steps rank a little finer and read a lot worse. */
    static final int MAX_CUTS = 12;

    /** Each cut holds on average at least this many churned observations, so that its rate means something. */
    static final int CHURNED_PER_CUT = 8;

    /**
     * A proposed rule and why, or the current rule kept and why.
     *
     * @param rule the rule proposed, {@code null} when the current one is kept
     * @param yaml the proposed rule as a flow-style YAML value of {@code score:}, {@code null} when kept
     */
    record Proposal(ScoreRule rule, String yaml, String reason) {

        static Proposal kept(String reason) {
            return new Proposal(null, null, reason);
        }
    }

    /** A run of values with its count of observations and of churned ones. */
    private record Step(double low, double high, long observations, long churned) {

        double rate() {
            return (double) churned / observations;
        }

        Step with(Step next) {
            return new Step(low, next.high, observations + next.observations, churned + next.churned);
        }
    }

    private RuleFit() {}

    /**
     * The rule learned from the raw values on the fitted observations (those with data) and whether each churned.
     *
     * @param current the measure's rule now: a percentile rule is kept, its ranks already follow the raw values
     */
    static Proposal of(ScoreRule current, double[] values, boolean[] churned) {
        if (current.needsSegment()) {
            return Proposal.kept("a percentile rank is kept: it already follows the raw values within the segment");
        }
        long churns = 0;
        for (boolean c : churned) {
            churns += c ? 1 : 0;
        }
        int n = values.length;
        if (churns == 0 || churns == n) {
            return Proposal.kept("kept: " + (churns == 0 ? "none" : "all") + " of the " + count(n)
                    + " observations with data churned");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        int cuts = (int) Math.max(2, Math.min(MAX_CUTS, churns / CHURNED_PER_CUT));
        List<Step> steps = quantiles(values, churned, order, cuts);
        if (steps.size() < 2) {
            return Proposal.kept("kept: the " + count(n) + " observations with data all have the same value");
        }
        List<Step> falling = pooled(steps, true);
        List<Step> rising = pooled(steps, false);
        boolean moreIsBetter = misfit(steps, falling) <= misfit(steps, rising);
        List<Step> monotone = moreIsBetter ? falling : rising;
        if (monotone.size() < 2) {
            return Proposal.kept("kept: churn neither rose nor fell with it on the fitted days ("
                    + percent(monotone.get(0).rate()) + " of " + count(n) + " churned throughout)");
        }
        double[] logOdds = new double[monotone.size()];
        double riskiest = Double.NEGATIVE_INFINITY;
        double safest = Double.POSITIVE_INFINITY;
        for (int j = 0; j < logOdds.length; j++) {
            Step step = monotone.get(j);
            // Half an observation each way keeps a step without churn from infinitely low odds.
            double rate = (step.churned() + 0.5) / (step.observations() + 1.0);
            logOdds[j] = Math.log(rate / (1 - rate));
            riskiest = Math.max(riskiest, logOdds[j]);
            safest = Math.min(safest, logOdds[j]);
        }
        // Whole points; neighbouring steps that round alike are one band.
        List<Step> bands = new ArrayList<>();
        List<Long> points = new ArrayList<>();
        for (int j = 0; j < logOdds.length; j++) {
            long p = Math.round(100 * (riskiest - logOdds[j]) / (riskiest - safest));
            if (!points.isEmpty() && points.get(points.size() - 1) == p) {
                bands.set(bands.size() - 1, bands.get(bands.size() - 1).with(monotone.get(j)));
            } else {
                bands.add(monotone.get(j));
                points.add(p);
            }
        }
        List<ScoreRule.Band> below = new ArrayList<>();
        StringBuilder yaml = new StringBuilder("{ bands: [ ");
        StringBuilder reason = new StringBuilder("churn on the " + count(n) + " fitted observations with data: ");
        BigDecimal previous = null;
        for (int j = 0; j < bands.size(); j++) {
            Step step = bands.get(j);
            BigDecimal bound =
                    j + 1 < bands.size() ? bound(step.high(), bands.get(j + 1).low()) : null;
            if (bound != null) {
                below.add(new ScoreRule.Band(ScoreRule.Direction.BELOW, bound.doubleValue(), points.get(j)));
                yaml.append("{ below: ")
                        .append(bound.toPlainString())
                        .append(", points: ")
                        .append(points.get(j));
                yaml.append(" }, ");
            } else {
                yaml.append("{ else: ").append(points.get(j)).append(" } ] }");
            }
            String range = previous == null
                    ? "below " + bound.toPlainString()
                    : bound == null
                            ? previous.toPlainString() + " and above"
                            : previous.toPlainString() + " to below " + bound.toPlainString();
            reason.append(j == 0 ? "" : ", ")
                    .append(percent(step.rate()))
                    .append(" ")
                    .append(range)
                    .append(" (")
                    .append(count(step.observations()))
                    .append(") → ")
                    .append(points.get(j));
            previous = bound;
        }
        reason.append(moreIsBetter ? "; more is better" : "; less is better");
        return new Proposal(
                new ScoreRule.Bands(below, points.get(points.size() - 1)), yaml.toString(), reason.toString());
    }

    /**
     * Cuts of about equal numbers of observations, a cut never splitting one value; a last cut of less than half the
     * size joins the one before it.
     */
    private static List<Step> quantiles(double[] values, boolean[] churned, Integer[] order, int cuts) {
        int n = order.length;
        double size = (double) n / cuts;
        List<Step> steps = new ArrayList<>();
        int start = 0;
        while (start < n) {
            int end = Math.max(start + 1, (int) Math.round(size * (steps.size() + 1)));
            end = Math.min(end, n);
            while (end < n && values[order[end]] == values[order[end - 1]]) {
                end++;
            }
            long c = 0;
            for (int i = start; i < end; i++) {
                c += churned[order[i]] ? 1 : 0;
            }
            Step step = new Step(values[order[start]], values[order[end - 1]], end - start, c);
            if (!steps.isEmpty() && step.observations() < size / 2 && end == n) {
                steps.set(steps.size() - 1, steps.get(steps.size() - 1).with(step));
            } else {
                steps.add(step);
            }
            start = end;
        }
        return steps;
    }

    /**
     * Pool adjacent violators: neighbouring steps whose churn rates go the wrong way are pooled until the rates fall
     * ({@code falling}: churn falls as the value rises) or rise throughout.
     */
    private static List<Step> pooled(List<Step> steps, boolean falling) {
        List<Step> pooled = new ArrayList<>();
        for (Step step : steps) {
            pooled.add(step);
            while (pooled.size() > 1) {
                Step last = pooled.get(pooled.size() - 1);
                Step before = pooled.get(pooled.size() - 2);
                boolean wrong = falling ? last.rate() >= before.rate() : last.rate() <= before.rate();
                if (!wrong) {
                    break;
                }
                pooled.remove(pooled.size() - 1);
                pooled.set(pooled.size() - 1, before.with(last));
            }
        }
        return pooled;
    }

    /** How far the cuts' churn rates lie from the pooled steps' (squared, weighted by observations). */
    private static double misfit(List<Step> steps, List<Step> pooled) {
        double sum = 0;
        int p = 0;
        for (Step step : steps) {
            while (step.low() > pooled.get(p).high()) {
                p++;
            }
            double gap = step.rate() - pooled.get(p).rate();
            sum += step.observations() * gap * gap;
        }
        return sum;
    }

    /**
     * The roundest number above the highest value of one step and no higher than the lowest of the next: "below 5"
     * rather than "below 4.73", and the same observations on each side.
     */
    static BigDecimal bound(double highBelow, double lowAbove) {
        BigDecimal low = new BigDecimal(highBelow);
        BigDecimal high = new BigDecimal(lowAbove);
        int top = (int) Math.floor(Math.log10(Math.max(Math.abs(highBelow), Math.abs(lowAbove)) + 1e-300)) + 1;
        for (int scale = -top; scale <= 12; scale++) {
            BigDecimal candidate = low.setScale(scale, RoundingMode.FLOOR).add(BigDecimal.ONE.movePointLeft(scale));
            if (candidate.compareTo(low) > 0 && candidate.compareTo(high) <= 0) {
                return candidate.stripTrailingZeros();
            }
        }
        return high.stripTrailingZeros();
    }

    private static String percent(double fraction) {
        return Points.format(fraction * 100) + "%";
    }

    private static String count(long n) {
        return NumberFormat.getIntegerInstance(Locale.ENGLISH).format(n);
    }
}
