package dev.steward.notify;

/** How a person wants email about their notifications; the in-app list gets every one whatever they choose. */
public enum EmailMode {
    /** One email per notification, within seconds. */
    immediate,
    /** One email a day (at {@code steward.notify.digest-time}, UTC) with everything since the last. */
    daily,
    /** No email. */
    off
}
