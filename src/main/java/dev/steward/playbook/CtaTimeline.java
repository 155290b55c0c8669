package dev.steward.playbook;

import dev.steward.activity.TimelineEntry;
import dev.steward.activity.TimelineSource;
import dev.steward.customer.AccountId;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Puts what happened to an account's CTAs on its timeline (kind {@code cta}): made (by which playbook, for whom),
 * worked (tasks, comments), snoozed, reassigned, escalated, closed with an outcome, reopened.
 */
@Component
class CtaTimeline implements TimelineSource {

    static final String KIND = "cta";

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    CtaTimeline(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(KIND);
    }

    @Override
    public List<TimelineEntry> entries(AccountId account, Set<String> kinds, Position after, int limit) {
        if (!kinds.contains(KIND)) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(List.of(account.value()));
        String position = "";
        if (after != null) {
            position = " and (e.at, e.id) < (?, ?)";
            params.add(Timestamp.from(after.at()));
            params.add(after.id());
        }
        params.add(limit);
        return jdbc.sql("""
                        select e.id, e.at, e.actor, e.kind, e.detail, c.title, c.priority
                          from cta_event e join cta c on c.id = e.cta_id
                         where c.account_id = ?""" + position + " order by e.at desc, e.id desc limit ?")
                .params(params)
                .query((rs, n) -> entry(
                        rs.getObject("id", UUID.class),
                        rs.getTimestamp("at"),
                        rs.getString("actor"),
                        rs.getString("kind"),
                        json.readValue(rs.getString("detail"), MAP),
                        rs.getString("title"),
                        rs.getString("priority")))
                .list();
    }

    private static TimelineEntry entry(
            UUID id,
            Timestamp at,
            String actor,
            String kind,
            Map<String, Object> detail,
            String title,
            String priority) {
        String what = switch (kind) {
            case "created" -> "CTA made: " + title;
            case "closed" -> "CTA closed (" + detail.get("outcome") + "): " + title;
            case "escalated" -> "CTA overdue, escalated: " + title;
            case "snoozed" -> "CTA snoozed until " + detail.get("until") + ": " + title;
            case "reassigned" -> "CTA reassigned to " + detail.get("to") + ": " + title;
            case "task_done" -> "CTA task done: " + detail.get("task");
            case "task_reopened" -> "CTA task reopened: " + detail.get("task");
            case "commented" -> "Comment on CTA: " + title;
            case "woke" -> "CTA woke from its snooze: " + title;
            case "reopened" -> "CTA reopened: " + title;
            case "priority" -> "CTA priority set to " + detail.get("priority") + ": " + title;
            default -> "CTA " + kind + ": " + title;
        };
        String summary = switch (kind) {
            case "created" -> "by " + actor + ", priority " + priority;
            case "commented" -> actor + ": " + detail.get("text");
            case "closed", "snoozed", "reassigned" ->
                "by " + actor + (detail.get("reason") == null ? "" : ": " + detail.get("reason"));
            default -> "by " + actor;
        };
        return new TimelineEntry(KIND, id, at.toInstant(), what, summary);
    }
}
