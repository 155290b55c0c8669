package dev.steward.survey;

import dev.steward.notify.EmailBounced;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Stops survey mail to an address whose mail server refused it: a bounce counts as an unsubscribe (kept apart by its
 * reason), so the next survey skips the address instead of bouncing again.
 */
@Component
class SurveyBounces {

    private final Surveys surveys;

    SurveyBounces(Surveys surveys) {
        this.surveys = surveys;
    }

    @ApplicationModuleListener
    void on(EmailBounced bounced) {
        surveys.bounced(bounced.address(), bounced.reason(), bounced.at());
    }
}
