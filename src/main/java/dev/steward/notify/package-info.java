/**
 * Notifications: each person's in-app list, email over SMTP (at once or in a daily digest) and signed outbound
 * webhooks, written in the caller's transaction and delivered from an outbox after commit, retried, once across
 * instances.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"core", "identity"})
package dev.steward.notify;
