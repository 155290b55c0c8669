package dev.steward.backtest;

import dev.steward.activity.ChurnEvent;
import dev.steward.activity.ChurnHistory;
import dev.steward.core.InvalidInputException;
import dev.steward.customer.ContractOutcomes;
import dev.steward.customer.ContractOutcomes.ContractOutcome;
import dev.steward.customer.RenewalOutcome;
import dev.steward.health.Aggregate;
import dev.steward.health.Dimension;
import dev.steward.health.HealthScoring;
import dev.steward.health.Measure;
import dev.steward.health.ScoreRule;
import dev.steward.health.Scorecard;
import dev.steward.health.ScorecardManagement;
import dev.steward.health.Thresholds;
import dev.steward.health.VersionedScorecard;
import dev.steward.health.Window;
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
    /**
     * The ARR a churn event recorded without one lost: that of the account's contracts that ended unrenewed within a
     * month of it (how an export that gives reasons but no amounts is read), or nothing.
     */
    private static BigDecimal arrEnded(List<ContractOutcome> terms, ChurnEvent event) {
        BigDecimal arr = BigDecimal.ZERO;
        for (ContractOutcome contract : terms) {
            if (contract.outcome() == RenewalOutcome.CHURNED
                    && contract.account().equals(event.accountId().value())
                    && Math.abs(event.churnedOn().toEpochDay() - contract.end().toEpochDay()) <= 31) {
                arr = arr.add(contract.arr());
            }
        }
        return arr;
    }

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
    private final Clock clock;

    ChurnAnalyst(
            HealthScoring scoring,
            ScorecardManagement scorecards,
            UsageRecorder usage,
            ContractOutcomes contracts,
            ChurnHistory churnHistory,
            Backtester backtester,
            Clock clock) {
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

    /** The analysis of churn from {@code from} to {@code to} (default: the twelve months up to today). */
    ChurnAnalysis analyse(LocalDate from, LocalDate to) {
        LocalDate today = LocalDate.now(clock);
        LocalDate end = to == null ? today : to;
        LocalDate start = from == null ? end.minusMonths(12) : from;
        if (start.isAfter(end)) {
            throw new InvalidInputException("to", "is " + end + ", before from " + start);
        }
        if (end.isAfter(today)) {
            throw new InvalidInputException("to", "is after today (" + today + ")");
        }
        Map<UUID, dev.steward.customer.AccountSnapshots.Label> labels = backtester.labels();
        List<ContractOutcome> terms = contracts.between(start.minusYears(2), end.plusDays(HORIZON));
        List<ChurnEvent> events = churnHistory.between(LocalDate.of(1900, 1, 1), end.plusDays(HORIZON));
        AccountOutcomes outcomes = new AccountOutcomes(terms, events);

        // Churns in the period: each churn event, and each last contract that ended unrenewed without an event near it.
        Map<String, int[]> reasonCounts = new TreeMap<>();
        Map<String, BigDecimal> reasonArr = new TreeMap<>();
        Map<String, int[]> segmentCounts = new TreeMap<>();
        Map<String, BigDecimal> segmentArr = new TreeMap<>();
        Map<String, int[]> bothCounts = new TreeMap<>();
        Map<String, BigDecimal> bothArr = new TreeMap<>();
        Map<UUID, List<ChurnEvent>> eventsByAccount = new HashMap<>();
        events.forEach(e -> eventsByAccount
                .computeIfAbsent(e.accountId().value(), k -> new ArrayList<>())
                .add(e));
        int churns = 0;
        BigDecimal lost = BigDecimal.ZERO;
        for (ChurnEvent event : events) {
            if (event.churnedOn().isBefore(start) || event.churnedOn().isAfter(end)) {
                continue;
            }
            String segment = Backtester.segmentOf(labels.get(event.accountId().value()));
            BigDecimal arr = event.arrLost() != null ? event.arrLost() : arrEnded(terms, event);
            count(
                    event.reasonCategory().name(),
                    segment,
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
        for (ContractOutcome contract : terms) {
            if (contract.outcome() != RenewalOutcome.CHURNED
                    || contract.end().isBefore(start)
                    || contract.end().isAfter(end)
                    || !outcomes.churnDays(contract.account()).contains(contract.end())) {
                continue;
            }
            boolean recorded = eventsByAccount.getOrDefault(contract.account(), List.of()).stream()
                    .anyMatch(e ->
                            Math.abs(e.churnedOn().toEpochDay() - contract.end().toEpochDay()) <= 31);
            if (recorded) {
                continue;
            }
            String segment = Backtester.segmentOf(labels.get(contract.account()));
            count(
                    NOT_RECORDED,
                    segment,
                    contract.arr(),
                    reasonCounts,
                    reasonArr,
                    segmentCounts,
                    segmentArr,
                    bothCounts,
                    bothArr);
            churns++;
            lost = lost.add(contract.arr());
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
                !day.plusDays(HORIZON).isAfter(today) && !day.isAfter(end);
                day = day.plusMonths(1)) {
            days.add(day);
        }
        return new ChurnAnalysis(
                start,
                end,
                churns,
                lost,
                byReason,
                bySegment,
                both,
                days,
                HORIZON,
                indicators(days, outcomes, labels.keySet()));
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
        for (UsageMetric metric : usage.metrics()) {
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

    private List<ChurnAnalysis.Indicator> indicators(
            List<LocalDate> days, AccountOutcomes outcomes, Set<UUID> accounts) {
        List<Measure> signals = signals();
        if (days.isEmpty()) {
            return List.of();
        }
        VersionedScorecard probe = new VersionedScorecard(
                "Churn signals",
                0,
                new Scorecard(
                        "Churn signals",
                        "true",
                        0,
                        Thresholds.DEFAULT,
                        0,
                        List.of(new Dimension("Signals", 100, signals))));
        double keep = Math.min(1, (double) MAX_RETAINED / Math.max(1, (long) accounts.size() * days.size()));
        List<List<Double>> churned = new ArrayList<>();
        List<List<Double>> retained = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            churned.add(new ArrayList<>());
            retained.add(new ArrayList<>());
        }
        // With many accounts, retained observations are sampled by account, and only the accounts that churned and
        // those sampled are scored at all: the comparison needs every churn but not every account that stayed.
        Set<UUID> scored = null;
        if (keep < 1) {
            scored = new HashSet<>(outcomes.churnedAccounts());
            for (UUID account : accounts) {
                if (sampled(account, keep)) {
                    scored.add(account);
                }
            }
        }
        scoring.scoreSome(days, List.of(probe), scored, (day, score) -> {
            LocalDate asOf = days.get(day);
            if (score.rolledUp() || !outcomes.customerOn(score.account(), asOf)) {
                return;
            }
            boolean churns = outcomes.outcome(score.account(), asOf, HORIZON) == Outcome.CHURNED;
            if (!churns && keep < 1 && !sampled(score.account(), keep)) {
                return;
            }
            for (int i = 0; i < signals.size() && i < score.raw().length; i++) {
                double value = score.raw()[i];
                if (!Double.isNaN(value)) {
                    (churns ? churned : retained).get(i).add(value);
                }
            }
        });
        Map<String, List<String>> usedBy = new HashMap<>();
        for (VersionedScorecard version : scorecards.publishedVersions()) {
            for (Measure measure : version.measures()) {
                usedBy.computeIfAbsent(measure.metric(), k -> new ArrayList<>())
                        .add(version.name() + ": " + measure.name());
            }
        }
        List<ChurnAnalysis.Indicator> indicators = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            Measure signal = signals.get(i);
            List<String> users = new ArrayList<>(usedBy.getOrDefault(signal.metric(), List.of()));
            if (signal.metric().startsWith("feature.")) {
                users.addAll(usedBy.getOrDefault("feature.*", List.of()));
            }
            indicators.add(indicator(signal.metric(), signal.name(), churned.get(i), retained.get(i), users));
        }
        indicators.sort(Comparator.comparing(
                        (ChurnAnalysis.Indicator indicator) -> indicator.rocAuc() == null ? 0 : indicator.rocAuc())
                .reversed());
        return indicators;
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
