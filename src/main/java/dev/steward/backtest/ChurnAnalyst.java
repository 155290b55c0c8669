package dev.steward.backtest;

import dev.steward.activity.ChurnEvent;
import dev.steward.activity.ChurnHistory;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.customer.ContractOutcomes;
import dev.steward.customer.ContractOutcomes.ContractOutcome;
import dev.steward.customer.RenewalOutcome;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScorecardManagement;
import dev.steward.health.VersionedScorecard;
import dev.steward.health.engine.Aggregate;
import dev.steward.health.engine.Dimension;
import dev.steward.health.engine.Measure;
import dev.steward.health.engine.ScoreRule;
import dev.steward.health.engine.Scorecard;
import dev.steward.health.engine.Thresholds;
import dev.steward.health.engine.Window;
import dev.steward.usage.UsageMetric;
import dev.steward.usage.UsageRecorder;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Analyses churn over a period: counts and ARR lost by reason and segment, and leading indicators, for which every
 * metric is read as of each month-start with the scoring engine (so only facts known then count) through a scorecard
 * made of one measure per signal.
 */
@Component
class ChurnAnalyst {

    static final int HORIZON = 90;
    static final String NOT_RECORDED = "not recorded";
    /** Retained observations kept per signal; churned ones are all kept. */
    static final int MAX_RETAINED = 50_000;

    /** Facts other than usage, each with the aggregate and window the shipped scorecards read it with. */
    private static final List<Measure> FACT_SIGNALS = List.of(
            signal("Tickets opened in 90 days", "tickets.count", Aggregate.count, 90),
            signal("Escalated tickets in 90 days", "tickets.escalated", Aggregate.count, 90),
            signal("Average hours to resolve a ticket", "tickets.resolution_hours", Aggregate.average, 90),
            signal("Average CSAT of tickets", "tickets.csat", Aggregate.average, 90),
            signal("Days the oldest invoice is overdue", "invoices.days_overdue", Aggregate.latest, 90),
            signal("Invoices paid late in 90 days", "invoices.late", Aggregate.count, 90),
            signal("QBRs in 90 days", "meetings.qbr", Aggregate.count, 90),
            signal(
                    "Days since an executive-sponsor meeting",
                    "meetings.exec_sponsor_days_since",
                    Aggregate.days_since,
                    90),
            signal("Champion present", "contacts.champion_present", Aggregate.latest, 90),
            signal("ARR change over 12 months", "contracts.arr_change_12m", Aggregate.latest, 90),
            signal("Days to renewal", "contracts.days_to_renewal", Aggregate.latest, 90),
            signal("NPS over 12 weeks", "surveys.nps", Aggregate.average, 84),
            signal("Latest CSM sentiment", "sentiment.csm", Aggregate.latest, 90));

    private final HealthScoring scoring;
    private final ScorecardManagement scorecards;
    private final UsageRecorder usage;
    private final ContractOutcomes contracts;
    private final ChurnHistory churnHistory;
    private final Backtester backtester;
    private final OutcomeHorizons horizons;
    private final Clock clock;

    ChurnAnalyst(
            HealthScoring scoring,
            ScorecardManagement scorecards,
            UsageRecorder usage,
            ContractOutcomes contracts,
            ChurnHistory churnHistory,
            Backtester backtester,
            OutcomeHorizons horizons,
            Clock clock) {
        this.horizons = horizons;
        this.scoring = scoring;
        this.scorecards = scorecards;
        this.usage = usage;
        this.contracts = contracts;
        this.churnHistory = churnHistory;
        this.backtester = backtester;
        this.clock = clock;
    }

    private static Measure signal(String name, String metric, Aggregate aggregate, int days) {
        return new Measure(name, metric, aggregate, Window.days(days), 1, new ScoreRule.Linear(0, 1));
    }

    /**
     * The analysis of churn from {@code from} to {@code to} (default: the twelve months up to where the data on
     * contracts and churn ends), of the accounts of one published scorecard or segment if given (all otherwise). Churns
     * are counted once per account and churn, however many churn events and contracts it took; signals are compared
     * within each published scorecard's accounts, since one population's signal drowns in another's zeros.
     */
    ChurnAnalysis analyse(LocalDate from, LocalDate to, String scorecard, String segment) {
        LocalDate today = LocalDate.now(clock);
        List<FieldError> errors = new ArrayList<>();
        List<VersionedScorecard> published = scorecards.publishedVersions();
        if (scorecard != null && published.stream().noneMatch(v -> v.name().equals(scorecard))) {
            errors.add(FieldError.of(
                    "scorecard",
                    "no published scorecard is named '" + scorecard + "'; published: "
                            + published.stream().map(VersionedScorecard::name).toList()));
        }
        Map<UUID, dev.steward.customer.AccountSnapshots.Label> labels = backtester.labels();
        if (segment != null && labels.values().stream().noneMatch(l -> segment.equals(Backtester.segmentOf(l)))) {
            errors.add(FieldError.of("segment", "no account is in segment '" + segment + "'"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Map<UUID, String> assigned = scoring.assignments(published);
        java.util.function.Predicate<UUID> inPopulation =
                account -> (scorecard == null || scorecard.equals(assigned.get(account)))
                        && (segment == null || segment.equals(Backtester.segmentOf(labels.get(account))));
        OutcomeHorizons.Known known = horizons.read(today);
        if (scorecard != null || segment != null) {
            // Where these accounts' own data ends, not where any source's does.
            known = known.narrowedTo(backtester.sourcesOf(
                    labels.keySet().stream().filter(inPopulation).toList()));
        }
        LocalDate knownUntil = known.knownUntil();
        // Nothing after the data's end can be counted: a period reaching past it ends there (the answer says so).
        LocalDate end = to == null || to.isAfter(knownUntil) ? knownUntil : to;
        LocalDate start = from == null ? end.minusMonths(12) : from;
        if (to != null && from != null && from.isAfter(to)) {
            errors.add(FieldError.of("to", "is " + to + ", before from " + from));
        } else if (start.isAfter(end)) {
            errors.add(FieldError.of(
                    "from",
                    "is " + start + ", after " + knownUntil
                            + (knownUntil.isBefore(today)
                                    ? ", where the data on contracts and churn ends"
                                    : " (today)")));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        LocalDate until = end.plusDays(HORIZON).isAfter(knownUntil) ? knownUntil : end.plusDays(HORIZON);
        List<ContractOutcome> terms = contracts.between(start.minusDays(2L * AccountOutcomes.SAME_CHURN_DAYS), until);
        List<ChurnEvent> events = churnHistory.between(LocalDate.of(1900, 1, 1), until);
        AccountOutcomes outcomes = backtester.outcomes(terms, events, known, labels.keySet());

        // Each churn of an account once: its reason from its churn events ("not recorded" without any), its ARR lost as
        // they recorded it, or else that of the contracts that ended unrenewed in it.
        Map<UUID, List<ChurnEvent>> eventsByAccount = new HashMap<>();
        events.forEach(e -> eventsByAccount
                .computeIfAbsent(e.accountId().value(), k -> new ArrayList<>())
                .add(e));
        Map<UUID, List<ContractOutcome>> termsByAccount = new HashMap<>();
        terms.forEach(c -> termsByAccount
                .computeIfAbsent(c.account(), k -> new ArrayList<>())
                .add(c));
        Map<String, int[]> reasonCounts = new TreeMap<>();
        Map<String, BigDecimal> reasonArr = new TreeMap<>();
        Map<String, int[]> segmentCounts = new TreeMap<>();
        Map<String, BigDecimal> segmentArr = new TreeMap<>();
        Map<String, int[]> bothCounts = new TreeMap<>();
        Map<String, BigDecimal> bothArr = new TreeMap<>();
        int churns = 0;
        BigDecimal lost = BigDecimal.ZERO;
        for (UUID account : outcomes.churnedAccounts()) {
            if (!inPopulation.test(account)) {
                continue;
            }
            for (AccountOutcomes.Churn churn : outcomes.churns(account)) {
                if (churn.first().isBefore(start) || churn.first().isAfter(end)) {
                    continue;
                }
                List<ChurnEvent> recorded = eventsByAccount.getOrDefault(account, List.of()).stream()
                        .filter(e -> !e.churnedOn().isBefore(churn.first())
                                && !e.churnedOn().isAfter(churn.last()))
                        .sorted(Comparator.comparing(ChurnEvent::churnedOn).thenComparing(ChurnEvent::id))
                        .toList();
                String reason = recorded.isEmpty()
                        ? NOT_RECORDED
                        : recorded.get(0).reasonCategory().name();
                BigDecimal arr = recorded.stream().anyMatch(e -> e.arrLost() != null)
                        ? recorded.stream()
                                .map(ChurnEvent::arrLost)
                                .filter(java.util.Objects::nonNull)
                                .reduce(BigDecimal.ZERO, BigDecimal::add)
                        : arrEnded(termsByAccount.getOrDefault(account, List.of()), churn);
                count(
                        reason,
                        Backtester.segmentOf(labels.get(account)),
                        arr,
                        reasonCounts,
                        reasonArr,
                        segmentCounts,
                        segmentArr,
                        bothCounts,
                        bothArr);
                churns++;
                lost = lost.add(arr);
            }
        }
        List<ChurnAnalysis.ReasonRow> byReason = reasonCounts.entrySet().stream()
                .map(e -> new ChurnAnalysis.ReasonRow(null, e.getKey(), e.getValue()[0], reasonArr.get(e.getKey())))
                .sorted(Comparator.comparing(ChurnAnalysis.ReasonRow::arrLost).reversed())
                .toList();
        List<ChurnAnalysis.SegmentRow> bySegment = segmentCounts.entrySet().stream()
                .map(e -> new ChurnAnalysis.SegmentRow(e.getKey(), e.getValue()[0], segmentArr.get(e.getKey())))
                .toList();
        List<ChurnAnalysis.ReasonRow> both = bothCounts.entrySet().stream()
                .map(e -> {
                    String[] key = e.getKey().split("\u0000");
                    return new ChurnAnalysis.ReasonRow(key[0], key[1], e.getValue()[0], bothArr.get(e.getKey()));
                })
                .toList();

        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = start.withDayOfMonth(1).isBefore(start)
                        ? start.withDayOfMonth(1).plusMonths(1)
                        : start;
                !day.plusDays(HORIZON).isAfter(knownUntil) && !day.isAfter(end);
                day = day.plusMonths(1)) {
            days.add(day);
        }
        return new ChurnAnalysis(
                start,
                end,
                knownUntil,
                knownUntil.isBefore(today),
                scorecard,
                segment,
                churns,
                lost,
                byReason,
                bySegment,
                both,
                days,
                HORIZON,
                populations(days, outcomes, labels.keySet(), published, scorecard, inPopulation));
    }

    /**
     * The ARR of the account's contracts that ended unrenewed in the churn or within {@value
     * AccountOutcomes#SAME_CHURN_DAYS} days of it: how a churn without an amount is read (exports often give reasons but
     * no amounts).
     */
    private static BigDecimal arrEnded(List<ContractOutcome> terms, AccountOutcomes.Churn churn) {
        BigDecimal arr = BigDecimal.ZERO;
        for (ContractOutcome contract : terms) {
            if (contract.outcome() == RenewalOutcome.CHURNED
                    && contract.end() != null
                    && !contract.end().isBefore(churn.first().minusDays(AccountOutcomes.SAME_CHURN_DAYS))
                    && !contract.end().isAfter(churn.last().plusDays(AccountOutcomes.SAME_CHURN_DAYS))
                    && terms.stream().noneMatch(other -> other != contract && other.inForceOn(contract.end()))) {
                arr = arr.add(contract.arr());
            }
        }
        return arr;
    }

    private static void count(
            String reason,
            String segment,
            BigDecimal arr,
            Map<String, int[]> reasonCounts,
            Map<String, BigDecimal> reasonArr,
            Map<String, int[]> segmentCounts,
            Map<String, BigDecimal> segmentArr,
            Map<String, int[]> bothCounts,
            Map<String, BigDecimal> bothArr) {
        reasonCounts.computeIfAbsent(reason, k -> new int[1])[0]++;
        reasonArr.merge(reason, arr, BigDecimal::add);
        segmentCounts.computeIfAbsent(segment, k -> new int[1])[0]++;
        segmentArr.merge(segment, arr, BigDecimal::add);
        String key = segment + "\u0000" + reason;
        bothCounts.computeIfAbsent(key, k -> new int[1])[0]++;
        bothArr.merge(key, arr, BigDecimal::add);
    }

    /** Whether an account is among the share {@code keep} of accounts whose retained observations are compared. */
    private static boolean sampled(UUID account, double keep) {
        return (account.hashCode() * 0x9E3779B1) >>> 8 < keep * (1 << 24);
    }

    /** Every usage metric's 30-day daily average and its change over the last 45 days, and every fact signal. */
    List<Measure> signals() {
        List<Measure> signals = new ArrayList<>();
        Map<String, dev.steward.usage.UsageSpan> spans = usage.spans();
        for (UsageMetric metric : usage.metrics()) {
            if (!spans.containsKey(metric.key())) {
                // A metric of the catalog that no account ever sent is no signal.
                continue;
            }
            signals.add(signal(metric.name() + ": daily average over 30 days", metric.key(), Aggregate.average, 30));
            signals.add(signal(
                    metric.name() + ": change over 45 days against the 45 before",
                    metric.key(),
                    Aggregate.pct_change,
                    45));
        }
        signals.addAll(FACT_SIGNALS);
        return signals;
    }

    /**
     * The signals compared within each published scorecard's accounts (only the one named, if any), or among all
     * accounts when no scorecard is published: each probe scorecard below has one measure per signal and the appliesTo
     * and priority of a published one, so that every account is read with the signals of the population it belongs to.
     */
    private List<ChurnAnalysis.Population> populations(
            List<LocalDate> days,
            AccountOutcomes outcomes,
            Set<UUID> accounts,
            List<VersionedScorecard> published,
            String only,
            java.util.function.Predicate<UUID> inPopulation) {
        List<Measure> signals = signals();
        List<VersionedScorecard> probes = new ArrayList<>();
        if (published.isEmpty()) {
            probes.add(probe(ALL_ACCOUNTS, "true", 0, signals));
        } else {
            for (VersionedScorecard version : published) {
                if (only == null || only.equals(version.name())) {
                    Scorecard scorecard = version.scorecard();
                    probes.add(probe(version.name(), scorecard.appliesTo(), scorecard.priority(), signals));
                }
            }
            if (only == null) {
                // Accounts no published scorecard applies to: the ones a new scorecard would be written for.
                int last = published.stream()
                        .mapToInt(v -> v.scorecard().priority())
                        .max()
                        .orElse(0);
                probes.add(probe(UNSCORED, "true", last + 1, signals));
            }
        }
        Map<String, Sides> sides = new java.util.LinkedHashMap<>();
        for (VersionedScorecard probe : probes) {
            if (only == null || only.equals(probe.name())) {
                sides.put(probe.name(), new Sides(signals.size()));
            }
        }
        if (days.isEmpty()) {
            return List.of();
        }
        long population = accounts.stream().filter(inPopulation).count();
        double keep = Math.min(1, (double) MAX_RETAINED / Math.max(1, population * days.size()));
        // With many accounts, retained observations are sampled by account, and only the accounts that churned and
        // those sampled are scored at all: the comparison needs every churn but not every account that stayed.
        Set<UUID> scored = new HashSet<>();
        for (UUID account : accounts) {
            if (inPopulation.test(account)
                    && (keep >= 1 || outcomes.churnedAccounts().contains(account) || sampled(account, keep))) {
                scored.add(account);
            }
        }
        scoring.scoreSome(days, probes, scored, (day, score) -> {
            LocalDate asOf = days.get(day);
            Sides side = sides.get(score.scorecard());
            if (side == null
                    || score.rolledUp()
                    || !outcomes.customerOn(score.account(), asOf)
                    || outcomes.censored(score.account(), asOf, HORIZON)) {
                return;
            }
            boolean churns = outcomes.outcome(score.account(), asOf, HORIZON) == Outcome.CHURNED;
            if (!churns && keep < 1 && !sampled(score.account(), keep)) {
                return;
            }
            side.accounts.add(score.account());
            for (int i = 0; i < signals.size() && i < score.raw().length; i++) {
                double value = score.raw()[i];
                if (!Double.isNaN(value)) {
                    (churns ? side.churned : side.retained).get(i).add(value);
                }
            }
        });
        Map<String, List<String>> usedBy = new HashMap<>();
        for (VersionedScorecard version : published) {
            for (Measure measure : version.measures()) {
                usedBy.computeIfAbsent(measure.metric(), k -> new ArrayList<>())
                        .add(version.name() + ": " + measure.name());
            }
        }
        List<ChurnAnalysis.Population> result = new ArrayList<>();
        sides.forEach((name, side) -> {
            List<ChurnAnalysis.Indicator> indicators = new ArrayList<>();
            for (int i = 0; i < signals.size(); i++) {
                Measure signal = signals.get(i);
                List<String> users = new ArrayList<>(usedBy.getOrDefault(signal.metric(), List.of()));
                int dot = signal.metric().indexOf('.');
                if (dot > 0) {
                    users.addAll(usedBy.getOrDefault(signal.metric().substring(0, dot) + ".*", List.of()));
                }
                if (side.churned.get(i).isEmpty() && side.retained.get(i).isEmpty()) {
                    // No observation of this population had the signal at all: nothing to compare.
                    continue;
                }
                indicators.add(
                        indicator(signal.metric(), signal.name(), side.churned.get(i), side.retained.get(i), users));
            }
            indicators.sort(Comparator.comparing(
                            (ChurnAnalysis.Indicator indicator) -> indicator.rocAuc() == null ? 0 : indicator.rocAuc())
                    .reversed());
            result.add(new ChurnAnalysis.Population(name, side.accounts.size(), indicators));
        });
        return result;
    }

    /** The name of the one population when no scorecard is published. */
    static final String ALL_ACCOUNTS = "All accounts";

    /** The name of the population of accounts that no published scorecard applies to. */
    static final String UNSCORED = "No scorecard applies";

    private static VersionedScorecard probe(String name, String appliesTo, int priority, List<Measure> signals) {
        return new VersionedScorecard(
                name,
                0,
                new Scorecard(
                        name,
                        appliesTo,
                        priority,
                        Thresholds.DEFAULT,
                        0,
                        List.of(new Dimension("Signals", 100, signals))));
    }

    /** The values of each signal among one population's churned and retained observations. */
    private static final class Sides {

        final List<List<Double>> churned = new ArrayList<>();
        final List<List<Double>> retained = new ArrayList<>();
        final Set<UUID> accounts = new HashSet<>();

        Sides(int signals) {
            for (int i = 0; i < signals; i++) {
                churned.add(new ArrayList<>());
                retained.add(new ArrayList<>());
            }
        }
    }

    /** The comparison of one signal between churned and retained observations. */
    static ChurnAnalysis.Indicator indicator(
            String metric, String signal, List<Double> churned, List<Double> retained, List<String> usedBy) {
        double[] c = churned.stream().mapToDouble(Double::doubleValue).toArray();
        double[] r = retained.stream().mapToDouble(Double::doubleValue).toArray();
        Double churnedMean = mean(c);
        Double retainedMean = mean(r);
        Double difference = churnedMean == null || retainedMean == null ? null : churnedMean - retainedMean;
        Double effect = null;
        if (difference != null && c.length > 1 && r.length > 1) {
            double pooled =
                    Math.sqrt(((c.length - 1) * variance(c, churnedMean) + (r.length - 1) * variance(r, retainedMean))
                            / (c.length + r.length - 2));
            effect = pooled == 0 ? null : difference / pooled;
        }
        Double lowerWarnsAuc = lowerWarnsAuc(c, r);
        boolean lowerWarns = lowerWarnsAuc == null || lowerWarnsAuc >= 0.5;
        Double auc = lowerWarnsAuc == null ? null : lowerWarns ? lowerWarnsAuc : 1 - lowerWarnsAuc;
        return new ChurnAnalysis.Indicator(
                metric,
                signal,
                c.length,
                r.length,
                churnedMean,
                retainedMean,
                difference,
                effect,
                auc,
                lowerWarns,
                usedBy);
    }

    /** The chance that a churned observation's value is below a retained one's, ties counting half. */
    static Double lowerWarnsAuc(double[] churned, double[] retained) {
        if (churned.length == 0 || retained.length == 0) {
            return null;
        }
        double[] c = churned.clone();
        double[] r = retained.clone();
        Arrays.sort(c);
        Arrays.sort(r);
        double pairs = 0;
        int below = 0;
        int equalEnd = 0;
        for (double value : c) {
            while (below < r.length && r[below] < value) {
                below++;
            }
            equalEnd = Math.max(equalEnd, below);
            while (equalEnd < r.length && r[equalEnd] == value) {
                equalEnd++;
            }
            int above = r.length - equalEnd;
            int ties = equalEnd - below;
            pairs += above + 0.5 * ties;
        }
        return pairs / ((double) c.length * r.length);
    }

    private static Double mean(double[] values) {
        return values.length == 0 ? null : Arrays.stream(values).average().orElseThrow();
    }

    private static double variance(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }
}
