package dev.steward.identity;

import dev.steward.core.JobChanged;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Puts the changes of Steward's own jobs on the audit trail, as entries of actor {@code steward}, kind {@code job}. */
@Component
class AuditedJobs {

    private final AuditTrail trail;

    AuditedJobs(AuditTrail trail) {
        this.trail = trail;
    }

    @ApplicationModuleListener
    void on(JobChanged change) {
        trail.record(AuditTrail.STEWARD, "job", null, change.job(), change.target(), change.status(), change.summary());
    }
}
