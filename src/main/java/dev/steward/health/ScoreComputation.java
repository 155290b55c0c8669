package dev.steward.health;

import dev.steward.activity.ActivityHorizons;
import dev.steward.activity.ActivityWindow;
import dev.steward.activity.ActivityWindows;
import dev.steward.activity.ChurnHistory;
import dev.steward.core.DataHorizon;
import dev.steward.customer.AccountSnapshot;
import dev.steward.customer.AccountSnapshots;
import dev.steward.customer.Churn;
import dev.steward.health.engine.AccountMeasures;
import dev.steward.health.engine.AccountProfile;
import dev.steward.health.engine.DataSpans;
import dev.steward.health.engine.HealthScore;
import dev.steward.health.engine.Measure;
import dev.steward.health.engine.MeasureValues;
import dev.steward.health.engine.PercentileTable;
import dev.steward.health.engine.RollUp;
import dev.steward.health.engine.Scorecard;
import dev.steward.health.engine.ScorecardAssignment;
import dev.steward.health.engine.ScorecardDocuments;
import dev.steward.health.engine.ScoringEngine;
import dev.steward.health.engine.SegmentRanks;
import dev.steward.health.engine.StageStay;
import dev.steward.usage.UsageMetric;
import dev.steward.usage.UsageRecorder;
import dev.steward.usage.UsageWindow;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Scores accounts as of one or more days with a set of scorecard versions, in three passes: read every account's
 * facts in chunks and aggregate them into raw measure values for each day (in parallel); rank the percentile measures
 * within each scorecard's segment, day by day; score, and roll parents up by ARR. Nothing here is stored; callers
 * decide.
 *
 * <p>Several days are scored from one read of the facts: a backtest of 24 monthly days reads each account's history a
 * few times rather than 24 times. How many days share a read is bounded by {@code steward.health.raw-values-in-memory}.
 */
@Component
class ScoreComputation {

    /** Accounts read per round trip: large enough to amortise the queries, small enough to bound memory. */
    static final int CHUNK = 2_000;

    private final AccountSnapshots accounts;
    private final UsageRecorder usage;
    private final ActivityWindows activity;
    private final ActivityHorizons activityHorizons;
    private final ChurnHistory churns;
    private final ScorecardSegments scorecardSegments;
    private final ObjectProvider<StageHistory> stageHistory;
    private final ScoringEngine explainingEngine = new ScoringEngine();
    private final int threads;
    private final int rawValuesInMemory;

    ScoreComputation(
            AccountSnapshots accounts,
            UsageRecorder usage,
            ActivityWindows activity,
            ActivityHorizons activityHorizons,
            ChurnHistory churns,
            ScorecardSegments scorecardSegments,
            ObjectProvider<StageHistory> stageHistory,
            HealthProperties properties) {
        this.scorecardSegments = scorecardSegments;
        this.stageHistory = stageHistory;
        this.activityHorizons = activityHorizons;
        this.rawValuesInMemory = properties.rawValuesInMemory();
        this.accounts = accounts;
        this.usage = usage;
        this.activity = activity;
        this.churns = churns;
        // Twice the cores: while one chunk waits on the database, another is aggregated.
        this.threads = 2 * Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The raw values of one account under the scorecard assigned to it ({@code null} when none applies, or when the
     * account had churned by the day: then {@code churn} says since when, and it is neither scored, nor ranked among
     * its segment, nor rolled up into its parent).
     */
    record Raw(
            UUID account,
            UUID parent,
            double arr,
            VersionedScorecard scorecard,
            List<Measure> measures,
            double[] values,
            Churn churn) {}

    /** An account that had churned by the day scored, and so was not scored. */
    record Churned(UUID account, Churn churn) {}

    /**
     * Scores all accounts (or, when {@code only} is given, just those, ranked against the segment distributions in
     * {@code segments}) and hands each score to {@code sink}; accounts no scorecard applies to are skipped.
     */
    void score(
            LocalDate day,
            List<VersionedScorecard> set,
            Set<UUID> only,
            Map<String, Map<String, PercentileTable>> segments,
            Consumer<AccountScore> sink) {
        score(day, set, only, segments, sink, churned -> {});
    }

    /** As {@link #score(LocalDate, List, Set, Map, Consumer)}, handing the accounts that had churned to {@code churned}. */
    void score(
            LocalDate day,
            List<VersionedScorecard> set,
            Set<UUID> only,
            Map<String, Map<String, PercentileTable>> segments,
            Consumer<AccountScore> sink,
            Consumer<Churned> churned) {
        score(day, set, only, segments, sink, churned, unscored -> {});
    }

    /**
     * As {@link #score(LocalDate, List, Set, Map, Consumer, Consumer)}, handing the customers that no scorecard of the
     * set applies to to {@code unassigned}.
     */
    void score(
            LocalDate day,
            List<VersionedScorecard> set,
            Set<UUID> only,
            Map<String, Map<String, PercentileTable>> segments,
            Consumer<AccountScore> sink,
            Consumer<Churned> churned,
            Consumer<UUID> unassigned) {
        Setup setup = new Setup(set);
        List<List<Raw>> raws = gather(List.of(day), only != null ? new ArrayList<>(only) : allIds(), setup);
        for (Raw raw : raws.get(0)) {
            if (raw.churn() != null) {
                churned.accept(new Churned(raw.account(), raw.churn()));
            } else if (raw.scorecard() == null) {
                unassigned.accept(raw.account());
            }
        }
        finish(day, raws.get(0), segments, setup, sink);
    }

    /**
     * The raw measure values, as of the day, of every customer that the named scorecard of the set is assigned to: one
     * array per account, in the order of the scorecard's measures ({@code NaN}: no data). Nothing is ranked or scored.
     */
    List<double[]> rawValues(LocalDate day, List<VersionedScorecard> set, String scorecard) {
        List<double[]> values = new ArrayList<>();
        for (Raw raw : gather(List.of(day), allIds(), new Setup(set)).get(0)) {
            if (raw.scorecard() != null && raw.scorecard().name().equals(scorecard)) {
                values.add(raw.values());
            }
        }
        return values;
    }

    /** The distribution of each percentile measure in each scorecard's segment as of the day: every account read. */
    Map<String, Map<String, PercentileTable>> distributions(LocalDate day, List<VersionedScorecard> set) {
        Setup setup = new Setup(set);
        return segments(gather(List.of(day), allIds(), setup).get(0));
    }

    /**
     * Scores every account (or, when {@code only} is given, just those, ranked among themselves) as of each of these
     * days (ascending), each ranked within its segment as of that day, and hands the scores to {@code sink} day by day.
     */
    void score(List<LocalDate> days, List<VersionedScorecard> set, Set<UUID> only, HealthScoring.AsOfScores sink) {
        Setup setup = new Setup(set);
        List<UUID> ids = only != null ? new ArrayList<>(only) : allIds();
        int perRead = Math.max(1, Math.min(days.size(), rawValuesInMemory / Math.max(1, ids.size())));
        for (int first = 0; first < days.size(); first += perRead) {
            List<LocalDate> group = days.subList(first, Math.min(days.size(), first + perRead));
            List<List<Raw>> raws = gather(group, ids, setup);
            for (int i = 0; i < group.size(); i++) {
                int index = first + i;
                finish(group.get(i), raws.get(i), null, setup, score -> sink.score(index, score));
                raws.set(i, List.of());
                sink.dayDone(index);
            }
        }
    }

    /**
     * The scorecard of the set each account is assigned to (its name) on the day, by its attributes and the segments it
     * was in when the day ended; accounts none applies to are left out.
     */
    Map<UUID, String> assignments(List<VersionedScorecard> set, LocalDate day) {
        Assigner assigner = new Assigner(
                ScorecardAssignment.of(
                        set.stream().map(VersionedScorecard::scorecard).toList()),
                set);
        Set<String> named = segmentsNamed(set);
        List<UUID> ids = allIds();
        Map<UUID, String> assigned = new HashMap<>();
        for (int start = 0; start < ids.size(); start += CHUNK) {
            List<UUID> chunk = ids.subList(start, Math.min(ids.size(), start + CHUNK));
            SegmentMembershipLookup.SegmentMembership membership =
                    scorecardSegments.membership(named, chunk, List.of(day));
            for (AccountSnapshot account : accounts.readAttributes(chunk).values()) {
                assigner.assign(profile(account).inSegments(membership.of(account.id(), day)))
                        .ifPresent(scorecard -> assigned.put(account.id(), scorecard.name()));
            }
        }
        return assigned;
    }

    /** The segments the scorecards of the set name in their {@code appliesTo}. */
    static Set<String> segmentsNamed(List<VersionedScorecard> set) {
        Set<String> named = new LinkedHashSet<>();
        set.forEach(version -> named.addAll(ScorecardDocuments.segmentsNamed(version.scorecard())));
        return named;
    }

    /** What every chunk of a computation shares: the assignment of scorecards, the versions, the usage families. */
    private final class Setup {

        final Assigner assigner;
        final Map<Scorecard, VersionedScorecard> versions = new IdentityHashMap<>();
        final Map<VersionedScorecard, List<Measure>> measures = new IdentityHashMap<>();
        final MeasureValues values;
        final int lookback;
        final Set<String> metrics = new LinkedHashSet<>();
        final Set<String> segmentsNamed;
        // Whether a measure reads the stays in lifecycle stages: only then are they read.
        boolean readsStages;

        Setup(List<VersionedScorecard> set) {
            segmentsNamed = segmentsNamed(set);
            assigner = new Assigner(
                    ScorecardAssignment.of(
                            set.stream().map(VersionedScorecard::scorecard).toList()),
                    set);
            set.forEach(v -> {
                versions.put(v.scorecard(), v);
                measures.put(v, v.measures());
            });
            values = new MeasureValues(families(), spans());
            lookback = MeasureValues.lookbackDays(
                    set.stream().map(VersionedScorecard::scorecard).toList());
            for (VersionedScorecard version : set) {
                for (Measure measure : version.measures()) {
                    readsStages |= MeasureValues.DAYS_IN_STAGE.equals(measure.metric());
                    // Every metric that is not a fact or attribute of another module is usage, dotted or not.
                    if (!ScorecardDocuments.FACT_METRICS.contains(measure.metric())
                            && !measure.metric().startsWith(ScorecardDocuments.ATTRIBUTE)) {
                        metrics.addAll(values.usageMetrics(measure.metric()));
                    }
                }
            }
        }
    }

    /** Ranks, scores and rolls up one day's raw values, handing the scores to the sink. */
    private void finish(
            LocalDate day,
            List<Raw> raws,
            Map<String, Map<String, PercentileTable>> segments,
            Setup setup,
            Consumer<AccountScore> sink) {
        Map<String, Map<String, PercentileTable>> ranking = segments != null ? segments : segments(raws);
        Map<UUID, AccountScore> scored = new HashMap<>();
        for (Raw raw : raws) {
            if (raw.scorecard() != null) {
                scored.put(
                        raw.account(),
                        score(day, raw, ranking.getOrDefault(raw.scorecard().name(), Map.of())));
            }
        }
        rollUp(raws, scored).values().forEach(sink);
    }

    /** The distribution of each percentile measure's raw values among the accounts of each scorecard. */
    static Map<String, Map<String, PercentileTable>> segments(List<Raw> raws) {
        List<SegmentRanks.Values> scored = new ArrayList<>(raws.size());
        for (Raw raw : raws) {
            if (raw.scorecard() != null) {
                scored.add(new SegmentRanks.Values(raw.scorecard().name(), raw.measures(), raw.values()));
            }
        }
        return SegmentRanks.distributions(scored);
    }

    /** Every account's id, in id order. */
    private List<UUID> allIds() {
        List<UUID> ids = new ArrayList<>();
        for (List<UUID> chunk = accounts.ids(null, CHUNK);
                !chunk.isEmpty();
                chunk = accounts.ids(chunk.get(chunk.size() - 1), CHUNK)) {
            ids.addAll(chunk);
        }
        return ids;
    }

    /** Raw values per day of the accounts in {@code ids}, read in chunks, several chunks at a time. */
    private List<List<Raw>> gather(List<LocalDate> days, List<UUID> ids, Setup setup) {
        LocalDate from = days.get(0).minusDays(setup.lookback - 1L);
        LocalDate to = days.get(days.size() - 1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<List<Raw>>>> pending = new ArrayList<>();
            for (int start = 0; start < ids.size(); start += CHUNK) {
                List<UUID> chunk = ids.subList(start, Math.min(ids.size(), start + CHUNK));
                pending.add(pool.submit(() -> chunk(days, from, to, chunk, setup)));
            }
            List<List<Raw>> raws = new ArrayList<>();
            days.forEach(day -> raws.add(new ArrayList<>()));
            for (Future<List<List<Raw>>> future : pending) {
                List<List<Raw>> chunk = future.get();
                for (int i = 0; i < days.size(); i++) {
                    raws.get(i).addAll(chunk.get(i));
                }
            }
            return raws;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scoring was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("scoring failed", e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** One chunk's raw values for each day, from one read of its facts from {@code from} to {@code to}. */
    private List<List<Raw>> chunk(List<LocalDate> days, LocalDate from, LocalDate to, List<UUID> ids, Setup setup) {
        Map<UUID, AccountSnapshot> snapshots = accounts.read(ids);
        Map<UUID, UsageWindow> usageWindows = usage.windows(snapshots.keySet(), setup.metrics, from, to);
        Map<UUID, ActivityWindow> activityWindows = activity.read(snapshots.keySet(), from, to);
        Map<UUID, List<LocalDate>> churnEvents = churns.days(snapshots.keySet());
        StageHistory stages = setup.readsStages ? stageHistory.getIfAvailable() : null;
        Map<UUID, List<StageStay>> stays = stages == null
                ? Map.of()
                : stages.stays(
                        snapshots.keySet(),
                        to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        // A scorecard that names segments applies as the account's membership stood when each day ended.
        SegmentMembershipLookup.SegmentMembership membership =
                scorecardSegments.membership(setup.segmentsNamed, snapshots.keySet(), days);
        List<List<Raw>> raws = new ArrayList<>(days.size());
        days.forEach(day -> raws.add(new ArrayList<>(snapshots.size())));
        for (AccountSnapshot account : snapshots.values()) {
            AccountProfile profile = profile(account);
            VersionedScorecard sameEveryDay = setup.segmentsNamed.isEmpty()
                    ? setup.assigner.assign(profile).map(setup.versions::get).orElse(null)
                    : null;
            double arr = account.arr() == null ? 0 : account.arr().doubleValue();
            UsageWindow usageWindow = usageWindows.get(account.id());
            ActivityWindow activityWindow = activityWindows.getOrDefault(account.id(), ActivityWindow.empty());
            List<LocalDate> churnDays = churnEvents.getOrDefault(account.id(), List.of());
            for (int i = 0; i < days.size(); i++) {
                VersionedScorecard version = setup.segmentsNamed.isEmpty()
                        ? sameEveryDay
                        : setup.assigner
                                .assign(profile.inSegments(membership.of(account.id(), days.get(i))))
                                .map(setup.versions::get)
                                .orElse(null);
                // A former customer is not at risk: it gets no score, and its zero use does not rank its segment.
                Churn churn = account.churnOn(days.get(i), churnDays);
                VersionedScorecard scoredWith = churn == null ? version : null;
                double[] raw = scoredWith == null
                        ? new double[0]
                        : setup.values.values(
                                scoredWith.scorecard(),
                                days.get(i),
                                account,
                                usageWindow,
                                activityWindow,
                                stays.getOrDefault(account.id(), List.of()));
                raws.get(i)
                        .add(new Raw(
                                account.id(),
                                account.parentId(),
                                arr,
                                scoredWith,
                                scoredWith == null ? List.of() : setup.measures.get(scoredWith),
                                raw,
                                churn));
            }
        }
        return raws;
    }

    /**
     * Assigns scorecards, remembering the answer per profile: conditions are evaluated once per distinct combination of
     * the attributes they mention (a few tiers, say) rather than once per account.
     */
    static final class Assigner {

        private final ScorecardAssignment assignment;
        private final Set<String> mentioned = new java.util.HashSet<>();
        private final Map<AccountProfile, java.util.Optional<Scorecard>> answers =
                new java.util.concurrent.ConcurrentHashMap<>();

        Assigner(ScorecardAssignment assignment, List<VersionedScorecard> set) {
            this.assignment = assignment;
            mentioned.addAll(mentioned(set));
        }

        /** The account attributes the conditions of the set may read: those they name. */
        static Set<String> mentioned(List<VersionedScorecard> set) {
            Set<String> mentioned = new java.util.HashSet<>();
            for (String attribute :
                    List.of("tier", "industry", "region", "employees", "lifecycleStage", "arr", "customFields")) {
                if (set.stream().anyMatch(v -> v.scorecard().appliesTo().contains(attribute))) {
                    mentioned.add(attribute);
                }
            }
            return mentioned;
        }

        java.util.Optional<Scorecard> assign(AccountProfile profile) {
            AccountProfile key = new AccountProfile(
                    mentioned.contains("tier") ? profile.tier() : null,
                    mentioned.contains("industry") ? profile.industry() : null,
                    mentioned.contains("region") ? profile.region() : null,
                    mentioned.contains("employees") ? profile.employees() : null,
                    mentioned.contains("lifecycleStage") ? profile.lifecycleStage() : null,
                    mentioned.contains("arr") ? profile.arr() : null,
                    mentioned.contains("customFields") ? profile.customFields() : Map.of(),
                    profile.segments());
            return answers.computeIfAbsent(key, k -> assignment.assign(k).scorecard());
        }
    }

    static AccountProfile profile(AccountSnapshot account) {
        return new AccountProfile(
                account.tier(),
                account.industry(),
                account.region(),
                account.employees() == null ? null : account.employees().longValue(),
                account.lifecycleStage(),
                account.arr() == null ? null : account.arr().doubleValue(),
                account.customFields());
    }

    private static AccountScore score(LocalDate day, Raw raw, Map<String, PercentileTable> segment) {
        double[] ranks = SegmentRanks.ranks(raw.measures(), raw.values(), segment);
        ScoringEngine.Summary health = ScoringEngine.summary(raw.scorecard().scorecard(), raw.values(), ranks);
        return new AccountScore(
                raw.account(),
                day,
                raw.scorecard().name(),
                raw.scorecard().version(),
                health.score(),
                health.color(),
                health.coverage(),
                null,
                raw.values(),
                ranks);
    }

    /** The explanation of a stored score, rebuilt by the engine from the raw values and ranks kept with it. */
    HealthScore explain(VersionedScorecard version, double[] raw, double[] ranks) {
        List<Measure> measures = version.measures();
        AccountMeasures input = AccountMeasures.none();
        for (int i = 0; i < measures.size() && i < raw.length; i++) {
            if (!Double.isNaN(raw[i])) {
                input = input.with(measures.get(i).name(), raw[i]);
                if (i < ranks.length && !Double.isNaN(ranks[i])) {
                    input = input.withRank(measures.get(i).name(), ranks[i]);
                }
            }
        }
        return explainingEngine.score(version.scorecard(), input);
    }

    /**
     * Replaces each parent's score by its roll-up ({@link RollUp}: the ARR-weighted average of its own and its
     * children's), keeping its own score beside it.
     */
    private static Map<UUID, AccountScore> rollUp(List<Raw> raws, Map<UUID, AccountScore> scored) {
        List<RollUp.Member> members = new ArrayList<>(raws.size());
        boolean anyParent = false;
        for (Raw raw : raws) {
            anyParent |= raw.parent() != null;
            AccountScore own = scored.get(raw.account());
            members.add(new RollUp.Member(
                    raw.account(),
                    raw.parent(),
                    raw.arr(),
                    own == null ? null : own.score(),
                    own == null ? null : own.color(),
                    raw.scorecard() == null ? null : raw.scorecard().scorecard().thresholds()));
        }
        if (!anyParent) {
            return scored;
        }
        Map<UUID, AccountScore> rolled = new HashMap<>(scored);
        RollUp.of(members).forEach((parent, result) -> {
            AccountScore own = scored.get(parent);
            rolled.put(
                    parent,
                    new AccountScore(
                            own.account(),
                            own.day(),
                            own.scorecard(),
                            own.scorecardVersion(),
                            result.score(),
                            result.color(),
                            own.coverage(),
                            own.score(),
                            own.raw(),
                            own.ranks()));
        });
        return rolled;
    }

    /** The days with data of each usage metric and each kind of activity, as known now. */
    private DataSpans spans() {
        Map<String, DataSpans.Span> metrics = new HashMap<>();
        usage.spans().forEach((metric, span) -> metrics.put(metric, new DataSpans.Span(span.first(), span.last())));
        Map<String, DataSpans.Span> kinds = new HashMap<>();
        for (DataHorizon horizon : activityHorizons.all()) {
            DataSpans.Span span = new DataSpans.Span(horizon.first(), horizon.last());
            kinds.merge(horizon.kind(), span, DataSpans.Span::union);
        }
        return new DataSpans(metrics, kinds);
    }

    private Map<String, List<String>> families() {
        Map<String, List<String>> families = new HashMap<>();
        for (UsageMetric metric : usage.metrics()) {
            int dot = metric.key().indexOf('.');
            if (dot > 0) {
                families.computeIfAbsent(metric.key().substring(0, dot) + ".*", k -> new ArrayList<>())
                        .add(metric.key());
            }
        }
        return families;
    }
}
