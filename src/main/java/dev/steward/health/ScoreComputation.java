package dev.steward.health;

import dev.steward.activity.ActivityWindow;
import dev.steward.activity.ActivityWindows;
import dev.steward.customer.AccountSnapshot;
import dev.steward.customer.AccountSnapshots;
import dev.steward.health.engine.AccountMeasures;
import dev.steward.health.engine.AccountProfile;
import dev.steward.health.engine.MeasureValues;
import dev.steward.health.engine.ScorecardAssignment;
import dev.steward.health.engine.ScoringEngine;
import dev.steward.usage.UsageMetric;
import dev.steward.usage.UsageRecorder;
import dev.steward.usage.UsageWindow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.springframework.stereotype.Component;

/**
 * Scores accounts as of a day with a set of scorecard versions, in three passes: read every account's facts in
 * chunks and aggregate them into raw measure values (in parallel); rank the percentile measures within each
 * scorecard's segment; score, and roll parents up by ARR. Nothing here is stored; callers decide.
 */
@Component
class ScoreComputation {

    /** Accounts read per round trip: large enough to amortise the queries, small enough to bound memory. */
    static final int CHUNK = 2_000;

    private final AccountSnapshots accounts;
    private final UsageRecorder usage;
    private final ActivityWindows activity;
    private final ScoringEngine engine = new ScoringEngine(false);
    private final ScoringEngine explainingEngine = new ScoringEngine();
    private final int threads;

    ScoreComputation(AccountSnapshots accounts, UsageRecorder usage, ActivityWindows activity) {
        this.accounts = accounts;
        this.usage = usage;
        this.activity = activity;
        // Twice the cores: while one chunk waits on the database, another is aggregated.
        this.threads = 2 * Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** The raw values of one account under the scorecard assigned to it ({@code null} when none applies). */
    record Raw(UUID account, UUID parent, double arr, VersionedScorecard scorecard, double[] values) {}

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
        ScorecardAssignment assignment = ScorecardAssignment.of(
                set.stream().map(VersionedScorecard::scorecard).toList());
        Assigner assigner = new Assigner(assignment, set);
        Map<Scorecard, VersionedScorecard> versions = new IdentityHashMap<>();
        set.forEach(v -> versions.put(v.scorecard(), v));
        MeasureValues values = new MeasureValues(families());
        List<Raw> raws = gather(day, set, only, assigner, versions, values);
        Map<String, Map<String, PercentileTable>> ranking = segments != null ? segments : segments(raws);
        Map<UUID, AccountScore> scored = new HashMap<>();
        for (Raw raw : raws) {
            if (raw.scorecard() != null) {
                scored.put(
                        raw.account(),
                        score(day, raw, ranking.getOrDefault(raw.scorecard().name(), Map.of())));
            }
        }
        rollUp(raws, scored, versions).values().forEach(sink);
    }

    /** The distribution of each percentile measure's raw values among the accounts of each scorecard. */
    static Map<String, Map<String, PercentileTable>> segments(List<Raw> raws) {
        Map<String, Map<String, List<Double>>> collected = new HashMap<>();
        for (Raw raw : raws) {
            if (raw.scorecard() == null) {
                continue;
            }
            List<Measure> measures = raw.scorecard().measures();
            for (int i = 0; i < measures.size(); i++) {
                if (measures.get(i).score().needsSegment() && !Double.isNaN(raw.values()[i])) {
                    collected
                            .computeIfAbsent(raw.scorecard().name(), k -> new HashMap<>())
                            .computeIfAbsent(measures.get(i).name(), k -> new ArrayList<>())
                            .add(raw.values()[i]);
                }
            }
        }
        Map<String, Map<String, PercentileTable>> tables = new HashMap<>();
        collected.forEach((scorecard, byMeasure) -> byMeasure.forEach((measure, list) ->
                tables.computeIfAbsent(scorecard, k -> new HashMap<>()).put(measure, PercentileTable.of(list))));
        return tables;
    }

    /** Raw values of all accounts (or of {@code only}) gathered chunk by chunk, several chunks at a time. */
    List<Raw> gather(
            LocalDate day,
            List<VersionedScorecard> set,
            Set<UUID> only,
            Assigner assignment,
            Map<Scorecard, VersionedScorecard> versions,
            MeasureValues values) {
        int lookback = MeasureValues.lookbackDays(
                set.stream().map(VersionedScorecard::scorecard).toList());
        LocalDate from = day.minusDays(lookback - 1L);
        Set<String> metrics = new LinkedHashSet<>();
        for (VersionedScorecard version : set) {
            for (Measure measure : version.measures()) {
                if (!measure.metric().contains(".") || measure.metric().endsWith(".*")) {
                    metrics.addAll(values.usageMetrics(measure.metric()));
                } else if (measure.metric().startsWith("feature.")) {
                    metrics.add(measure.metric());
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Raw>>> pending = new ArrayList<>();
            if (only != null) {
                List<UUID> ids = new ArrayList<>(only);
                for (int start = 0; start < ids.size(); start += CHUNK) {
                    List<UUID> chunk = ids.subList(start, Math.min(ids.size(), start + CHUNK));
                    pending.add(pool.submit(() -> chunk(day, from, chunk, metrics, assignment, versions, values)));
                }
            } else {
                UUID after = null;
                while (true) {
                    List<UUID> chunk = accounts.ids(after, CHUNK);
                    if (chunk.isEmpty()) {
                        break;
                    }
                    after = chunk.get(chunk.size() - 1);
                    pending.add(pool.submit(() -> chunk(day, from, chunk, metrics, assignment, versions, values)));
                }
            }
            List<Raw> raws = new ArrayList<>();
            for (Future<List<Raw>> future : pending) {
                raws.addAll(future.get());
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

    private List<Raw> chunk(
            LocalDate day,
            LocalDate from,
            List<UUID> ids,
            Set<String> metrics,
            Assigner assignment,
            Map<Scorecard, VersionedScorecard> versions,
            MeasureValues values) {
        Map<UUID, AccountSnapshot> snapshots = accounts.read(ids);
        Map<UUID, UsageWindow> usageWindows = usage.windows(snapshots.keySet(), metrics, from, day);
        Map<UUID, ActivityWindow> activityWindows = activity.read(snapshots.keySet(), from, day);
        List<Raw> raws = new ArrayList<>(snapshots.size());
        for (AccountSnapshot account : snapshots.values()) {
            VersionedScorecard version =
                    assignment.assign(profile(account)).map(versions::get).orElse(null);
            double[] raw = new double[0];
            if (version != null) {
                AccountMeasures measures = values.of(
                        version.scorecard(),
                        day,
                        account,
                        usageWindows.get(account.id()),
                        activityWindows.getOrDefault(account.id(), ActivityWindow.empty()));
                List<Measure> list = version.measures();
                raw = new double[list.size()];
                for (int i = 0; i < list.size(); i++) {
                    raw[i] = measures.value(list.get(i).name()).orElse(Double.NaN);
                }
            }
            raws.add(new Raw(
                    account.id(),
                    account.parentId(),
                    account.arr() == null ? 0 : account.arr().doubleValue(),
                    version,
                    raw));
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
            for (String attribute :
                    List.of("tier", "industry", "region", "employees", "lifecycleStage", "arr", "customFields")) {
                if (set.stream().anyMatch(v -> v.scorecard().appliesTo().contains(attribute))) {
                    mentioned.add(attribute);
                }
            }
        }

        java.util.Optional<Scorecard> assign(AccountProfile profile) {
            AccountProfile key = new AccountProfile(
                    mentioned.contains("tier") ? profile.tier() : null,
                    mentioned.contains("industry") ? profile.industry() : null,
                    mentioned.contains("region") ? profile.region() : null,
                    mentioned.contains("employees") ? profile.employees() : null,
                    mentioned.contains("lifecycleStage") ? profile.lifecycleStage() : null,
                    mentioned.contains("arr") ? profile.arr() : null,
                    mentioned.contains("customFields") ? profile.customFields() : Map.of());
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

    private AccountScore score(LocalDate day, Raw raw, Map<String, PercentileTable> segment) {
        List<Measure> measures = raw.scorecard().measures();
        double[] ranks = new double[measures.size()];
        Arrays.fill(ranks, Double.NaN);
        AccountMeasures input = AccountMeasures.none();
        for (int i = 0; i < measures.size(); i++) {
            double value = raw.values()[i];
            if (Double.isNaN(value)) {
                continue;
            }
            Measure measure = measures.get(i);
            input = input.with(measure.name(), value);
            PercentileTable table = segment.get(measure.name());
            if (measure.score().needsSegment() && table != null) {
                ranks[i] = table.rankOf(value);
                input = input.withRank(measure.name(), ranks[i]);
            }
        }
        HealthScore health = engine.score(raw.scorecard().scorecard(), input);
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
     * Replaces each parent's score by the ARR-weighted average of its own and its children's (children first, so a
     * grandparent rolls up rolled-up children); accounts without ARR weigh as much as the smallest with some. Black
     * members are left out; a parent whose members are all Black stays Black.
     */
    private static Map<UUID, AccountScore> rollUp(
            List<Raw> raws, Map<UUID, AccountScore> scored, Map<Scorecard, VersionedScorecard> versions) {
        Map<UUID, List<Raw>> children = new HashMap<>();
        Map<UUID, Raw> byId = new HashMap<>();
        for (Raw raw : raws) {
            byId.put(raw.account(), raw);
            if (raw.parent() != null) {
                children.computeIfAbsent(raw.parent(), k -> new ArrayList<>()).add(raw);
            }
        }
        if (children.isEmpty()) {
            return scored;
        }
        Map<UUID, AccountScore> rolled = new HashMap<>(scored);
        Set<UUID> done = new java.util.HashSet<>();
        for (UUID parent : children.keySet()) {
            rollUp(parent, children, byId, rolled, done, new java.util.HashSet<>());
        }
        return rolled;
    }

    private static void rollUp(
            UUID parent,
            Map<UUID, List<Raw>> children,
            Map<UUID, Raw> byId,
            Map<UUID, AccountScore> rolled,
            Set<UUID> done,
            Set<UUID> path) {
        if (done.contains(parent) || !path.add(parent)) {
            return;
        }
        double weighted = 0;
        double weights = 0;
        AccountScore own = rolled.get(parent);
        Raw ownRaw = byId.get(parent);
        List<double[]> members = new ArrayList<>();
        if (own != null && own.color() != Color.BLACK) {
            members.add(new double[] {own.score(), ownRaw == null ? 0 : ownRaw.arr()});
        }
        for (Raw child : children.getOrDefault(parent, List.of())) {
            if (children.containsKey(child.account())) {
                rollUp(child.account(), children, byId, rolled, done, path);
            }
            AccountScore score = rolled.get(child.account());
            if (score != null && score.color() != Color.BLACK) {
                members.add(new double[] {score.score(), child.arr()});
            }
        }
        done.add(parent);
        if (own == null || members.isEmpty()) {
            return;
        }
        double smallest = members.stream()
                .mapToDouble(m -> m[1])
                .filter(arr -> arr > 0)
                .min()
                .orElse(1);
        for (double[] member : members) {
            double weight = member[1] > 0 ? member[1] : smallest;
            weighted += member[0] * weight;
            weights += weight;
        }
        double score = Math.round(weighted / weights * 10) / 10.0;
        Scorecard scorecard = ownRaw.scorecard().scorecard();
        rolled.put(
                parent,
                new AccountScore(
                        own.account(),
                        own.day(),
                        own.scorecard(),
                        own.scorecardVersion(),
                        score,
                        scorecard.thresholds().colorOf(score),
                        own.coverage(),
                        own.score(),
                        own.raw(),
                        own.ranks()));
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
