/**
 * Email journeys: versioned YAML documents that send the contacts of an audience a paced sequence of emails, waits,
 * branches and surveys from an entry trigger, through the notification outbox, with a per-contact frequency cap, a
 * holdout share, one-click unsubscribe, and replies that stop a contact's journeys and give the account's CSM a task;
 * dry runs on current data and results against the holdout.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {
            "activity",
            "core",
            "customer",
            "health",
            "health :: engine",
            "identity",
            "lifecycle",
            "notify",
            "playbook",
            "survey",
            "usage"
        })
@org.jspecify.annotations.NullMarked
package dev.steward.outreach;
