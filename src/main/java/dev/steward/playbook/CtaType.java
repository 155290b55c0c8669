package dev.steward.playbook;

import java.util.Locale;

/** What kind of work a CTA is. Its severity sets the priority a playbook gives automatically. */
public enum CtaType {
    RISK(Priority.HIGH),
    RENEWAL(Priority.MEDIUM),
    EXPANSION(Priority.LOW),
    ONBOARDING(Priority.MEDIUM),
    LIFECYCLE(Priority.LOW),
    ACTIVITY(Priority.LOW);

    private final Priority severity;

    CtaType(Priority severity) {
        this.severity = severity;
    }

    Priority severity() {
        return severity;
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CtaType of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
