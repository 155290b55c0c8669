package dev.steward.health;

import dev.steward.core.AuditedChanges;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.LockRetries;
import dev.steward.core.NotFoundException;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AccountSnapshots;
import dev.steward.health.engine.Color;
import dev.steward.health.engine.HealthScore;
import dev.steward.health.engine.Measure;
import dev.steward.health.engine.PercentileTable;
import dev.steward.health.engine.Points;
import dev.steward.identity.User;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Computes, stores and explains account health: re-scores every account or a few for a day with the published
 * scorecards, scores as of any past day with any version without storing, keeps overrides, and answers what an
 * account's health is, how it moved and why; the health module's API for scores.
 */
@Service
@EnableConfigurationProperties(HealthProperties.class)
public class HealthScoring {

    /** Days before a day that trends compare against. */
    public static final List<Integer> TREND_DAYS = List.of(7, 30, 90);

    private final ScoreComputation computation;
    private final HealthScores scores;
    private final HealthOverrides overrides;
    private final ScorecardManagement scorecards;
    private final AccountSnapshots accounts;
    private final AccountManagement accountManagement;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final HealthProperties properties;
    private final RescoreRequests rescoreRequests;
    private final ScorecardSegments scorecardSegments;
    private final Clock clock;
    private final Map<String, Map<String, Map<String, PercentileTable>>> segmentCache =
            new java.util.concurrent.ConcurrentHashMap<>();

    HealthScoring(
            ScoreComputation computation,
            HealthScores scores,
            HealthOverrides overrides,
            ScorecardManagement scorecards,
            AccountSnapshots accounts,
            AccountManagement accountManagement,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactionManager,
            HealthProperties properties,
            RescoreRequests rescoreRequests,
            ScorecardSegments scorecardSegments,
            Clock clock) {
        this.rescoreRequests = rescoreRequests;
        this.scorecardSegments = scorecardSegments;
        this.computation = computation;
        this.scores = scores;
        this.overrides = overrides;
        this.scorecards = scorecards;
        this.accounts = accounts;
        this.accountManagement = accountManagement;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.properties = properties;
        this.clock = clock;
    }

    public LocalDate today() {
        return LocalDate.now(clock);
    }

    /**
     * Asks for accounts that entered or left a segment to be re-scored within seconds, as part of the caller's
     * transaction, when a published scorecard names that segment: their scorecard may change. Otherwise does nothing.
     */
    public void membershipChanged(String segment, Collection<UUID> changed) {
        if (!changed.isEmpty() && scorecardSegments.namedByPublished(segment)) {
            rescoreRequests.note(new HashSet<>(changed));
        }
    }

    /** Scores every account for the day with the published scorecards and stores the scores. */
    public ScoringRun rescoreAll(LocalDate day) {
        return rescore(null, day);
    }

    /**
     * Scores these accounts (with the accounts above and below them, whose roll-ups move with theirs) for the day with
     * the published scorecards and stores the scores; percentile measures rank them within the segment as scored for
     * that day (or, when the day has no scores yet, among all accounts).
     */
    public ScoringRun rescore(Collection<UUID> accountsToScore, LocalDate day) {
        // A parent's score rolls up its children's: the families these accounts belong to are re-scored together.
        Collection<UUID> only = accountsToScore == null ? null : accounts.withFamilies(accountsToScore);
        long started = System.nanoTime();
        List<VersionedScorecard> set = scorecards.publishedVersions();
        Map<String, Map<String, PercentileTable>> segments = only == null ? null : storedSegments(day, set);
        if (only != null && segments == null) {
            // Nobody was scored for the day yet: ranking a few accounts among themselves would be meaningless.
            return rescore(null, day);
        }
        List<AccountScore> computed = new ArrayList<>();
        List<ScoreComputation.Churned> churned = new ArrayList<>();
        List<UUID> unassigned = new ArrayList<>();
        computation.score(
                day,
                set,
                only == null ? null : new HashSet<>(only),
                segments,
                computed::add,
                churned::add,
                unassigned::add);
        long scoresComputed = System.nanoTime();
        List<UUID> ids = computed.stream().map(AccountScore::account).toList();
        Map<UUID, Color> before = scores.previousColors(day, only == null ? null : ids);
        Map<UUID, Double> monthAgo =
                only == null ? scores.scoresOn(day.minusDays(30)) : scores.scoresOn(day.minusDays(30), ids);
        Map<UUID, HealthOverride> overridden = new HashMap<>();
        for (HealthOverride override : overrides.open()) {
            if (override.appliesOn(day, clock.getZone())) {
                overridden.put(override.account(), override);
            }
        }
        List<HealthColorsChanged.Change> changes = new ArrayList<>();
        List<AccountSnapshots.Health> marks = new ArrayList<>();
        Map<Color, Integer> colors = new EnumMap<>(Color.class);
        for (AccountScore score : computed) {
            colors.merge(score.color(), 1, Integer::sum);
            Color was = before.get(score.account());
            if (was != null && was != score.color()) {
                changes.add(new HealthColorsChanged.Change(
                        new AccountId(score.account()), was, score.color(), score.score(), score.scorecard()));
            }
            HealthOverride override = overridden.get(score.account());
            Double old = monthAgo.get(score.account());
            marks.add(new AccountSnapshots.Health(
                    score.account(),
                    override != null && override.score() != null ? override.score() : score.score(),
                    (override != null ? override.color() : score.color()).name().toLowerCase(Locale.ROOT),
                    old == null ? null : Math.round((score.score() - old) * 10) / 10.0,
                    score.score(),
                    score.color().name().toLowerCase(Locale.ROOT),
                    override != null));
        }
        boolean today = day.equals(today());
        if (only == null) {
            segmentCache.clear();
        }
        // Another writer of the same accounts (an owner or stage decision, a load) may deadlock with this one: the
        // loser stores again rather than losing the scores it computed.
        LockRetries.retry(
                "Storing health scores of " + day,
                () -> transactions.execute(status -> {
                    // Accounts deleted while they were scored lose their scores when the deletion is heard, unless this
                    // writer stores them after that: once no other writer runs, only the accounts that still exist
                    // count.
                    scores.lockWriters();
                    Set<UUID> existing = existing(computed);
                    scores.replace(
                            day,
                            only == null ? null : only,
                            computed.size() == existing.size()
                                    ? computed
                                    : computed.stream()
                                            .filter(s -> existing.contains(s.account()))
                                            .toList(),
                            clock.instant());
                    if (today) {
                        accounts.recordHealth(marks);
                        events.publishEvent(new HealthScored(day, only == null, only == null ? Set.of() : existing));
                        accounts.recordChurn(churned.stream()
                                .map(c -> new AccountSnapshots.Churned(c.account(), c.churn()))
                                .toList());
                        // An account no scorecard applies to any more loses the health it had, so lists show it
                        // unscored and say why.
                        accounts.recordUnscored(unassigned, ScorecardFit.reason(set));
                    }
                    List<HealthColorsChanged.Change> stored = changes.stream()
                            .filter(c -> existing.contains(c.account().value()))
                            .toList();
                    if (!stored.isEmpty()) {
                        events.publishEvent(new HealthColorsChanged(day, stored));
                    }
                    return null;
                }));
        long finished = System.nanoTime();
        return new ScoringRun(
                day,
                computed.size(),
                colors,
                churned.size(),
                changes.size(),
                (finished - started) / 1_000_000,
                (scoresComputed - started) / 1_000_000,
                (finished - scoresComputed) / 1_000_000);
    }

    private Set<UUID> existing(List<AccountScore> computed) {
        Set<UUID> existing = new HashSet<>();
        accountManagement
                .existing(computed.stream().map(s -> new AccountId(s.account())).toList())
                .forEach(id -> existing.add(id.value()));
        return existing;
    }

    /**
     * Scores every account for each of these days, oldest first, and stores the scores as if the daily job had run on
     * each: gives a new installation its history, trends and color changes at once.
     */
    public List<ScoringRun> backfill(Collection<LocalDate> days) {
        return days.stream().sorted().distinct().map(this::rescoreAll).toList();
    }

    /**
     * The days a new installation back-fills up to today: every day of the last month, every week before that for a
     * year, and the days trends compare with, so that trend and history read as they would after a year of use.
     */
    public static List<LocalDate> historyDays(LocalDate today) {
        java.util.TreeSet<LocalDate> days = new java.util.TreeSet<>();
        for (int back = 0; back <= 30; back++) {
            days.add(today.minusDays(back));
        }
        for (int back = 35; back <= 364; back += 7) {
            days.add(today.minusDays(back));
        }
        TREND_DAYS.forEach(back -> days.add(today.minusDays(back)));
        return List.copyOf(days);
    }

    /**
     * Scores every account as of a day with these scorecard versions (published or drafts) and hands each score to
     * the sink without storing anything: for backtests and previews. Only facts dated on or before the day are read.
     */
    public void scoreAll(LocalDate day, List<VersionedScorecard> set, Consumer<AccountScore> sink) {
        computation.score(day, set, null, null, sink);
    }

    /** As {@link #scoreAll(LocalDate, List, Consumer)}, handing the accounts that had churned by the day to {@code churned}. */
    void scoreAll(
            LocalDate day,
            List<VersionedScorecard> set,
            Consumer<AccountScore> sink,
            Consumer<ScoreComputation.Churned> churned) {
        computation.score(day, set, null, null, sink, churned);
    }

    /** Receives the scores of several as-of days: every score of one day, then that day's end, then the next day. */
    public interface AsOfScores {

        /** One account's score as of the day at this index of the list scored. */
        void score(int day, AccountScore score);

        /** Every score of the day at this index has been handed over. */
        default void dayDone(int day) {}
    }

    /**
     * Scores every account as of each of these days (ascending, without repeats) as {@link #scoreAll(LocalDate, List,
     * Consumer)} would one day at a time, each ranked within its segment as of its own day, but reading each account's
     * facts once for several days: what backtests over many as-of days use.
     */
    public void scoreAll(List<LocalDate> days, List<VersionedScorecard> set, AsOfScores sink) {
        scoreSome(days, set, null, sink);
    }

    /**
     * As {@link #scoreAll(List, List, AsOfScores)}, for these accounts only; a percentile measure ranks them among
     * themselves, so this suits raw values (signals, samples) more than scores to compare with stored ones.
     */
    public void scoreSome(List<LocalDate> days, List<VersionedScorecard> set, Set<UUID> accounts, AsOfScores sink) {
        for (int i = 1; i < days.size(); i++) {
            if (!days.get(i).isAfter(days.get(i - 1))) {
                throw new IllegalArgumentException("as-of days must ascend without repeats: " + days);
            }
        }
        computation.score(days, set, accounts, sink);
    }

    /**
     * Which scorecard of the set each account is assigned to, by its attributes and segments today; accounts that none
     * applies to are left out (they get no score).
     */
    public Map<UUID, String> assignments(List<VersionedScorecard> set) {
        return computation.assignments(set, today());
    }

    /**
     * What publishing a version of a scorecard would change today: the color distribution under the published set and
     * under the set with this version in its place, and the accounts that would change color.
     */
    public ScorecardPreview preview(String name, int version) {
        VersionedScorecard candidate = scorecards.scorable(name, version);
        List<VersionedScorecard> published = scorecards.publishedVersions();
        List<VersionedScorecard> proposed = new ArrayList<>();
        published.stream().filter(v -> !v.name().equals(name)).forEach(proposed::add);
        proposed.add(candidate);
        // A version that could not be published (such as one sharing a published scorecard's priority) is not scored.
        List<FieldError> clashes = dev.steward.health.engine.ScorecardDocuments.checkSet(
                        proposed.stream().map(VersionedScorecard::scorecard).toList())
                .stream()
                .map(problem -> FieldError.of(problem.field(), problem.reason()))
                .toList();
        if (!clashes.isEmpty()) {
            throw new InvalidInputException(clashes);
        }
        LocalDate day = today();
        Map<UUID, AccountScore> before = new HashMap<>();
        scoreAll(day, published, score -> before.put(score.account(), score));
        Map<UUID, AccountScore> after = new HashMap<>();
        scoreAll(day, proposed, score -> after.put(score.account(), score));
        Map<Color, Integer> colorsBefore = new EnumMap<>(Color.class);
        before.values().forEach(s -> colorsBefore.merge(s.color(), 1, Integer::sum));
        Map<Color, Integer> colorsAfter = new EnumMap<>(Color.class);
        after.values().forEach(s -> colorsAfter.merge(s.color(), 1, Integer::sum));
        List<AccountScore[]> moved = new ArrayList<>();
        Set<UUID> all = new HashSet<>(before.keySet());
        all.addAll(after.keySet());
        for (UUID account : all) {
            AccountScore was = before.get(account);
            AccountScore will = after.get(account);
            if (was == null || will == null || was.color() != will.color()) {
                moved.add(new AccountScore[] {was, will});
            }
        }
        // Largest moves first; when only thresholds move (every move is 0), the lowest scores, the most at risk, first.
        moved.sort(java.util.Comparator.comparingDouble(
                        (AccountScore[] pair) -> -Math.abs(scoreOf(pair[1]) - scoreOf(pair[0])))
                .thenComparingDouble(pair -> scoreOf(pair[1]))
                .thenComparing(pair -> (pair[0] != null ? pair[0] : pair[1]).account()));
        List<AccountScore[]> listed = moved.subList(0, Math.min(ScorecardPreview.LISTED, moved.size()));
        Map<UUID, String> names = new HashMap<>();
        accounts.read(listed.stream()
                        .map(pair -> (pair[0] != null ? pair[0] : pair[1]).account())
                        .toList())
                .forEach((id, snapshot) -> names.put(id, snapshot.name()));
        List<ScorecardPreview.Change> changes = listed.stream()
                .map(pair -> {
                    UUID account = (pair[0] != null ? pair[0] : pair[1]).account();
                    return new ScorecardPreview.Change(
                            account,
                            names.get(account),
                            pair[0] == null ? null : pair[0].scorecard() + " v" + pair[0].scorecardVersion(),
                            pair[1] == null ? null : pair[1].scorecard() + " v" + pair[1].scorecardVersion(),
                            scoreOf(pair[0]),
                            scoreOf(pair[1]),
                            pair[0] == null ? null : pair[0].color(),
                            pair[1] == null ? null : pair[1].color());
                })
                .toList();
        return new ScorecardPreview(name, version, day, colorsBefore, colorsAfter, after.size(), moved.size(), changes);
    }

    private static double scoreOf(AccountScore score) {
        return score == null ? 0 : score.score();
    }

    /**
     * One account scored as of a day with these versions, explained, without storing it. Only the account (and the
     * accounts below it, which its score rolls up) is scored: a percentile measure ranks it against its segment's
     * distribution that day, read from the scores stored for the day or else computed once per day and set of versions
     * and kept for ten minutes (at most {@value #DISTRIBUTIONS_KEPT}), one computation at a time, so that no request,
     * and no flood of them, makes the server score every account over and over.
     */
    public AccountHealth asOf(UUID account, LocalDate day, List<VersionedScorecard> set) {
        accountManagement.get(new AccountId(account));
        Map<String, Map<String, PercentileTable>> segments = needsSegments(set) ? distributions(day, set) : Map.of();
        Set<UUID> scored = accounts.withDescendants(List.of(account));
        List<AccountScore> found = new ArrayList<>();
        List<ScoreComputation.Churned> churned = new ArrayList<>();
        Consumer<ScoreComputation.Churned> churnOfAccount = c -> {
            if (c.account().equals(account)) {
                churned.add(c);
            }
        };
        computation.score(
                day,
                set,
                scored,
                segments,
                score -> {
                    if (score.account().equals(account)) {
                        found.add(score);
                    }
                },
                churnOfAccount);
        if (!churned.isEmpty()) {
            throw new InvalidInputException(
                    "date",
                    "account " + account + " was no longer a customer on " + day + " ("
                            + churned.get(0).churn().reason() + "); former customers are not scored");
        }
        if (found.isEmpty()) {
            throw new InvalidInputException(
                    "scorecard", "no scorecard of the set applies to account " + account + " on " + day);
        }
        AccountScore score = found.get(0);
        VersionedScorecard version = set.stream()
                .filter(v -> v.name().equals(score.scorecard()))
                .findFirst()
                .orElseThrow();
        return health(score, version, null, Map.of());
    }

    /**
     * Each account's latest score up to today taken apart: coverage, dimension scores and measures' raw values (see
     * {@link HealthBreakdown}), in one query for all of them. Accounts never scored are left out.
     */
    public Map<UUID, HealthBreakdown> breakdowns(Collection<UUID> accounts) {
        Map<UUID, HealthBreakdown> breakdowns = new HashMap<>();
        Map<String, VersionedScorecard> versions = new HashMap<>();
        scores.latestScores(accounts, today()).forEach((account, score) -> {
            VersionedScorecard version = versions.computeIfAbsent(
                    score.scorecard() + "@" + score.scorecardVersion(),
                    key -> scorecards.scorable(score.scorecard(), score.scorecardVersion()));
            Map<String, Double> dimensions = new HashMap<>();
            Map<String, Double> measures = new HashMap<>();
            for (dev.steward.health.engine.DimensionScore dimension :
                    computation.explain(version, score.raw(), score.ranks()).dimensions()) {
                if (dimension.score() != null) {
                    dimensions.put(dimension.name(), dimension.score());
                }
                for (dev.steward.health.engine.MeasureScore measure : dimension.measures()) {
                    if (measure.rawValue() != null && !measure.rawValue().isNaN()) {
                        measures.put(measure.name(), measure.rawValue());
                    }
                }
            }
            breakdowns.put(account, new HealthBreakdown(score.coverage(), dimensions, measures));
        });
        return breakdowns;
    }

    /** The coverage (share of the scorecard's weight that had data) of each account's latest score up to today. */
    public Map<UUID, Double> coverages(Collection<UUID> accounts) {
        return scores.latestCoverages(accounts, today());
    }

    /**
     * How long each account's health has had the color that counts now, from the stored daily scores up to today (see
     * {@link HealthColorSince}): one query for all of them. Accounts never scored are left out.
     */
    public Map<UUID, HealthColorSince> colorsSince(Collection<UUID> accounts) {
        return scores.colorsSince(accounts, today(), clock.getZone());
    }

    /** An account's health became a color on a day, with that day's score. */
    public record ColorEntry(UUID account, LocalDate day, double score) {}

    /**
     * Every time from one day to another (both included) that an account's stored color became the given one from
     * another, oldest first: what a playbook fired by that color would have seen.
     */
    public List<ColorEntry> colorEntries(String color, LocalDate from, LocalDate to) {
        return scores.colorEntries(color, from, to);
    }

    /**
     * Each account's color as stored on a day or on one of the {@code daysBack} days before it (the latest of them),
     * streamed: what the health of the book was on a past day. Accounts without a score in that span are left out
     * (their health is not known then, which is Black to a reader, never Green). {@code accounts} narrows it to these
     * accounts ({@code null}: every account).
     */
    public void colorsOn(
            LocalDate day,
            int daysBack,
            @org.jspecify.annotations.Nullable Collection<UUID> accounts,
            java.util.function.BiConsumer<UUID, Color> sink) {
        scores.colorsOn(day, daysBack, accounts, sink);
    }

    /**
     * Whether any account was scored on a day or on one of the {@code daysBack} days before it: on a day nobody was
     * scored, an account's health is not known (no data), which is not the same as Black on a day others were scored.
     */
    public boolean anyScored(LocalDate day, int daysBack) {
        return scores.anyScored(day.minusDays(daysBack), day);
    }

    /**
     * Every account's color on each of these days as {@link #colorsOn(LocalDate, int, Collection, java.util.function.BiConsumer)}
     * reads it for one (the latest stored on the day or one of the {@code daysBack} days before it), and for each day
     * whether anyone was scored then (see {@link #anyScored}); read at once for all the days, so that the health of
     * the book over many days costs one pass rather than one per day.
     */
    public DailyColors colorsOn(List<LocalDate> days, int daysBack) {
        return scores.colorsOn(days, daysBack);
    }

    /**
     * Each of these accounts' color on each of these days as {@link #storedColors} reads it (its latest stored score on
     * or before the day, overrides aside), read at once: the colors alone, without the scores.
     */
    public DailyColors latestColors(Collection<UUID> accounts, List<LocalDate> days) {
        return scores.latestColors(accounts, days);
    }

    /** Each account's score as of a day: its latest stored score on or before it; accounts without one are left out. */
    public Map<UUID, Double> scoresAsOf(Collection<UUID> accounts, LocalDate day) {
        Map<UUID, Double> scored = new java.util.HashMap<>();
        scores.latestScores(accounts, day).forEach((id, score) -> scored.put(id, score.score()));
        return scored;
    }

    /** An account's stored score and color as of a day: those of its latest stored score on or before the day. */
    public record StoredColor(UUID account, LocalDate day, double score, String color) {}

    /**
     * Each of these accounts' stored score and color as of each of these days (its latest stored score on or before
     * the day; the computed color, overrides aside), by day; accounts without a score by a day are left out of it. One
     * statement, one primary-key probe per account and day.
     */
    public Map<LocalDate, Map<UUID, StoredColor>> storedColors(Collection<UUID> accounts, Collection<LocalDate> days) {
        return scores.storedColors(accounts, days);
    }

    /** An account's stored color changed on a day: from which color to which, with that day's score. */
    public record ColorChange(UUID account, LocalDate day, String from, String to, double score) {}

    /**
     * Every change of these accounts' stored color from one day to another (both included), newest first, each against
     * the account's previous stored score up to {@code lookBack} days before {@code from}.
     */
    public List<ColorChange> colorChanges(Collection<UUID> accounts, LocalDate from, LocalDate to, int lookBack) {
        return scores.colorChanges(accounts, from, to, lookBack);
    }

    /**
     * When each person set an override from {@code from} to before {@code until}, by author; overrides without an
     * author (set by an API key of no user) are left out.
     */
    public Map<UUID, List<Instant>> overridesMade(Instant from, Instant until) {
        return overrides.made(from, until);
    }

    /** An override in force: the account, the color it shows ({@code red}), why, and the day it stops applying. */
    public record OverrideInForce(UUID account, String color, String reason, LocalDate expiresOn) {}

    /** The overrides of these accounts in force today (set, not removed, not yet expired), soonest expiry first. */
    public List<OverrideInForce> overridesInForce(Collection<UUID> accounts) {
        return overrides.inForce(accounts, today()).stream()
                .map(o -> new OverrideInForce(o.account(), o.color().value(), o.reason(), o.expiresOn()))
                .toList();
    }

    /** The account's health as last stored, explained, with its override and trends; empty before its first score. */
    public Optional<AccountHealth> current(UUID account) {
        accountManagement.get(new AccountId(account));
        return scores.latest(account, today()).map(score -> explained(score));
    }

    /**
     * Each of these accounts' health as {@link #current(UUID)} reads it (latest stored score up to today, the override
     * that applies on its day, the trends), without the explanation: a few statements for all of them rather than
     * several per account. Accounts never scored, or unknown, are left out.
     */
    public Map<UUID, CurrentHealth> currentFor(Collection<UUID> accounts) {
        Map<UUID, AccountScore> latest = scores.latestScores(accounts, today());
        Map<UUID, List<HealthOverride>> applicable = overrides.applicable(latest.keySet());
        List<UUID> earlierAccounts = new ArrayList<>();
        List<LocalDate> earlierDays = new ArrayList<>();
        latest.values()
                .forEach(score -> TREND_DAYS.forEach(days -> {
                    earlierAccounts.add(score.account());
                    earlierDays.add(score.day().minusDays(days));
                }));
        Map<UUID, Map<LocalDate, Double>> earlier = scores.scoresOn(earlierAccounts, earlierDays);
        Map<UUID, CurrentHealth> current = new HashMap<>();
        latest.forEach((account, score) -> {
            Map<LocalDate, Double> then = earlier.getOrDefault(account, Map.of());
            Map<Integer, Double> trend = new HashMap<>();
            for (int days : TREND_DAYS) {
                Double before = then.get(score.day().minusDays(days));
                if (before != null) {
                    trend.put(days, CurrentHealth.change(score.score(), before));
                }
            }
            current.put(
                    account,
                    CurrentHealth.of(score, applying(applicable.getOrDefault(account, List.of()), score.day()), trend));
        });
        return current;
    }

    /** The account's stored health on a day, explained. */
    public Optional<AccountHealth> on(UUID account, LocalDate day) {
        accountManagement.get(new AccountId(account));
        return scores.on(account, day).map(this::explained);
    }

    /** When the account's score for a day was last computed, if it has one. */
    public Optional<Instant> scoredAt(UUID account, LocalDate day) {
        return scores.computedAt(account, day);
    }

    /** The account's stored scores from one day to another, oldest first. */
    public List<AccountScore> history(UUID account, LocalDate from, LocalDate to) {
        accountManagement.get(new AccountId(account));
        return scores.history(account, from, to);
    }

    /** What moved an account's health from one day to another: the measures whose points changed, largest first. */
    public HealthChanges changes(UUID account, LocalDate from, LocalDate to) {
        AccountHealth before = on(account, from)
                .orElseThrow(
                        () -> new NotFoundException("Account " + account + " has no health score on " + from + "."));
        AccountHealth after = on(account, to)
                .orElseThrow(() -> new NotFoundException("Account " + account + " has no health score on " + to + "."));
        return HealthChanges.between(before, after);
    }

    /**
     * Sets an override of the account's color (and optionally its score) with a reason, until the given day; it
     * replaces any override in force and lasts at most the configured number of days.
     */
    public HealthOverride override(
            UUID account, Color color, Double score, String reason, LocalDate expiresOn, User author) {
        accountManagement.get(new AccountId(account));
        LocalDate today = today();
        List<FieldError> errors = new ArrayList<>();
        if (color == null || color == Color.BLACK) {
            errors.add(FieldError.of("color", "choose green, yellow or red"));
        }
        if (score != null && !(score >= 0 && score <= 100)) {
            errors.add(FieldError.of("score", "must be from 0 to 100, got " + score));
        }
        if (score != null && color != null && color != Color.BLACK) {
            VersionedScorecard version = scoredWith(account);
            if (version != null && version.scorecard().thresholds().colorOf(score) != color) {
                errors.add(FieldError.of(
                        "score",
                        "score " + Points.format(score) + " is "
                                + version.scorecard()
                                        .thresholds()
                                        .colorOf(score)
                                        .name()
                                        .toLowerCase(Locale.ROOT)
                                + " under " + version.label() + ", not "
                                + color.name().toLowerCase(Locale.ROOT)));
            }
        }
        if (reason == null || reason.isBlank()) {
            errors.add(FieldError.of("reason", "say why the computed health is wrong"));
        }
        if (expiresOn == null) {
            errors.add(FieldError.of("expiresOn", "give the day the override stops applying"));
        } else if (!expiresOn.isAfter(today)) {
            errors.add(FieldError.of("expiresOn", "must be after today (" + today + ")"));
        } else if (expiresOn.isAfter(today.plusDays(properties.overrideMaxDays()))) {
            errors.add(FieldError.of(
                    "expiresOn",
                    "at most " + properties.overrideMaxDays() + " days ahead ("
                            + today.plusDays(properties.overrideMaxDays()) + "); overrides must be reviewed"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Instant now = clock.instant();
        HealthOverride override = new HealthOverride(
                Ids.newId(), account, color, score, reason.strip(), expiresOn, author.displayName(), now, null, null);
        transactions.executeWithoutResult(status -> {
            java.util.Optional<HealthOverride> replaced =
                    overrides.end(account, now, author.displayName() + " (replaced)");
            AuditedChanges.note("health override", account, replaced.orElse(null), override);
            overrides.add(override, author.id());
            events.publishEvent(new HealthOverridden(new AccountId(account), override, null));
        });
        rescore(List.of(account), today);
        return override;
    }

    /** Removes the account's override before its expiry. */
    public void removeOverride(UUID account, User by) {
        accountManagement.get(new AccountId(account));
        HealthOverride ended = transactions.execute(status -> {
            HealthOverride removed = overrides
                    .end(account, clock.instant(), by.displayName())
                    .orElseThrow(() -> new NotFoundException("Account " + account + " has no health override."));
            AuditedChanges.note("health override", account, removed, null);
            events.publishEvent(new HealthOverridden(new AccountId(account), removed, by.displayName()));
            return removed;
        });
        if (ended != null) {
            rescore(List.of(account), today());
        }
    }

    /** Closes the overrides that expired by the day, so that they leave the account's record, and says so. */
    public int expireOverrides(LocalDate day) {
        List<HealthOverride> expired = transactions.execute(status -> {
            List<HealthOverride> closed = overrides.expire(day, clock.instant());
            closed.forEach(o -> events.publishEvent(new HealthOverridden(new AccountId(o.account()), o, "expiry")));
            return closed;
        });
        return expired == null ? 0 : expired.size();
    }

    /** Every override the account has had, newest first. */
    public List<HealthOverride> overrides(UUID account) {
        accountManagement.get(new AccountId(account));
        return overrides.applicable(account);
    }

    private VersionedScorecard scoredWith(UUID account) {
        return scores.latest(account, today())
                .flatMap(score -> scorecards.publishedVersions().stream()
                        .filter(v -> v.name().equals(score.scorecard()))
                        .findFirst())
                .orElse(null);
    }

    private AccountHealth explained(AccountScore score) {
        VersionedScorecard version = scorecards.scorable(score.scorecard(), score.scorecardVersion());
        HealthOverride override = applying(overrides.applicable(score.account()), score.day());
        Map<Integer, Double> trend = new HashMap<>();
        for (int days : TREND_DAYS) {
            scores.on(score.account(), score.day().minusDays(days))
                    .ifPresent(then -> trend.put(days, CurrentHealth.change(score.score(), then.score())));
        }
        return health(score, version, override, trend);
    }

    /** The newest of an account's overrides (newest first) that applies on the day, if any. */
    private @org.jspecify.annotations.Nullable HealthOverride applying(
            List<HealthOverride> newestFirst, LocalDate day) {
        return newestFirst.stream()
                .filter(o -> o.appliesOn(day, clock.getZone()))
                .findFirst()
                .orElse(null);
    }

    private AccountHealth health(
            AccountScore score, VersionedScorecard version, HealthOverride override, Map<Integer, Double> trend) {
        HealthScore explanation = computation.explain(version, score.raw(), score.ranks());
        CurrentHealth shown = CurrentHealth.of(score, override, trend);
        return new AccountHealth(
                score.account(),
                score.day(),
                score.scorecard(),
                score.scorecardVersion(),
                shown.score(),
                shown.color(),
                shown.overridden(),
                score.score(),
                score.color(),
                score.ownScore(),
                explanation,
                override,
                trend);
    }

    /** Distributions computed for as-of scores of days without stored scores, by day and versions. */
    static final int DISTRIBUTIONS_KEPT = 32;

    /** How long a computed distribution is used: facts that arrive late for a past day reach it after this. */
    static final java.time.Duration DISTRIBUTIONS_KEPT_FOR = java.time.Duration.ofMinutes(10);

    /** A distribution computed for as-of scores, and when. */
    private record Computed(Map<String, Map<String, PercentileTable>> tables, Instant at) {}

    private final Map<String, Computed> computedDistributions =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<String, Computed>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Computed> eldest) {
                    return size() > DISTRIBUTIONS_KEPT;
                }
            });

    private final Object computingDistributions = new Object();

    /** How many distributions as-of scores have computed: each is a pass over every account. */
    private volatile int distributionsComputed;

    int distributionsComputed() {
        return distributionsComputed;
    }

    /** The segment distributions of a day under these versions: as stored that day, or computed once and kept. */
    private Map<String, Map<String, PercentileTable>> distributions(LocalDate day, List<VersionedScorecard> set) {
        Map<String, Map<String, PercentileTable>> stored = storedSegments(day, set);
        if (stored != null) {
            return stored;
        }
        String key = day
                + set.stream().map(VersionedScorecard::label).sorted().toList().toString();
        synchronized (computingDistributions) {
            Computed kept = computedDistributions.get(key);
            Instant now = clock.instant();
            if (kept == null || kept.at().plus(DISTRIBUTIONS_KEPT_FOR).isBefore(now)) {
                kept = new Computed(computation.distributions(day, set), now);
                computedDistributions.put(key, kept);
                distributionsComputed++;
            }
            return kept.tables();
        }
    }

    private Map<String, Map<String, PercentileTable>> storedSegments(LocalDate day, List<VersionedScorecard> set) {
        if (!needsSegments(set)) {
            return Map.of();
        }
        String key = day
                + set.stream().map(VersionedScorecard::label).sorted().toList().toString();
        Map<String, Map<String, PercentileTable>> cached = segmentCache.get(key);
        if (cached != null) {
            return cached;
        }
        Map<String, Map<String, PercentileTable>> read = readSegments(day, set);
        if (read != null) {
            segmentCache.clear();
            segmentCache.put(key, read);
        }
        return read;
    }

    /**
     * The segment distributions of a day as stored by its last full run; null when the day has none yet. Kept in
     * memory until the next full run, so that re-scoring a few accounts seconds after new facts reads them once.
     */
    private Map<String, Map<String, PercentileTable>> readSegments(LocalDate day, List<VersionedScorecard> set) {
        Map<String, Map<String, PercentileTable>> tables = new HashMap<>();
        for (VersionedScorecard version : set) {
            List<double[]> raws = scores.rawOn(day, version.name(), version.version());
            if (raws.isEmpty()) {
                return null;
            }
            List<Measure> measures = version.measures();
            for (int i = 0; i < measures.size(); i++) {
                if (!measures.get(i).score().needsSegment()) {
                    continue;
                }
                List<Double> values = new ArrayList<>();
                for (double[] raw : raws) {
                    if (i < raw.length && !Double.isNaN(raw[i])) {
                        values.add(raw[i]);
                    }
                }
                if (!values.isEmpty()) {
                    tables.computeIfAbsent(version.name(), k -> new HashMap<>())
                            .put(measures.get(i).name(), PercentileTable.of(values));
                }
            }
        }
        return tables;
    }

    private static boolean needsSegments(List<VersionedScorecard> set) {
        return set.stream()
                .flatMap(v -> v.measures().stream())
                .anyMatch(m -> m.score().needsSegment());
    }
}
