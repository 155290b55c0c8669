package dev.steward.outreach;

import dev.steward.customer.AccountDeleted;
import dev.steward.customer.AccountId;
import dev.steward.health.HealthScored;
import dev.steward.lifecycle.SegmentEntered;
import dev.steward.lifecycle.StageChanged;
import dev.steward.notify.EmailBounced;
import dev.steward.usage.UsageRecorded;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Enrols contacts when their account enters a segment or a lifecycle stage that a journey in force starts from, or
 * crosses a measure or event trigger's line on a new score or new usage (see {@link JourneyCrossings}); stops
 * the journeys of an address whose mail server refused it; removes a deleted account's rows. After the commit of
 * what happened; the event publication registry retries a listener that failed.
 */
@Component
class JourneyTriggers {

    private final EmailJourneys journeys;
    private final JourneyEngine engine;
    private final JourneyManagement management;

    JourneyTriggers(EmailJourneys journeys, JourneyEngine engine, JourneyManagement management) {
        this.journeys = journeys;
        this.engine = engine;
        this.management = management;
    }

    @ApplicationModuleListener
    void on(SegmentEntered entered) {
        List<UUID> accounts = entered.accounts().stream().map(AccountId::value).toList();
        for (EmailJourneys.Active journey : journeys.active()) {
            JourneyDocument.Trigger trigger = journey.document().trigger();
            if (trigger.type() == JourneyDocument.TriggerType.SEGMENT_ENTERED
                    && entered.segment().equals(trigger.segment())) {
                engine.enter(journey, accounts, "entered segment " + entered.segment());
            }
        }
    }

    @ApplicationModuleListener
    void on(StageChanged changed) {
        List<EmailJourneys.Active> active = journeys.active().stream()
                .filter(j -> j.document().trigger().type() == JourneyDocument.TriggerType.STAGE_ENTERED)
                .toList();
        for (EmailJourneys.Active journey : active) {
            String stage = journey.document().trigger().stage();
            List<UUID> accounts = changed.changes().stream()
                    .filter(c -> Objects.equals(c.to(), stage) && !Objects.equals(c.from(), stage))
                    .map(c -> c.account().value())
                    .toList();
            if (!accounts.isEmpty()) {
                engine.enter(journey, accounts, "entered stage " + stage);
            }
        }
    }

    /** Measure triggers follow new scores within seconds; a re-score of every account is left to the daily run. */
    @ApplicationModuleListener
    void on(HealthScored scored) {
        if (!scored.everyAccount() && !scored.accounts().isEmpty()) {
            engine.enterCrossings(scored.accounts());
        }
    }

    /** Usage-metric and event triggers follow new usage within seconds. */
    @ApplicationModuleListener
    void on(UsageRecorded recorded) {
        if (!recorded.accounts().isEmpty()) {
            engine.enterCrossings(recorded.accounts());
        }
    }

    @ApplicationModuleListener
    void on(EmailBounced bounced) {
        management.bounced(bounced.delivery(), bounced.address(), bounced.reason());
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        journeys.removeAccount(deleted.account().value());
    }
}
