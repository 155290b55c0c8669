package dev.steward.playbook;

import java.util.UUID;

/**
 * Which CTAs a list shows: whose ({@code mine}, {@code team} — the people the user manages and the user, {@code all},
 * {@code unassigned}, or one owner), which status ({@code active}: open and snoozed; {@code open}, {@code snoozed},
 * {@code closed}, {@code any}), type, priority, only overdue ones, one account or playbook; sorted by {@code due}
 * (soonest first), {@code priority} (most urgent first) or {@code created} (newest first); a page of {@code limit}
 * after the cursor.
 */
public record CtaQuery(
        String scope,
        UUID owner,
        String status,
        String type,
        String priority,
        Boolean overdue,
        UUID account,
        String playbook,
        String sort,
        Integer limit,
        String cursor) {

    public static CtaQuery mine() {
        return new CtaQuery("mine", null, "active", null, null, null, null, null, "due", 50, null);
    }

    public CtaQuery forAccount(UUID id) {
        return new CtaQuery("all", null, status, null, null, null, id, null, sort, limit, null);
    }
}
