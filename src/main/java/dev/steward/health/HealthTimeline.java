package dev.steward.health;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.HealthEvent;
import dev.steward.activity.HealthEventInput;
import dev.steward.health.engine.Points;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Puts what happens to an account's health on its timeline: each change of computed color and each override set or
 * ended. Entries are keyed so that a retried or repeated event writes the same entry again rather than a second one.
 */
@Component
class HealthTimeline {

    /** The activity kind the entries are recorded as. */
    static final String KIND = "health_event";

    static final String SOURCE = "steward";
    private static final int BATCH = 10_000;

    private final ActivityRecorder activity;
    private final Clock clock;

    HealthTimeline(ActivityRecorder activity, Clock clock) {
        this.activity = activity;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(HealthColorsChanged changed) {
        LocalDate day = changed.day();
        java.time.Instant at = day.equals(LocalDate.now(clock))
                ? clock.instant()
                : day.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<HealthEventInput> entries = new ArrayList<>();
        for (HealthColorsChanged.Change change : changed.changes()) {
            entries.add(new HealthEventInput(
                    "color:" + change.account().value() + ":" + day,
                    change.account().value(),
                    null,
                    at,
                    HealthEvent.Change.color_changed,
                    change.from().value(),
                    change.to().value(),
                    change.score(),
                    "score " + Points.format(change.score()) + " under " + change.scorecard(),
                    null));
        }
        for (int start = 0; start < entries.size(); start += BATCH) {
            activity.upsertHealthEvents(SOURCE, entries.subList(start, Math.min(entries.size(), start + BATCH)), true);
        }
    }

    @ApplicationModuleListener
    void on(HealthOverridden overridden) {
        HealthOverride override = overridden.override();
        boolean set = overridden.endedBy() == null;
        activity.upsertHealthEvents(
                SOURCE,
                List.of(new HealthEventInput(
                        "override:" + override.id() + (set ? ":set" : ":ended"),
                        override.account(),
                        null,
                        set
                                ? override.createdAt()
                                : (override.endedAt() == null ? clock.instant() : override.endedAt()),
                        set ? HealthEvent.Change.override_set : HealthEvent.Change.override_ended,
                        set ? null : override.color().value(),
                        set ? override.color().value() : null,
                        override.score(),
                        set
                                ? override.reason() + " (until " + override.expiresOn() + ")"
                                : "expiry".equals(overridden.endedBy())
                                        ? "expired on " + override.expiresOn()
                                        : "removed",
                        set ? override.author() : overridden.endedBy())),
                true);
    }
}
