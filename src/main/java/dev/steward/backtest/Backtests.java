package dev.steward.backtest;

import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.health.ScorecardManagement;
import dev.steward.health.ScorecardText;
import dev.steward.health.VersionedScorecard;
import dev.steward.identity.User;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Starts backtests in the background and keeps them: checks what is asked, runs one backtest at a time, records
 * progress after every as-of day, stores the results, and compares two runs; the backtest module's API.
 */
@Service
public class Backtests {

    /** Horizons tested when none are given, in days. */
    public static final List<Integer> DEFAULT_HORIZONS = List.of(30, 90, 180);

    static final int DEFAULT_MONTHS = 24;
    static final int MAX_AS_OF_DATES = 60;
    static final int MAX_HORIZON_DAYS = 730;
    static final int LISTED = 100;

    private static final Logger log = LoggerFactory.getLogger(Backtests.class);

    private final Backtester backtester;
    private final ChurnAnalyst analyst;
    private final BacktestRuns runs;
    private final ScorecardManagement scorecards;
    private final Clock clock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "backtest");
        thread.setDaemon(true);
        return thread;
    });

    Backtests(
            Backtester backtester,
            ChurnAnalyst analyst,
            BacktestRuns runs,
            ScorecardManagement scorecards,
            Clock clock) {
        this.backtester = backtester;
        this.analyst = analyst;
        this.runs = runs;
        this.scorecards = scorecards;
        this.clock = clock;
    }

    /** Runs that were waiting or running when this instance last stopped will not finish: say so. */
    @EventListener(ApplicationReadyEvent.class)
    void abandonInterrupted() {
        int abandoned = runs.abandon("Steward stopped before the backtest finished; start it again", clock.instant());
        if (abandoned > 0) {
            log.info("Marked {} interrupted backtest(s) as failed", abandoned);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** Checks the request, stores the run as queued and starts it in the background. */
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
        executor.submit(() -> execute(run.id(), checked.plan()));
        return run;
    }

    /** Runs a backtest at once and returns its results without storing them: for benchmarks and scripts. */
    public BacktestResults evaluate(BacktestRequest request) {
        return backtester.run(check(request).plan(), done -> {});
    }

    private void execute(UUID id, Backtester.Plan plan) {
        try {
            runs.started(id, clock.instant());
            BacktestResults results = backtester.run(plan, done -> runs.progressed(id, done));
            runs.finished(id, results, clock.instant());
        } catch (RuntimeException | Error e) {
            log.warn("Backtest {} failed", id, e);
            runs.failed(id, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), clock.instant());
        }
    }

    /**
     * Churn from one day to another (default: the twelve months up to today) by reason and segment with the ARR lost,
     * and every signal compared between accounts that churned within 90 days of a month-start and those that did not.
     */
    public ChurnAnalysis churnAnalysis(LocalDate from, LocalDate to) {
        return analyst.analyse(from, to);
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
     * Saves the run's suggestion for a scorecard as that scorecard's next draft version.
     *
     * @throws InvalidInputException if the run has no suggestion for it, and why
     */
    public ScorecardText draft(UUID id, String scorecard, User author) {
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
        return scorecards.saveDraft(scorecard, suggestion.yaml(), author);
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

    /** The segments (tiers) accounts have, for choosing one. */
    public List<String> segments() {
        Set<String> tiers = new TreeSet<>();
        backtester.labels().values().forEach(label -> tiers.add(Backtester.segmentOf(label)));
        return List.copyOf(tiers);
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
        List<LocalDate> days = asOfDates(request, today, shortest, errors);
        for (LocalDate day : days) {
            if (!day.plusDays(shortest).isAfter(today)) {
                continue;
            }
            errors.add(FieldError.of(
                    "asOfDates",
                    day + " plus the shortest horizon (" + shortest + " days) is after today (" + today
                            + "): what became of the accounts is not known yet"));
            break;
        }
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
            List<String> known = segments();
            if (!known.contains(segment)) {
                errors.add(FieldError.of("segment", "no account is in segment '" + segment + "'; known: " + known));
            }
        }
        WeightSuggester.Objective objective = WeightSuggester.Objective.accuracy;
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
                new Backtester.Plan(List.copyOf(set.values()), days, List.copyOf(horizons), segment, objective, today));
    }

    private static List<LocalDate> asOfDates(
            BacktestRequest request, LocalDate today, int shortest, List<FieldError> errors) {
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
            LocalDate last = today.minusDays(shortest).withDayOfMonth(1);
            for (int month = DEFAULT_MONTHS - 1; month >= 0; month--) {
                days.add(last.minusMonths(month));
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
