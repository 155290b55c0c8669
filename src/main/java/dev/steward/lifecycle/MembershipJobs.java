package dev.steward.lifecycle;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The jobs (db-scheduler, see {@code core.Jobs}) that keep membership current, each once across instances: every
 * account after a segment is published and after every account was scored (the daily re-score, so that conditions on
 * days to renewal move with the calendar); and, every second, the accounts asked for by {@link EvaluationRequests}.
 */
@Configuration(proxyBeanMethods = false)
class MembershipJobs {

    static final String EVALUATE_ALL = "segments-evaluate-all";
    static final String EVALUATE_REQUESTED = "segments-evaluate-requested";

    /** How long after a change its accounts' membership is decided at most, when nothing else runs. */
    static final Duration REQUESTS_EVERY = Duration.ofSeconds(1);

    /** What asked for the evaluation, kept with the job instance for the log. */
    record Reason(String text) {}

    /** A failed run (the database was away) is tried again after 10 s, then 20 s, 40 s … */
    @Bean
    OneTimeTask<Reason> evaluateAll(SegmentEvaluation evaluation) {
        return Tasks.oneTime(EVALUATE_ALL, Reason.class)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(10)))
                .execute((instance, context) -> evaluation.evaluateAll());
    }

    /** A failed run leaves its requests where they were, for the next run. */
    @Bean
    RecurringTask<Void> evaluateRequested(SegmentEvaluation evaluation) {
        return Tasks.recurring(EVALUATE_REQUESTED, Schedules.fixedDelay(REQUESTS_EVERY))
                .execute((instance, context) -> evaluation.evaluateRequested());
    }
}
