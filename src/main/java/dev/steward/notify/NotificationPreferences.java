package dev.steward.notify;

/**
 * A person's notification settings.
 *
 * @param email whether and how often notifications also go out by email
 */
record NotificationPreferences(EmailMode email) {}
