package dev.steward.insight;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The alert jobs (db-scheduler, see {@code core.Jobs}), each run once across instances: the account rules for the
 * accounts that changed, every {@value #REQUESTS_SECONDS} seconds ({@value #REQUESTED}); for every account after every
 * account was scored ({@value #ALL}); a new or changed rule's first evaluation ({@value #STOCK}); and every figure rule
 * every minute ({@value #FIGURES}), which reads the executive figures from their cache while the data stands still.
 */
@Configuration(proxyBeanMethods = false)
class AlertJobs {

    // The evaluation is looked up when a job runs: it reads the executive figures, whose backtests schedule jobs of
    // their own, which would otherwise make the scheduler depend on itself.

    static final String REQUESTED = "insight-alerts-requested";
    static final String ALL = "insight-alerts-all";
    static final String STOCK = "insight-alerts-take-stock";
    static final String FIGURES = "insight-alerts-figures";

    static final int REQUESTS_SECONDS = 2;

    /** What asked for every account to be evaluated, kept with the job for the log. */
    record Reason(String text) {}

    /** The rule whose first evaluation is due. */
    record Rule(UUID id) {}

    /** A failed run leaves its requests where they were, for the next run. */
    @Bean
    RecurringTask<Void> alertsRequestedTask(ObjectProvider<AlertEvaluation> evaluation) {
        return Tasks.recurring(REQUESTED, Schedules.fixedDelay(Duration.ofSeconds(REQUESTS_SECONDS)))
                .execute((instance, context) -> evaluation
                        .getObject()
                        .evaluateRequested(() -> context.getSchedulerState().isShuttingDown()));
    }

    @Bean
    OneTimeTask<Reason> alertsAllTask(ObjectProvider<AlertEvaluation> evaluation) {
        return Tasks.oneTime(ALL, Reason.class)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(10)))
                .execute((instance, context) -> evaluation.getObject().evaluateAll());
    }

    @Bean
    OneTimeTask<Rule> alertsTakeStockTask(ObjectProvider<AlertEvaluation> evaluation) {
        return Tasks.oneTime(STOCK, Rule.class)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(10)))
                .execute((instance, context) ->
                        evaluation.getObject().takeStock(instance.getData().id()));
    }

    @Bean
    RecurringTask<Void> alertsFiguresTask(ObjectProvider<AlertEvaluation> evaluation) {
        return Tasks.recurring(FIGURES, Schedules.fixedDelay(Duration.ofMinutes(1)))
                .execute((instance, context) -> evaluation.getObject().evaluateFigures());
    }
}
