package dev.steward.playbook;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A CTA with its tasks in order and everything that happened to it, oldest first. */
public record CtaDetail(Cta cta, List<Task> tasks, List<Event> history) {

    /** One step: its title, the role and person it is for, when it is due, and when and by whom it was done. */
    public record Task(
            UUID id,
            int position,
            String title,
            String assigneeRole,
            UUID assigneeId,
            String assigneeName,
            Instant dueAt,
            boolean overdue,
            Instant doneAt,
            String doneBy) {}

    /** Something that happened: created, commented, snoozed, woke, reassigned, task done, escalated, closed … */
    public record Event(Instant at, String actor, String kind, Map<String, Object> detail) {}
}
