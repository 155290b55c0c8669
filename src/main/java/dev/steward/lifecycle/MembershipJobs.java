package dev.steward.lifecycle;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The job (db-scheduler, see {@code core.Jobs}) that evaluates every account's membership, once across instances:
 * after a segment is published and after every account was scored (the daily re-score, so that conditions on days to
 * renewal move with the calendar).
 */
@Configuration(proxyBeanMethods = false)
class MembershipJobs {

    static final String EVALUATE_ALL = "segments-evaluate-all";

    /** What asked for the evaluation, kept with the job instance for the log. */
    record Reason(String text) {}

    @Bean
    OneTimeTask<Reason> evaluateAll(SegmentEvaluation evaluation) {
        return Tasks.oneTime(EVALUATE_ALL, Reason.class).execute((instance, context) -> evaluation.evaluateAll());
    }
}
