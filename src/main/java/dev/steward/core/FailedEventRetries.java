package dev.steward.core;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;

/**
 * Hands after-commit work that failed (a Spring Modulith listener that threw: the database was away, a lock timed
 * out) to its listener again, every minute, on one instance (a db-scheduler job, see {@link Jobs}), instead of only at
 * the next restart. A publication that has failed {@value #ATTEMPTS} times stays failed in {@code event_publication}
 * for someone to look at, rather than being retried forever.
 */
@Configuration(proxyBeanMethods = false)
class FailedEventRetries {

    static final String TASK = "events-retry-failed";

    /** Attempts after which a failed publication is left for someone to look at. */
    static final int ATTEMPTS = 20;

    private static final Logger log = LoggerFactory.getLogger(FailedEventRetries.class);

    private final FailedEventPublications failed;

    FailedEventRetries(FailedEventPublications failed) {
        this.failed = failed;
    }

    @Bean
    RecurringTask<Void> retryFailedEvents() {
        return Tasks.recurring(TASK, Schedules.fixedDelay(Duration.ofMinutes(1)))
                .execute((instance, context) -> retry(Duration.ofSeconds(30)));
    }

    /** Hands the publications that failed at least {@code minAge} ago, fewer than {@value #ATTEMPTS} times, back. */
    void retry(Duration minAge) {
        failed.resubmit(ResubmissionOptions.defaults().withMinAge(minAge).withFilter(publication -> {
            boolean again = publication.getCompletionAttempts() < ATTEMPTS;
            if (again) {
                log.info(
                        "Retrying {} (published {}, attempt {})",
                        publication.getEvent().getClass().getSimpleName(),
                        publication.getPublicationDate(),
                        publication.getCompletionAttempts() + 1);
            }
            return again;
        }));
    }
}
