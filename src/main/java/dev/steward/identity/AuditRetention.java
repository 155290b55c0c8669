package dev.steward.identity;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps the audit trail for {@code steward.audit.retention} (e.g. {@code 730d}; {@code 0}, the default, keeps it for
 * ever): once an hour, on one instance, the entries older than that are removed behind an anchor entry that keeps the
 * rest verifiable ({@link AuditTrail#retain}).
 */
@Configuration(proxyBeanMethods = false)
class AuditRetention {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    @Bean
    static RecurringTask<Void> auditRetentionTask(
            AuditTrail trail, Clock clock, @Value("${steward.audit.retention:0d}") Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException(
                    "steward.audit.retention is " + retention + "; give how long entries are kept, or 0 to keep them");
        }
        return Tasks.recurring("identity-audit-retention", Schedules.fixedDelay(Duration.ofHours(1)))
                .execute((instance, context) -> {
                    if (retention.isZero()) {
                        return;
                    }
                    AuditTrail.Entry anchor = trail.retain(clock.instant().minus(retention));
                    if (anchor != null) {
                        log.info("Audit trail: entries older than {} removed; {}", retention, anchor.detail());
                    }
                });
    }
}
