package dev.steward.backtest;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dev.steward.activity.ChurnLabels;
import dev.steward.core.Conditions;
import dev.steward.core.DocumentText;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScorecardManagement;
import dev.steward.health.SegmentMembershipLookup;
import dev.steward.health.VersionedScorecard;
import dev.steward.health.engine.ScorecardProblem;
import dev.steward.identity.User;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts backtests in the background and keeps them: checks what is asked, stores the run together with its job
 * (see {@link BacktestJobs}: it runs on one instance, records progress after every as-of day and stores the
 * results), and compares two runs; the backtest module's API.
 */
@Service
public class Backtests {

    /** Horizons tested when none are given, in days. */
    public static final List<Integer> DEFAULT_HORIZONS = List.of(30, 90, 180);

    static final int DEFAULT_MONTHS = 24;
    static final int MAX_AS_OF_DATES = 60;
    static final int MAX_HORIZON_DAYS = 730;
    static final int LISTED = 100;

    private final Backtester backtester;
    private final OutcomeHorizons horizons;
    private final ChurnAnalyst analyst;
    private final ChurnLabels churnLabels;
    private final BacktestRuns runs;
    private final ScorecardManagement scorecards;
    private final HealthScoring scoring;
    private final Clock clock;
    private final SchedulerClient jobs;
    private final CustomTask<BacktestJobs.Job> task;

    Backtests(
            Backtester backtester,
            OutcomeHorizons horizons,
            ChurnAnalyst analyst,
            ChurnLabels churnLabels,
            BacktestRuns runs,
            ScorecardManagement scorecards,
            HealthScoring scoring,
            Clock clock,
            SchedulerClient jobs,
            CustomTask<BacktestJobs.Job> task) {
        this.scoring = scoring;
        this.backtester = backtester;
        this.horizons = horizons;
        this.analyst = analyst;
        this.churnLabels = churnLabels;
        this.runs = runs;
        this.scorecards = scorecards;
        this.clock = clock;
        this.jobs = jobs;
        this.task = task;
    }

    /** Checks the request and stores the run as queued, together with the job that runs it. */
    @Transactional
    public BacktestRun start(BacktestRequest request, String createdBy) {
        Checked checked = check(request);
        BacktestRun run = new BacktestRun(
                Ids.newId(),
                checked.name(),
                checked.refs(),
                checked.plan().asOfDates(),
                checked.plan().horizons(),
                checked.plan().segment(),
                BacktestRun.Status.QUEUED,
                0,
                checked.plan().asOfDates().size(),
                null,
                createdBy,
                clock.instant(),
                null,
                null,
                null);
        runs.insert(run);
        jobs.scheduleIfNotExists(
                task.schedulableInstance(run.id().toString(), BacktestJobs.Job.of(run.id(), checked.plan())));
        return run;
    }

    /** Runs a backtest at once and returns its results without storing them: for benchmarks and scripts. */
    public BacktestResults evaluate(BacktestRequest request) {
        return backtester.run(check(request).plan(), done -> {});
    }

    /**
     * Churn from one day to another (default: the twelve months up to where the data on contracts and churn ends) by
     * reason and segment with the ARR lost, and every signal compared between accounts that churned within 90 days of a
     * month-start and those that did not, within each published scorecard's accounts; restricted to one published
     * scorecard's accounts or one segment when given.
     */
    public ChurnAnalysis churnAnalysis(LocalDate from, LocalDate to, String scorecard, String segment) {
        return analyst.analyse(from, to, blankToNull(scorecard), blankToNull(segment));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A run with its progress and, once done, its results. */
    public BacktestRun get(UUID id) {
        return runs.find(id).orElseThrow(() -> new NotFoundException("backtest", id));
    }

    /** The newest runs, without their results. */
    public List<BacktestRun> list() {
        return runs.list(LISTED);
    }

    /** Deletes a run that is not running. */
    public void delete(UUID id) {
        BacktestRun run = get(id);
        if (run.status() == BacktestRun.Status.RUNNING || run.status() == BacktestRun.Status.QUEUED) {
            throw dev.steward.core.ConflictException.of(
                    "backtest " + id + " is " + run.status().value() + "; delete it once it has finished");
        }
        runs.delete(id);
    }

    /**
     * Saves the run's suggestion for a scorecard as that scorecard's next draft version: the tested version's own
     * document with the suggested weights and thresholds written in place (its comments and layout kept), recording
     * that it came from this run.
     *
     * @throws InvalidInputException if the run has no suggestion for it, and why
     */
    public DocumentText<ScorecardProblem> draft(UUID id, String scorecard, User author) {
        BacktestRun run = get(id);
        if (run.results() == null) {
            throw new InvalidInputException(
                    "id", "backtest " + id + " is " + run.status().value() + ", not done");
        }
        Suggestion suggestion = run.results().suggestions().stream()
                .filter(s -> s.scorecard().equals(scorecard))
                .findFirst()
                .orElseThrow(() -> new NotFoundException(
                        "Backtest " + id + " has no suggested weights for scorecard " + scorecard + "."));
        if (suggestion.yaml() == null) {
            throw new InvalidInputException(
                    "scorecard", "no suggestion for " + scorecard + ": " + suggestion.problem());
        }
        String from = "“" + run.name() + "” (" + run.id() + ")";
        String yaml = SuggestedDocument.write(
                scorecards.version(scorecard, suggestion.version()).yaml(), suggestion, from);
        return scorecards.saveDraft(
                scorecard,
                yaml,
                author,
                new dev.steward.core.DocumentVersion.Origin(
                        "backtest", run.id(), run.name(), "/backtests/" + run.id()));
    }

    /** Two finished runs side by side: every headline figure per horizon they share, and the difference B − A. */
    public BacktestComparison compare(UUID a, UUID b) {
        BacktestRun first = get(a);
        BacktestRun second = get(b);
        List<FieldError> errors = new ArrayList<>();
        if (first.results() == null) {
            errors.add(
                    FieldError.of("a", "backtest " + a + " is " + first.status().value() + ", not done"));
        }
        if (second.results() == null) {
            errors.add(FieldError.of(
                    "b", "backtest " + b + " is " + second.status().value() + ", not done"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return BacktestComparison.of(first, second);
    }

    /** The labelled snapshots there are, for choosing one. */
    public List<ChurnLabels.Snapshot> snapshots() {
        return churnLabels.snapshots();
    }

    /** The segments (tiers) accounts have, for choosing one. */
    public List<String> segments() {
        Set<String> tiers = new TreeSet<>();
        backtester.labels().values().forEach(label -> tiers.add(Backtester.segmentOf(label)));
        return List.copyOf(tiers);
    }

    /** The published segments a run may be split by, rule and static, by name; rule segments are split by by default. */
    public List<SegmentMembershipLookup.PublishedSegment> splitSegments() {
        return backtester.publishedSegments();
    }

    /**
     * The segments to split by: those named (each a published segment), or every published rule segment when none
     * are named; a problem is added for each name no published segment has.
     */
    private List<String> splitBy(BacktestRequest request, List<FieldError> errors) {
        List<SegmentMembershipLookup.PublishedSegment> published = backtester.publishedSegments();
        if (request.splitBy() == null) {
            return published.stream()
                    .filter(SegmentMembershipLookup.PublishedSegment::rule)
                    .map(SegmentMembershipLookup.PublishedSegment::name)
                    .toList();
        }
        Set<String> names = published.stream()
                .map(SegmentMembershipLookup.PublishedSegment::name)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> chosen = new ArrayList<>();
        for (String name : request.splitBy()) {
            String wanted = name == null ? "" : name.strip();
            if (names.contains(wanted)) {
                if (!chosen.contains(wanted)) {
                    chosen.add(wanted);
                }
                continue;
            }
            String nearest = Conditions.nearest(wanted, names);
            errors.add(FieldError.of(
                    "splitBy",
                    "no published segment is named '" + wanted + "'"
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                            + (names.isEmpty() ? "; there are none" : "; published: " + names)));
        }
        return List.copyOf(chosen);
    }

    record Checked(String name, List<BacktestRequest.ScorecardRef> refs, Backtester.Plan plan) {}

    /** Every problem with the request at once, or the plan to run. */
    Checked check(BacktestRequest request) {
        LocalDate today = LocalDate.now(clock);
        List<FieldError> errors = new ArrayList<>();
        List<Integer> horizons = new ArrayList<>();
        if (request.horizons() == null || request.horizons().isEmpty()) {
            horizons.addAll(DEFAULT_HORIZONS);
        } else {
            for (Integer horizon : request.horizons()) {
                if (horizon == null || horizon < 1 || horizon > MAX_HORIZON_DAYS) {
                    errors.add(FieldError.of(
                            "horizons", "each horizon must be 1 to " + MAX_HORIZON_DAYS + " days, got " + horizon));
                } else if (!horizons.contains(horizon)) {
                    horizons.add(horizon);
                }
            }
            horizons.sort(null);
        }
        int shortest = horizons.isEmpty() ? DEFAULT_HORIZONS.get(0) : horizons.get(0);
        Map<String, VersionedScorecard> set = new LinkedHashMap<>();
        scorecards.publishedVersions().forEach(v -> set.put(v.name(), v));
        List<BacktestRequest.ScorecardRef> refs = request.scorecards() == null ? List.of() : request.scorecards();
        for (int i = 0; i < refs.size(); i++) {
            BacktestRequest.ScorecardRef ref = refs.get(i);
            String field = "scorecards[" + i + "]";
            if (ref == null || ref.name() == null || ref.name().isBlank()) {
                errors.add(FieldError.of(field + ".name", "name the scorecard to test"));
                continue;
            }
            try {
                set.put(ref.name(), scorecards.scorable(ref.name(), ref.version()));
            } catch (NotFoundException e) {
                errors.add(FieldError.of(field, e.getMessage()));
            } catch (InvalidInputException e) {
                errors.add(FieldError.of(
                        field,
                        ref.name() + " v" + ref.version() + " cannot score: "
                                + e.errors().stream().map(FieldError::reason).toList()));
            }
        }
        if (set.isEmpty()) {
            errors.add(FieldError.of("scorecards", "no scorecard is published; name a version to test"));
        }
        String segment = request.segment() == null || request.segment().isBlank()
                ? null
                : request.segment().strip();
        if (segment != null) {
            List<String> segments = segments();
            if (!segments.contains(segment)) {
                errors.add(FieldError.of("segment", "no account is in segment '" + segment + "'; known: " + segments));
            }
        }
        WeightSuggester.Objective objective = WeightSuggester.Objective.DEFAULT;
        if (request.objective() != null && !request.objective().isBlank()) {
            try {
                objective =
                        WeightSuggester.Objective.valueOf(request.objective().strip());
            } catch (IllegalArgumentException unknown) {
                errors.add(FieldError.of(
                        "objective",
                        "unknown objective '" + request.objective() + "'; use "
                                + java.util.Arrays.toString(WeightSuggester.Objective.values())));
            }
        }
        // Named scorecards are tested on their own accounts; without names, every published one on its own and
        // together.
        Set<String> populations = refs.isEmpty()
                ? null
                : refs.stream().map(BacktestRequest.ScorecardRef::name).collect(Collectors.toSet());
        OutcomeHorizons.Known known = this.horizons.read(today);
        String snapshot = request.snapshot() == null || request.snapshot().isBlank()
                ? null
                : request.snapshot().strip();
        if (snapshot != null) {
            List<String> splitBy = splitBy(request, errors);
            return snapshotPlan(request, snapshot, refs, set, segment, populations, objective, today, splitBy, errors);
        }
        if (errors.isEmpty() && (populations != null || segment != null)) {
            // Where the observed accounts' own data ends, not where any source's does.
            known = known.narrowedTo(backtester.sourcesOf(observed(List.copyOf(set.values()), populations, segment)));
        }
        List<String> splitBy = splitBy(request, errors);
        List<LocalDate> days = asOfDates(request, known, shortest, errors);
        for (LocalDate day : days) {
            if (!day.plusDays(shortest).isAfter(known.knownUntil())) {
                continue;
            }
            errors.add(FieldError.of(
                    "asOfDates",
                    day + " plus the shortest horizon (" + shortest + " days) is after "
                            + (known.knownUntil().isBefore(today)
                                    ? known.knownUntil() + ", where the data on contracts and churn ends"
                                    : "today (" + today + ")")
                            + ": what became of the accounts is not known"));
            break;
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String name = request.name() == null || request.name().isBlank()
                ? (refs.isEmpty()
                                ? "Published scorecards"
                                : String.join(
                                        ", ",
                                        refs.stream()
                                                .map(r -> r.name() + " v" + r.version())
                                                .toList()))
                        + (segment == null ? "" : " · " + segment)
                : request.name().strip();
        return new Checked(
                name,
                List.copyOf(refs),
                new Backtester.Plan(
                        List.copyOf(set.values()),
                        days,
                        List.copyOf(horizons),
                        segment,
                        populations,
                        objective,
                        today,
                        known,
                        null,
                        splitBy));
    }

    /**
     * The plan of a backtest of a labelled snapshot: its one day and horizon, its labels as the outcomes. The snapshot
     * says both, so as-of days and horizons may not be given too.
     */
    private Checked snapshotPlan(
            BacktestRequest request,
            String snapshot,
            List<BacktestRequest.ScorecardRef> refs,
            Map<String, VersionedScorecard> set,
            String segment,
            Set<String> populations,
            WeightSuggester.Objective objective,
            LocalDate today,
            List<String> splitBy,
            List<FieldError> errors) {
        ChurnLabels.Snapshot labelled = null;
        try {
            labelled = churnLabels.snapshot(snapshot);
        } catch (NotFoundException e) {
            errors.add(FieldError.of(
                    "snapshot",
                    "no labelled snapshot is named '" + snapshot + "'; there are "
                            + churnLabels.snapshots().stream()
                                    .map(ChurnLabels.Snapshot::name)
                                    .toList()));
        }
        if ((request.asOfDates() != null && !request.asOfDates().isEmpty())
                || request.from() != null
                || request.to() != null) {
            errors.add(FieldError.of("asOfDates", "a snapshot is of its own day; give no as-of days with it"));
        }
        if (labelled != null
                && request.horizons() != null
                && !request.horizons().isEmpty()
                && !request.horizons().equals(List.of(labelled.horizonDays()))) {
            errors.add(FieldError.of(
                    "horizons",
                    "snapshot '" + snapshot + "' labels churn within " + labelled.horizonDays()
                            + " days; give no other horizon"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        LocalDate until = labelled.asOf().plusDays(labelled.horizonDays());
        String name = request.name() == null || request.name().isBlank()
                ? "Snapshot " + snapshot
                        + (refs.isEmpty()
                                ? ""
                                : " · "
                                        + String.join(
                                                ", ",
                                                refs.stream()
                                                        .map(r -> r.name() + " v" + r.version())
                                                        .toList()))
                : request.name().strip();
        return new Checked(
                name,
                List.copyOf(refs),
                new Backtester.Plan(
                        List.copyOf(set.values()),
                        List.of(labelled.asOf()),
                        List.of(labelled.horizonDays()),
                        segment,
                        populations,
                        objective,
                        today,
                        new OutcomeHorizons.Known(Map.of(), until, labelled.asOf(), List.of()),
                        snapshot,
                        splitBy));
    }

    /** The accounts a backtest of these scorecards (all when {@code null}) in this segment (all when null) observes. */
    private List<UUID> observed(List<VersionedScorecard> set, Set<String> populations, String segment) {
        Map<UUID, String> assigned = populations == null ? null : scoring.assignments(set);
        List<UUID> observed = new ArrayList<>();
        backtester.labels().forEach((id, label) -> {
            if ((segment == null || segment.equals(Backtester.segmentOf(label)))
                    && (assigned == null || populations.contains(assigned.get(id)))) {
                observed.add(id);
            }
        });
        return observed;
    }

    private static List<LocalDate> asOfDates(
            BacktestRequest request, OutcomeHorizons.Known known, int shortest, List<FieldError> errors) {
        TreeSet<LocalDate> days = new TreeSet<>();
        if (request.asOfDates() != null && !request.asOfDates().isEmpty()) {
            if (request.from() != null || request.to() != null) {
                errors.add(FieldError.of("asOfDates", "give either asOfDates or from and to, not both"));
            }
            request.asOfDates().stream().filter(d -> d != null).forEach(days::add);
        } else if (request.from() != null || request.to() != null) {
            if (request.from() == null || request.to() == null) {
                errors.add(FieldError.of(
                        request.from() == null ? "from" : "to", "give both from and to (monthly as-of days)"));
                return List.of();
            }
            if (request.from().isAfter(request.to())) {
                errors.add(FieldError.of("to", "is " + request.to() + ", before from " + request.from()));
                return List.of();
            }
            for (LocalDate day = request.from();
                    !day.isAfter(request.to()) && days.size() <= MAX_AS_OF_DATES;
                    day = day.plusMonths(1)) {
                days.add(day);
            }
        } else {
            // The month-starts of the last two years of the data whose shortest horizon the data still covers: inside
            // an
            // export that ended long ago, not the 24 months before today.
            LocalDate last = known.knownUntil().minusDays(shortest).withDayOfMonth(1);
            for (int month = DEFAULT_MONTHS - 1; month >= 0; month--) {
                LocalDate day = last.minusMonths(month);
                if (known.firstDay() == null || !day.isBefore(known.firstDay())) {
                    days.add(day);
                }
            }
            if (days.isEmpty()) {
                errors.add(FieldError.of(
                        "asOfDates",
                        "the data on contracts and churn runs from " + known.firstDay() + " to " + known.knownUntil()
                                + ": no month-start in it leaves " + shortest
                                + " days to see what became of accounts"));
                return List.of();
            }
        }
        if (days.isEmpty()) {
            errors.add(FieldError.of("asOfDates", "give at least one as-of day"));
        } else if (days.size() > MAX_AS_OF_DATES) {
            errors.add(FieldError.of(
                    "asOfDates", "at most " + MAX_AS_OF_DATES + " as-of days per backtest, got " + days.size()));
        }
        return List.copyOf(days);
    }
}
