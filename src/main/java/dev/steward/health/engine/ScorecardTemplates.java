package dev.steward.health.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Starting points for a new scorecard: a skeleton with one example measure, a copy of another scorecard under a new
 * name and population, or a scorecard generated from the data of the accounts it will score. A generated scorecard
 * holds one measure per metric that has data for those accounts and tells them apart, every measure weighing the same
 * share of the score, each scored linearly between the {@value #LOW_PERCENTILE}th and {@value #HIGH_PERCENTILE}th
 * percentile of those accounts' values (turned round where less is better, as for tickets or days overdue).
 */
public final class ScorecardTemplates {

    /** The percentile of the accounts' values that gets no points (or every point, where less is better). */
    public static final int LOW_PERCENTILE = 10;

    /** The percentile of the accounts' values that gets every point (or none, where less is better). */
    public static final int HIGH_PERCENTILE = 90;

    /** Weights are whole percentages, so a scorecard holds at most this many measures that all weigh something. */
    public static final int MAXIMUM_MEASURES = 100;

    /** The dimensions a generated scorecard groups its measures in, in this order. */
    public static final String PRODUCT = "Product";

    public static final String ENGAGEMENT = "Engagement";
    public static final String SUPPORT = "Support";
    public static final String FINANCIAL = "Financial";
    public static final String ATTRIBUTES = "Account attributes";

    private static final List<String> DIMENSIONS = List.of(PRODUCT, ENGAGEMENT, SUPPORT, FINANCIAL, ATTRIBUTES);

    /** The usage family measured as the share of its metrics used, as the shipped scorecards do. */
    public static final String FEATURE_FAMILY = "feature.*";

    private static final Window MONTH = Window.days(30);
    private static final Window QUARTER = Window.days(90);

    private ScorecardTemplates() {}

    /**
     * A usage metric of the catalog: its key and name, and whether its daily values add up ({@code summed}) or the
     * highest day counts, as for distinct active users (then the generated measure averages the days instead).
     */
    public record UsageMetricSpec(String key, String name, boolean summed) {}

    /** A measure a generated scorecard may hold: how it reads its metric, its dimension, and whether less is better. */
    public record Candidate(
            String dimension, String name, String metric, Aggregate aggregate, Window window, boolean lowerIsBetter) {

        Measure measure(int weight, ScoreRule rule) {
            return new Measure(name, metric, aggregate, window, weight, rule);
        }
    }

    /**
     * Every measure a scorecard could be generated with: each usage metric of the catalog (summed, or averaged per day,
     * over 30 days) except the key features, which count as one measure (the share of them used over 90 days); each
     * fact other than usage ({@link ScorecardDocuments#FACT_METRICS}, over 90 days, read the one way each is read); and
     * each account attribute (its latest value in 90 days).
     */
    public static List<Candidate> candidates(List<UsageMetricSpec> usage, Collection<String> attributes) {
        List<Candidate> candidates = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean features = false;
        for (UsageMetricSpec metric : usage) {
            if (metric.key().startsWith("feature.")) {
                features = true;
                continue;
            }
            candidates.add(unique(
                    names,
                    new Candidate(
                            PRODUCT,
                            metric.name(),
                            metric.key(),
                            metric.summed() ? Aggregate.sum : Aggregate.average,
                            MONTH,
                            false)));
        }
        if (features) {
            candidates.add(unique(
                    names,
                    new Candidate(
                            PRODUCT, "Feature adoption", FEATURE_FAMILY, Aggregate.distinct_ratio, QUARTER, false)));
        }
        for (Candidate fact : FACTS) {
            candidates.add(unique(names, fact));
        }
        attributes.stream()
                .sorted()
                .forEach(attribute -> candidates.add(unique(
                        names,
                        new Candidate(
                                ATTRIBUTES,
                                humane(attribute),
                                ScorecardDocuments.ATTRIBUTE + attribute,
                                Aggregate.latest,
                                QUARTER,
                                false))));
        return candidates;
    }

    /**
     * A scorecard holding every candidate, for reading each one's raw values for the accounts a new scorecard would
     * score in one pass; its measures are in the candidates' order. It is never saved.
     */
    public static Scorecard probe(String name, String appliesTo, int priority, List<Candidate> candidates) {
        List<Measure> measures = new ArrayList<>();
        for (Candidate candidate : candidates) {
            measures.add(candidate.measure(1, new ScoreRule.Linear(0, 1)));
        }
        return new Scorecard(
                name, appliesTo, priority, Thresholds.DEFAULT, 0, List.of(new Dimension("Probe", 100, measures)));
    }

    /**
     * What the data said of one candidate: how many of the accounts had data of it, the range its points run over,
     * and why it was left out ({@code null} when it is in the scorecard).
     */
    public record Signal(Candidate candidate, int accountsWithData, Double low, Double high, String leftOut) {

        public boolean included() {
            return leftOut == null;
        }
    }

    /**
     * A scorecard generated from the data ({@code null} when no candidate had data that tells the accounts apart),
     * the number of accounts it was generated from, and what was found of every candidate, in the candidates' order.
     */
    public record Generated(Scorecard scorecard, int accounts, List<Signal> signals) {

        public List<Signal> included() {
            return signals.stream().filter(Signal::included).toList();
        }

        public List<Signal> leftOut() {
            return signals.stream().filter(s -> !s.included()).toList();
        }
    }

    /**
     * A scorecard from the raw values the accounts it will score have of each candidate.
     *
     * @param values one array per account, each holding the candidates' raw values in their order ({@code NaN}: no
     *     data), as the {@link #probe} scorecard gives them
     */
    public static Generated fromData(
            String name, String appliesTo, int priority, List<Candidate> candidates, List<double[]> values) {
        List<Signal> signals = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            signals.add(signal(candidates.get(i), i, values));
        }
        List<Signal> included =
                new ArrayList<>(signals.stream().filter(Signal::included).toList());
        if (included.size() > MAXIMUM_MEASURES) {
            // Weights are whole percentages: keep the measures most accounts have data of.
            List<Signal> kept = included.stream()
                    .sorted(Comparator.comparingInt(Signal::accountsWithData).reversed())
                    .limit(MAXIMUM_MEASURES)
                    .toList();
            for (int i = 0; i < signals.size(); i++) {
                Signal signal = signals.get(i);
                if (signal.included() && !kept.contains(signal)) {
                    signals.set(
                            i,
                            new Signal(
                                    signal.candidate(),
                                    signal.accountsWithData(),
                                    signal.low(),
                                    signal.high(),
                                    "more than " + MAXIMUM_MEASURES + " measures had data; the " + MAXIMUM_MEASURES
                                            + " that most accounts have data of were kept"));
                }
            }
            included = new ArrayList<>(kept);
        }
        if (included.isEmpty()) {
            return new Generated(null, values.size(), List.copyOf(signals));
        }
        Map<String, List<Signal>> byDimension = new LinkedHashMap<>();
        DIMENSIONS.forEach(dimension -> byDimension.put(dimension, new ArrayList<>()));
        for (Signal signal : signals) {
            if (included.contains(signal)) {
                byDimension.get(signal.candidate().dimension()).add(signal);
            }
        }
        byDimension.values().removeIf(List::isEmpty);
        int[] dimensionWeights = proportionalShares(
                byDimension.values().stream().mapToInt(List::size).toArray());
        List<Dimension> dimensions = new ArrayList<>();
        int d = 0;
        for (Map.Entry<String, List<Signal>> dimension : byDimension.entrySet()) {
            int[] weights = equalShares(dimension.getValue().size());
            List<Measure> measures = new ArrayList<>();
            for (int m = 0; m < weights.length; m++) {
                Signal signal = dimension.getValue().get(m);
                ScoreRule rule = signal.candidate().lowerIsBetter()
                        ? new ScoreRule.Linear(signal.high(), signal.low())
                        : new ScoreRule.Linear(signal.low(), signal.high());
                measures.add(signal.candidate().measure(weights[m], rule));
            }
            dimensions.add(new Dimension(dimension.getKey(), dimensionWeights[d++], measures));
        }
        Scorecard scorecard = new Scorecard(
                name, appliesTo, priority, Thresholds.DEFAULT, Scorecard.DEFAULT_MINIMUM_COVERAGE, dimensions);
        return new Generated(scorecard, values.size(), List.copyOf(signals));
    }

    /** A valid skeleton with one example measure (ticket volume, which every installation can read), to edit. */
    public static Scorecard blank(String name, String appliesTo, int priority) {
        Measure tickets = new Measure(
                "Ticket volume",
                "tickets.count",
                Aggregate.count,
                QUARTER,
                100,
                new ScoreRule.Bands(
                        List.of(
                                new ScoreRule.Band(ScoreRule.Direction.ABOVE, 10, 0),
                                new ScoreRule.Band(ScoreRule.Direction.ABOVE, 4, 50)),
                        100));
        return new Scorecard(
                name,
                appliesTo,
                priority,
                Thresholds.DEFAULT,
                Scorecard.DEFAULT_MINIMUM_COVERAGE,
                List.of(new Dimension(SUPPORT, 100, List.of(tickets))));
    }

    /** Another scorecard's dimensions, measures, thresholds and coverage under a new name, population and priority. */
    public static Scorecard copy(Scorecard source, String name, String appliesTo, int priority) {
        return new Scorecard(
                name, appliesTo, priority, source.thresholds(), source.minimumCoverage(), source.dimensions());
    }

    /** {@code parts} whole percentages that total 100 and differ by at most one, the larger ones first. */
    static int[] equalShares(int parts) {
        int[] shares = new int[parts];
        Arrays.fill(shares, 100 / parts);
        for (int i = 0; i < 100 % parts; i++) {
            shares[i]++;
        }
        return shares;
    }

    /**
     * Whole percentages that total 100, each as near as can be to its count's share of all counts (largest remainders
     * get the points rounding leaves over; ties go to the earlier), so that every measure weighs about the same.
     */
    static int[] proportionalShares(int[] counts) {
        int total = Arrays.stream(counts).sum();
        int[] shares = new int[counts.length];
        double[] remainders = new double[counts.length];
        int given = 0;
        for (int i = 0; i < counts.length; i++) {
            double exact = 100.0 * counts[i] / total;
            shares[i] = (int) Math.floor(exact);
            remainders[i] = exact - shares[i];
            given += shares[i];
        }
        for (int left = 100 - given; left > 0; left--) {
            int largest = 0;
            for (int i = 1; i < counts.length; i++) {
                if (remainders[i] > remainders[largest]) {
                    largest = i;
                }
            }
            shares[largest]++;
            remainders[largest] = -1;
        }
        return shares;
    }

    /** The p-th percentile of sorted values, interpolated linearly between the closest ranks. */
    static double percentile(double[] sorted, int p) {
        double position = (sorted.length - 1) * p / 100.0;
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static Signal signal(Candidate candidate, int index, List<double[]> values) {
        double[] known = values.stream()
                .mapToDouble(raw -> index < raw.length ? raw[index] : Double.NaN)
                .filter(Double::isFinite)
                .sorted()
                .toArray();
        if (known.length == 0) {
            return new Signal(candidate, 0, null, null, "no data for any of the " + values.size() + " accounts");
        }
        double low = percentile(known, LOW_PERCENTILE);
        double high = percentile(known, HIGH_PERCENTILE);
        if (low == high) {
            low = known[0];
            high = known[known.length - 1];
        }
        if (low == high) {
            return new Signal(
                    candidate,
                    known.length,
                    low,
                    high,
                    (known.length == 1
                                    ? "only 1 account has data"
                                    : "the same value (" + Points.format(low) + ") for all " + known.length
                                            + " accounts with data")
                            + ", so it cannot tell accounts apart");
        }
        double[] rounded = rounded(low, high);
        return new Signal(candidate, known.length, rounded[0], rounded[1], null);
    }

    /** The two bounds to three significant digits, or more where three would make them equal. */
    private static double[] rounded(double low, double high) {
        for (int digits = 3; digits < 17; digits++) {
            MathContext context = new MathContext(digits);
            double a = new BigDecimal(low).round(context).doubleValue();
            double b = new BigDecimal(high).round(context).doubleValue();
            if (a != b) {
                return new double[] {a, b};
            }
        }
        return new double[] {low, high};
    }

    private static Candidate unique(Set<String> names, Candidate candidate) {
        if (names.add(candidate.name())) {
            return candidate;
        }
        String name = candidate.name() + " (" + candidate.metric() + ")";
        names.add(name);
        return new Candidate(
                candidate.dimension(),
                name,
                candidate.metric(),
                candidate.aggregate(),
                candidate.window(),
                candidate.lowerIsBetter());
    }

    /** "tenure_months" as a person writes it: "Tenure months". */
    private static String humane(String attribute) {
        String words = attribute.replace('_', ' ').replace('-', ' ').strip();
        return words.isEmpty() ? attribute : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }

    /** Every fact other than usage, read as scoring reads it, in the dimension the shipped scorecards put it in. */
    private static final List<Candidate> FACTS = List.of(
            new Candidate(ENGAGEMENT, "QBRs held", "meetings.qbr", Aggregate.count, QUARTER, false),
            new Candidate(
                    ENGAGEMENT,
                    "Days since executive-sponsor meeting",
                    "meetings.exec_sponsor_days_since",
                    Aggregate.days_since,
                    QUARTER,
                    true),
            new Candidate(
                    ENGAGEMENT, "Champion present", "contacts.champion_present", Aggregate.latest, QUARTER, false),
            new Candidate(ENGAGEMENT, "NPS", "surveys.nps", Aggregate.average, QUARTER, false),
            new Candidate(ENGAGEMENT, "CSM sentiment", "sentiment.csm", Aggregate.latest, QUARTER, false),
            new Candidate(SUPPORT, "Ticket volume", "tickets.count", Aggregate.count, QUARTER, true),
            new Candidate(SUPPORT, "Escalations", "tickets.escalated", Aggregate.count, QUARTER, true),
            new Candidate(
                    SUPPORT,
                    "Time to resolution (hours)",
                    "tickets.resolution_hours",
                    Aggregate.average,
                    QUARTER,
                    true),
            new Candidate(SUPPORT, "CSAT", "tickets.csat", Aggregate.average, QUARTER, false),
            new Candidate(FINANCIAL, "Days overdue", "invoices.days_overdue", Aggregate.latest, QUARTER, true),
            new Candidate(FINANCIAL, "Late invoices", "invoices.late", Aggregate.count, QUARTER, true),
            new Candidate(
                    FINANCIAL,
                    "ARR change over 12 months",
                    "contracts.arr_change_12m",
                    Aggregate.latest,
                    QUARTER,
                    false),
            new Candidate(FINANCIAL, "Days to renewal", "contracts.days_to_renewal", Aggregate.latest, QUARTER, false),
            new Candidate(
                    FINANCIAL, "Months as a customer", MeasureValues.TENURE_MONTHS, Aggregate.latest, QUARTER, false),
            new Candidate(
                    FINANCIAL,
                    "Contract age (months)",
                    MeasureValues.CONTRACT_AGE_MONTHS,
                    Aggregate.latest,
                    QUARTER,
                    false),
            new Candidate(
                    FINANCIAL, "Months to renewal", MeasureValues.MONTHS_TO_RENEWAL, Aggregate.latest, QUARTER, false),
            new Candidate(FINANCIAL, "Renewals so far", MeasureValues.RENEWALS, Aggregate.latest, QUARTER, false),
            new Candidate(
                    ENGAGEMENT,
                    "Days in lifecycle stage",
                    MeasureValues.DAYS_IN_STAGE,
                    Aggregate.latest,
                    QUARTER,
                    false));
}
