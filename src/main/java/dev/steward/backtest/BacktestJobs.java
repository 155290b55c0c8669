package dev.steward.backtest;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.steward.health.ScorecardManagement;
import dev.steward.health.VersionedScorecard;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs each backtest as a job (db-scheduler, see {@code core.Jobs}): stored with its run, taken by exactly one of the
 * instances sharing the database, one backtest at a time per instance. An instance that stops hands its backtest back
 * to be run again from the start; one that dies is noticed by its missed heartbeats, and another instance runs the
 * backtest again. A backtest that fails is marked failed with the reason, not retried.
 */
@Configuration(proxyBeanMethods = false)
class BacktestJobs {

    static final String TASK = "backtest";

    /** How soon a backtest that found its instance busy with another is offered again, to any instance. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(BacktestJobs.class);

    private final Backtester backtester;
    private final BacktestRuns runs;
    private final ScorecardManagement scorecards;
    private final Clock clock;
    private final Semaphore oneAtATime = new Semaphore(1);

    BacktestJobs(Backtester backtester, BacktestRuns runs, ScorecardManagement scorecards, Clock clock) {
        this.backtester = backtester;
        this.runs = runs;
        this.scorecards = scorecards;
        this.clock = clock;
    }

    /** What a backtest job needs to run the plan again on any instance: the run and the plan, versions resolved. */
    record Job(
            UUID run,
            List<ScorecardKey> scorecards,
            List<LocalDate> asOfDates,
            List<Integer> horizons,
            String segment,
            java.util.Set<String> populations,
            WeightSuggester.Objective objective,
            LocalDate today,
            OutcomeHorizons.Known known,
            String snapshot,
            List<String> splitBy) {

        static Job of(UUID run, Backtester.Plan plan) {
            return new Job(
                    run,
                    plan.set().stream()
                            .map(v -> new ScorecardKey(v.name(), v.version()))
                            .toList(),
                    plan.asOfDates(),
                    plan.horizons(),
                    plan.segment(),
                    plan.populations(),
                    plan.objective(),
                    plan.today(),
                    plan.known(),
                    plan.snapshot(),
                    plan.splitBy());
        }
    }

    /** A scorecard version by name and number. */
    record ScorecardKey(String name, int version) {}

    @Bean
    CustomTask<Job> backtestTask() {
        return Tasks.custom(TASK, Job.class).execute((instance, context) -> execute(instance.getData(), context));
    }

    CompletionHandler<Job> execute(Job job, ExecutionContext context) {
        if (!oneAtATime.tryAcquire()) {
            return runAgainAfter(BUSY_RETRY);
        }
        try {
            if (runs.find(job.run()).isEmpty()) {
                log.info("Backtest {} was deleted before it ran", job.run());
                return new CompletionHandler.OnCompleteRemove<>();
            }
            runs.started(job.run(), clock.instant());
            BacktestResults results = backtester.run(plan(job), done -> {
                if (context.getSchedulerState().isShuttingDown()) {
                    throw new Stopping();
                }
                runs.progressed(job.run(), done);
            });
            runs.finished(job.run(), results, clock.instant());
            return new CompletionHandler.OnCompleteRemove<>();
        } catch (RuntimeException | Error e) {
            if (context.getSchedulerState().isShuttingDown()) {
                // Stopped between two as-of days, or cut off by the stop: not the backtest's fault.
                log.info("Steward is stopping: backtest {} will run again, here or on another instance", job.run());
                runs.requeued(job.run());
                return runAgainAfter(Duration.ZERO);
            }
            log.warn("Backtest {} failed", job.run(), e);
            runs.failed(
                    job.run(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), clock.instant());
            return new CompletionHandler.OnCompleteRemove<>();
        } finally {
            oneAtATime.release();
        }
    }

    private Backtester.Plan plan(Job job) {
        List<VersionedScorecard> set = job.scorecards().stream()
                .map(key -> scorecards.scorable(key.name(), key.version()))
                .toList();
        return new Backtester.Plan(
                set,
                job.asOfDates(),
                job.horizons(),
                job.segment(),
                job.populations(),
                job.objective(),
                job.today(),
                job.known(),
                job.snapshot(),
                // A job queued before runs were split by segment is not split.
                job.splitBy() == null ? List.of() : job.splitBy());
    }

    // In the scheduler's own time: when to run a job, whatever the clock that the domain reads says.
    private static CompletionHandler<Job> runAgainAfter(Duration delay) {
        return (ExecutionComplete complete, ExecutionOperations<Job> operations) ->
                operations.reschedule(complete, complete.getTimeDone().plus(delay));
    }

    /** Thrown from the progress callback to stop a backtest between two as-of days when the instance stops. */
    private static final class Stopping extends RuntimeException {
        Stopping() {
            super("stopping", null, false, false);
        }
    }
}
