package dev.steward.backtest;

import dev.steward.activity.ActivityFreshness;
import dev.steward.activity.ChurnEvent;
import dev.steward.activity.ChurnHistory;
import dev.steward.activity.ChurnLabels;
import dev.steward.customer.AccountSnapshots;
import dev.steward.customer.ContractOutcomes;
import dev.steward.health.AccountScore;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScorecardManagement;
import dev.steward.health.SegmentMembershipLookup;
import dev.steward.health.VersionedScorecard;
import dev.steward.health.engine.Color;
import dev.steward.health.engine.Measure;
import dev.steward.usage.UsageFreshness;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Runs a backtest: scores every account as of each as-of day with the versions under test (reading only facts dated
 * up to that day), keeps the accounts that were customers then, and tallies their scores against what became of them
 * within each horizon. Memory does not grow with the number of as-of days: scores go into histograms as they come.
 */
@Component
class Backtester {

    /** Green accounts that churned kept per horizon to list by name; the rest are only counted. */
    static final int MISSED_LISTED = 200;

    /** Observations kept per run to learn weights from; bounds memory however many accounts and days. */
    static final int MAX_SAMPLES = 300_000;

    /**
     * The horizon whose outcomes judge a score when only one can: suggestions are fitted for it, and disagreements
     * with scores are settled over it.
     */
    static final int HEADLINE_HORIZON_DAYS = 90;

    /** The segment of accounts without a tier. */
    static final String NO_TIER = "(no tier)";

    private final HealthScoring scoring;
    private final ContractOutcomes contracts;
    private final ChurnHistory churnHistory;
    private final AccountSnapshots accounts;
    private final ScorecardManagement scorecards;
    private final ActivityFreshness activityFreshness;
    private final UsageFreshness usageFreshness;
    private final ChurnLabels churnLabels;
    private final ObjectProvider<SegmentMembershipLookup> segmentLookup;

    Backtester(
            HealthScoring scoring,
            ContractOutcomes contracts,
            ChurnHistory churnHistory,
            AccountSnapshots accounts,
            ScorecardManagement scorecards,
            ActivityFreshness activityFreshness,
            UsageFreshness usageFreshness,
            ChurnLabels churnLabels,
            ObjectProvider<SegmentMembershipLookup> segmentLookup) {
        this.churnLabels = churnLabels;
        this.segmentLookup = segmentLookup;
        this.scoring = scoring;
        this.contracts = contracts;
        this.churnHistory = churnHistory;
        this.accounts = accounts;
        this.scorecards = scorecards;
        this.activityFreshness = activityFreshness;
        this.usageFreshness = usageFreshness;
    }

    /**
     * What to backtest: the versions, the as-of days (sorted), the horizons, an optional segment, the scorecards whose
     * accounts are observed (all when {@code null}), the objective of suggestions, today, where the data ends, and the
     * segments whose figures are reported apart (membership as of each as-of day).
     */
    record Plan(
            List<VersionedScorecard> set,
            List<LocalDate> asOfDates,
            List<Integer> horizons,
            String segment,
            Set<String> populations,
            WeightSuggester.Objective objective,
            LocalDate today,
            OutcomeHorizons.Known known,
            String snapshot,
            List<String> splitBy) {

        Plan {
            splitBy = List.copyOf(splitBy);
        }

        /** The horizon suggestions are fitted for: the headline horizon if tested, otherwise the longest. */
        int fitHorizon() {
            return horizons.contains(HEADLINE_HORIZON_DAYS) ? HEADLINE_HORIZON_DAYS : horizons.get(horizons.size() - 1);
        }

        LocalDate outcomesUntil() {
            int longest = horizons.stream().mapToInt(Integer::intValue).max().orElse(0);
            LocalDate last = asOfDates.get(asOfDates.size() - 1).plusDays(longest);
            return last.isAfter(known.knownUntil()) ? known.knownUntil() : last;
        }

        /** Whether the data tells what became of accounts within the horizon after the day (for some account). */
        boolean complete(LocalDate asOf, int horizon) {
            return !asOf.plusDays(horizon).isAfter(known.knownUntil());
        }

        /** Whether accounts scored with this scorecard are observed. */
        boolean observes(String scorecard) {
            return populations == null || populations.contains(scorecard);
        }
    }

    /** Outcomes of every account over the plan's span, read once. */
    AccountOutcomes outcomes(Plan plan, Collection<UUID> allAccounts) {
        return outcomes(plan.asOfDates().get(0), plan.outcomesUntil(), plan.known(), allAccounts);
    }

    /**
     * Outcomes of every account as the data tells them from {@code from} to {@code until}: the contracts touching those
     * days, every churn event up to {@code until}, and the first fact of each account Steward knows no contract of.
     */
    AccountOutcomes outcomes(
            LocalDate from, LocalDate until, OutcomeHorizons.Known known, Collection<UUID> allAccounts) {
        return outcomes(
                contracts.between(from, until),
                churnHistory.between(LocalDate.of(1900, 1, 1), until),
                known,
                allAccounts);
    }

    /** Outcomes from these contracts and churn events, with the first facts of accounts without any contract. */
    AccountOutcomes outcomes(
            List<ContractOutcomes.ContractOutcome> terms,
            List<ChurnEvent> events,
            OutcomeHorizons.Known known,
            Collection<UUID> allAccounts) {
        Set<UUID> withContracts = contracts.accountsWithContracts();
        List<UUID> without = new ArrayList<>();
        for (UUID account : allAccounts) {
            if (!withContracts.contains(account)) {
                without.add(account);
            }
        }
        Map<UUID, LocalDate> firstFacts = new HashMap<>(activityFreshness.earliestFacts(without));
        usageFreshness
                .firstDays(without)
                .forEach((account, day) -> firstFacts.merge(account, day, (a, b) -> a.isBefore(b) ? a : b));
        return new AccountOutcomes(terms, events, withContracts, firstFacts, known.bySource(), known.knownUntil());
    }

    /** The sources that tell what became of these accounts: those of their contracts and churn events. */
    Set<String> sourcesOf(List<UUID> accounts) {
        Set<String> sources = new java.util.HashSet<>(contracts.sourcesOf(accounts));
        sources.addAll(churnHistory.sourcesOf(accounts));
        return sources;
    }

    /** The published segments a run may be split by; none when no module keeps segments. */
    List<SegmentMembershipLookup.PublishedSegment> publishedSegments() {
        SegmentMembershipLookup lookup = segmentLookup.getIfAvailable();
        return lookup == null ? List.of() : lookup.segments();
    }

    /**
     * Which of the plan's split segments each account was in when the day ended: read once per as-of day, as scores
     * come day by day.
     */
    private final class Splits {

        private final List<String> segments;
        private final Collection<UUID> accounts;
        private int day = -1;
        private SegmentMembershipLookup.SegmentMembership membership = SegmentMembershipLookup.SegmentMembership.NONE;

        Splits(List<String> segments, Collection<UUID> accounts) {
            this.segments = segments;
            this.accounts = accounts;
        }

        Set<String> of(UUID account, int index, LocalDate asOf) {
            if (segments.isEmpty()) {
                return Set.of();
            }
            if (index != day) {
                SegmentMembershipLookup lookup = segmentLookup.getIfAvailable();
                membership = lookup == null
                        ? SegmentMembershipLookup.SegmentMembership.NONE
                        : lookup.membership(segments, accounts, List.of(asOf));
                day = index;
            }
            return membership.of(account, asOf);
        }
    }

    /** Every account's label by id. */
    Map<UUID, AccountSnapshots.Label> labels() {
        Map<UUID, AccountSnapshots.Label> labels = new HashMap<>();
        accounts.labels().forEach(label -> labels.put(label.id(), label));
        return labels;
    }

    static String segmentOf(AccountSnapshots.Label label) {
        return label == null || label.tier() == null || label.tier().isBlank() ? NO_TIER : label.tier();
    }

    /** Runs the plan, telling {@code progress} after each as-of day how many are done. */
    BacktestResults run(Plan plan, IntConsumer progress) {
        Map<UUID, AccountSnapshots.Label> labels = labels();
        Outcomes outcomes = plan.snapshot() != null
                ? new SnapshotOutcomes(
                        churnLabels.labels(plan.snapshot()), plan.asOfDates().get(0))
                : outcomes(plan, labels.keySet());
        List<LocalDate> days = plan.asOfDates();
        List<Integer> horizons = plan.horizons();
        List<HorizonTally> tallies = new ArrayList<>();
        for (int horizon : horizons) {
            tallies.add(new HorizonTally(horizon, days.size(), plan.splitBy()));
        }
        Map<UUID, Color[]> churnedColors = new HashMap<>();
        outcomes.churnedAccounts().forEach(account -> churnedColors.put(account, new Color[days.size()]));
        java.util.Set<UUID> observed = new java.util.HashSet<>();
        int fitHorizon = plan.fitHorizon();
        double sampled = Math.min(1, (double) MAX_SAMPLES / Math.max(1, (long) labels.size() * days.size()));
        Map<String, VersionedScorecard> versions = new HashMap<>();
        plan.set().forEach(v -> versions.put(v.name(), v));
        Map<String, List<WeightSuggester.Sample>> samples = new HashMap<>();
        Splits splits = new Splits(plan.splitBy(), labels.keySet());
        scoring.scoreAll(days, plan.set(), new HealthScoring.AsOfScores() {
            @Override
            public void score(int index, AccountScore score) {
                LocalDate asOf = days.get(index);
                UUID account = score.account();
                String segment = segmentOf(labels.get(account));
                if ((plan.segment() != null && !plan.segment().equals(segment))
                        || !plan.observes(score.scorecard())
                        || !outcomes.customerOn(account, asOf)) {
                    return;
                }
                observed.add(account);
                Set<String> memberOf = splits.of(account, index, asOf);
                Color[] colors = churnedColors.get(account);
                if (colors != null) {
                    colors[index] = score.color();
                }
                for (HorizonTally tally : tallies) {
                    if (!plan.complete(asOf, tally.horizon)) {
                        continue;
                    }
                    if (outcomes.censored(account, asOf, tally.horizon)) {
                        tally.censored++;
                        continue;
                    }
                    Outcome outcome = outcomes.outcome(account, asOf, tally.horizon);
                    tally.add(index, segment, memberOf, score.scorecard(), score.score(), score.color(), outcome);
                    if (tally.horizon == fitHorizon && kept(account, index, sampled)) {
                        VersionedScorecard version = versions.get(score.scorecard());
                        if (version != null) {
                            samples.computeIfAbsent(score.scorecard(), k -> new ArrayList<>())
                                    .add(new WeightSuggester.Sample(
                                            index,
                                            Math.floorMod(account.hashCode(), WeightSuggester.FOLDS),
                                            points(version, score),
                                            raw(score),
                                            score.score(),
                                            score.color(),
                                            outcome));
                        }
                    }
                    if (outcome == Outcome.CHURNED && score.color() == Color.GREEN) {
                        tally.missed(new BacktestResults.MissedAccount(
                                account,
                                labels.get(account) == null
                                        ? null
                                        : labels.get(account).name(),
                                segment,
                                asOf,
                                score.score(),
                                outcomes.churnedOn(account, asOf, tally.horizon)));
                    }
                }
            }

            @Override
            public void dayDone(int index) {
                progress.accept(index + 1);
            }
        });
        LeadTimes leadTimes = new LeadTimes(days.get(0), plan.outcomesUntil());
        Map<String, LeadTimes> leadTimesBySegment = new TreeMap<>();
        churnedColors.forEach((account, colors) -> {
            if (!observed.contains(account)) {
                return;
            }
            String segment = segmentOf(labels.get(account));
            for (LocalDate churnedOn : outcomes.churnDays(account)) {
                leadTimes.add(days, colors, churnedOn);
                leadTimesBySegment
                        .computeIfAbsent(segment, k -> new LeadTimes(days.get(0), plan.outcomesUntil()))
                        .add(days, colors, churnedOn);
            }
        });
        List<Suggestion> suggestions = new ArrayList<>();
        for (VersionedScorecard version : plan.set()) {
            List<WeightSuggester.Sample> observations = samples.get(version.name());
            if (observations != null) {
                Suggestion suggestion = WeightSuggester.suggest(
                        version,
                        observations,
                        days,
                        fitHorizon,
                        plan.objective(),
                        plan.snapshot() != null,
                        scorecards::yamlOf);
                suggestions.add(suggestion.yaml() == null ? suggestion : inPlace(suggestion));
            }
        }
        return new BacktestResults(
                days,
                observed.size(),
                plan.known().knownUntil(),
                plan.known().deciding(),
                tallies.stream().map(tally -> tally.result(days)).toList(),
                leadTimes.summary(),
                leadTimesBySegment.entrySet().stream()
                        .map(e -> new BacktestResults.SegmentLeadTime(
                                e.getKey(), e.getValue().summary()))
                        .toList(),
                suggestions,
                BacktestResults.digest(observed));
    }

    /**
     * The suggestion written into the tested version's own document, its comments and layout kept; the regenerated
     * document when the tested one cannot take it in place (its dimensions listed in flow style).
     */
    private Suggestion inPlace(Suggestion suggestion) {
        try {
            return suggestion.withYaml(SuggestedDocument.write(
                    scorecards
                            .version(suggestion.scorecard(), suggestion.version())
                            .yaml(),
                    suggestion,
                    null));
        } catch (dev.steward.core.InvalidInputException notInPlace) {
            return suggestion;
        }
    }

    /**
     * Whether an observation is kept to learn weights from: all of them up to {@link #MAX_SAMPLES}, beyond that an
     * even share chosen by a hash, the same in every run.
     */
    private static boolean kept(UUID account, int day, double share) {
        if (share >= 1) {
            return true;
        }
        int hash = (account.hashCode() * 31 + day) * 0x9E3779B1;
        return (hash >>> 8) / (double) (1 << 24) < share;
    }

    /** Each measure's raw value, as a model benchmark reads them ({@code NaN} for N/A). */
    static float[] raw(AccountScore score) {
        float[] raw = new float[score.raw().length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) score.raw()[i];
        }
        return raw;
    }

    /** Each measure's points as the explanation gives them: a percentile measure's rank, otherwise its rule's. */
    static float[] points(VersionedScorecard version, AccountScore score) {
        List<Measure> measures = version.measures();
        float[] points = new float[measures.size()];
        for (int i = 0; i < points.length; i++) {
            double raw = i < score.raw().length ? score.raw()[i] : Double.NaN;
            if (Double.isNaN(raw)) {
                points[i] = Float.NaN;
            } else if (measures.get(i).score().needsSegment()) {
                points[i] = i < score.ranks().length ? (float) score.ranks()[i] : Float.NaN;
            } else {
                points[i] = (float) measures.get(i).score().pointsOnly(raw, null);
            }
        }
        return points;
    }

    /** The tallies of one horizon: overall, per segment and per as-of day, and the missed accounts. */
    static final class HorizonTally {

        final int horizon;
        final ScoreTally overall = new ScoreTally();
        final Map<String, ScoreTally> segments = new TreeMap<>();
        final Map<String, ScoreTally> scorecards = new TreeMap<>();
        // The segments split by, in the order asked; each observation counts in every one its account was in.
        final Map<String, ScoreTally> splits = new java.util.LinkedHashMap<>();
        long censored;
        final ScoreTally[] byAsOf;
        final List<BacktestResults.MissedAccount> missed = new ArrayList<>();
        long missedTotal;
        // One entry per account that churned while Green: bounded by the accounts that churned, not by the days.
        final Map<UUID, BacktestResults.MissedByAccount> missedByAccount = new HashMap<>();

        HorizonTally(int horizon, int days, List<String> splitBy) {
            this.horizon = horizon;
            this.byAsOf = new ScoreTally[days];
            splitBy.forEach(segment -> splits.put(segment, new ScoreTally()));
        }

        void add(
                int day,
                String segment,
                Set<String> memberOf,
                String scorecard,
                double score,
                Color color,
                Outcome outcome) {
            memberOf.forEach(in -> {
                ScoreTally split = splits.get(in);
                if (split != null) {
                    split.add(score, color, outcome);
                }
            });
            overall.add(score, color, outcome);
            segments.computeIfAbsent(segment, k -> new ScoreTally()).add(score, color, outcome);
            scorecards.computeIfAbsent(scorecard, k -> new ScoreTally()).add(score, color, outcome);
            if (byAsOf[day] == null) {
                byAsOf[day] = new ScoreTally();
            }
            byAsOf[day].add(score, color, outcome);
        }

        void missed(BacktestResults.MissedAccount account) {
            missedTotal++;
            missed.add(account);
            missedByAccount.merge(account.account(), gathered(account), HorizonTally::gather);
            if (missed.size() > MISSED_LISTED * 4) {
                trim();
            }
        }

        private static BacktestResults.MissedByAccount gathered(BacktestResults.MissedAccount one) {
            return new BacktestResults.MissedByAccount(
                    one.account(),
                    one.name(),
                    one.segment(),
                    1,
                    one.asOf(),
                    one.asOf(),
                    one.score(),
                    one.churnedOn(),
                    one.churnedOn());
        }

        static BacktestResults.MissedByAccount gather(
                BacktestResults.MissedByAccount a, BacktestResults.MissedByAccount b) {
            return new BacktestResults.MissedByAccount(
                    a.account(),
                    a.name(),
                    a.segment(),
                    a.asOfDays() + b.asOfDays(),
                    earliest(a.firstAsOf(), b.firstAsOf()),
                    latest(a.lastAsOf(), b.lastAsOf()),
                    Math.max(a.highestScore(), b.highestScore()),
                    earliest(a.firstChurnedOn(), b.firstChurnedOn()),
                    latest(a.lastChurnedOn(), b.lastChurnedOn()));
        }

        private static LocalDate earliest(LocalDate a, LocalDate b) {
            return a == null ? b : b == null || !b.isBefore(a) ? a : b;
        }

        private static LocalDate latest(LocalDate a, LocalDate b) {
            return a == null ? b : b == null || !b.isAfter(a) ? a : b;
        }

        /** The accounts the score missed, those it was surest about (highest score) first, at most {@link #MISSED_LISTED}. */
        static List<BacktestResults.MissedByAccount> byAccount(Collection<BacktestResults.MissedByAccount> all) {
            return all.stream()
                    .sorted(Comparator.comparingDouble(BacktestResults.MissedByAccount::highestScore)
                            .reversed()
                            .thenComparing(BacktestResults.MissedByAccount::asOfDays, Comparator.reverseOrder())
                            .thenComparing(BacktestResults.MissedByAccount::account))
                    .limit(MISSED_LISTED)
                    .toList();
        }

        private void trim() {
            // The highest scores first: the misses the score was surest about.
            missed.sort(Comparator.comparingDouble(BacktestResults.MissedAccount::score)
                    .reversed()
                    .thenComparing(BacktestResults.MissedAccount::asOf)
                    .thenComparing(BacktestResults.MissedAccount::account));
            missed.subList(Math.min(missed.size(), MISSED_LISTED), missed.size())
                    .clear();
        }

        BacktestResults.HorizonResult result(List<LocalDate> days) {
            trim();
            List<LocalDate> used = new ArrayList<>();
            List<BacktestResults.AsOfMetrics> perDay = new ArrayList<>();
            for (int i = 0; i < days.size(); i++) {
                if (byAsOf[i] == null) {
                    continue;
                }
                used.add(days.get(i));
                Metrics metrics = byAsOf[i].metrics();
                perDay.add(new BacktestResults.AsOfMetrics(
                        days.get(i), metrics.observations(), metrics.churned(), metrics.accuracy(), metrics.rocAuc()));
            }
            return new BacktestResults.HorizonResult(
                    horizon,
                    used,
                    overall.metrics(),
                    segments.entrySet().stream()
                            .map(e -> new BacktestResults.SegmentMetrics(
                                    e.getKey(), e.getValue().metrics()))
                            .toList(),
                    scorecards.entrySet().stream()
                            .map(e -> new BacktestResults.ScorecardMetrics(
                                    e.getKey(), e.getValue().metrics()))
                            .toList(),
                    censored,
                    overall.thresholds(),
                    overall.roc(),
                    perDay,
                    missedTotal,
                    List.copyOf(missed),
                    (long) missedByAccount.size(),
                    byAccount(missedByAccount.values()),
                    splits.entrySet().stream()
                            .map(e -> new BacktestResults.SegmentMetrics(
                                    e.getKey(), e.getValue().metrics()))
                            .toList());
        }
    }
}
