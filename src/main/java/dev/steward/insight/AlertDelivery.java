package dev.steward.insight;

import dev.steward.notify.EmailMode;
import dev.steward.notify.Notification;
import dev.steward.notify.Notifications;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Delivers what a rule fired on its channels, through notify in the evaluating transaction: one in-app notification to
 * the rule's owner (emailed at once or in their daily digest when the rule says email, whatever their general
 * preference), and one webhook event of kind {@code alert.fired} (or {@code alert.<topic>}) whose {@code text} a Slack
 * incoming webhook shows. The accounts that crossed together (one re-score) are one message, not one each.
 */
@Component
class AlertDelivery {

    /** Kind of the in-app notification. */
    static final String KIND = "alert.fired";

    /** Accounts named in one message; the others are counted. */
    static final int NAMED = 25;

    private final Notifications notifications;

    AlertDelivery(Notifications notifications) {
        this.notifications = notifications;
    }

    /** One account in a message: its id, name and what it looks like now. */
    record Line(UUID account, String name, String detail) {}

    /** Accounts that crossed ({@code initial}: held already when the rule started), {@code total} of them. */
    void accounts(AlertRule rule, boolean initial, List<Line> lines, long total, UUID firing) {
        if (total == 0) {
            return;
        }
        String what = total == 1 ? lines.get(0).name() : total + " accounts";
        String subject = initial
                ? "Alert \"" + rule.name() + "\" already holds for " + what
                : "Alert \"" + rule.name() + "\": " + what;
        StringBuilder body = new StringBuilder();
        body.append(
                        initial
                                ? "When the rule started, its condition already held for "
                                : "The condition started to hold for ")
                .append(total == 1 ? "this account" : total + " accounts")
                .append(":\n\n    ")
                .append(rule.condition())
                .append("\n\n");
        for (Line line : lines.subList(0, Math.min(NAMED, lines.size()))) {
            body.append("- ")
                    .append(line.name())
                    .append(": ")
                    .append(line.detail())
                    .append('\n');
        }
        if (total > NAMED) {
            body.append("… and ").append(total - NAMED).append(" more (see the rule's history).\n");
        }
        body.append(
                initial
                        ? "\nFrom now on you hear of each account when it starts to match, once per crossing.\n"
                        : "\nYou hear of an account again only after it has stopped matching and matches once more.\n");
        String link = total == 1 ? "/accounts/" + lines.get(0).account() : "/insight/alerts/" + rule.id();
        List<Map<String, Object>> accounts = new ArrayList<>();
        for (Line line : lines.subList(0, Math.min(NAMED, lines.size()))) {
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("id", line.account().toString());
            account.put("name", line.name());
            account.put("detail", line.detail());
            accounts.add(account);
        }
        Map<String, Object> data = data(rule, initial, subject);
        data.put("condition", rule.condition());
        data.put("accountCount", total);
        data.put("accounts", accounts);
        send(rule, subject, body.toString(), link, firing, data);
    }

    /** A figure that crossed its threshold ({@code initial}: was past it already when the rule started). */
    void figure(AlertRule rule, boolean initial, BigDecimal value, @Nullable String ownerName, UUID firing) {
        AlertFigure figure = rule.figure();
        String subject = "Alert \"" + rule.name() + "\": " + figure.label() + narrowing(rule, ownerName) + " "
                + (initial ? "is " : "went ") + rule.operator().name() + " " + figure.format(rule.threshold()) + " ("
                + figure.format(value) + ")";
        String body = figure.label() + narrowing(rule, ownerName) + " is " + figure.format(value) + ", "
                + rule.operator().name() + " the threshold of " + figure.format(rule.threshold()) + "."
                + (initial
                        ? " It was already when the rule started."
                        : " You hear of it again only after it has come back and crossed once more.");
        Map<String, Object> data = data(rule, initial, subject);
        data.put("figure", figure.name());
        data.put("tier", rule.tier());
        data.put(
                "owner",
                rule.figureOwnerId() == null ? null : rule.figureOwnerId().toString());
        data.put("operator", rule.operator().name());
        data.put("threshold", rule.threshold());
        data.put("value", value);
        send(rule, subject, body, "/insight/executive" + tierQuery(rule.tier()), firing, data);
    }

    private static Map<String, Object> data(AlertRule rule, boolean initial, String subject) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text", "Steward: " + subject);
        data.put("ruleId", rule.id().toString());
        data.put("rule", rule.name());
        data.put("kind", rule.kind().name());
        data.put("initial", initial);
        return data;
    }

    private void send(AlertRule rule, String subject, String body, String link, UUID firing, Map<String, Object> data) {
        if (rule.channels().contains(AlertRule.Channel.in_app)
                || rule.channels().contains(AlertRule.Channel.email)) {
            EmailMode email = !rule.channels().contains(AlertRule.Channel.email)
                    ? EmailMode.off
                    : rule.delivery() == AlertRule.Delivery.digest ? EmailMode.daily : EmailMode.immediate;
            notifications.send(
                    new Notification(
                            rule.ownerId(),
                            KIND,
                            clip(subject, 200),
                            body,
                            link.length() > 500 ? "/insight/alerts/" + rule.id() : link,
                            "alert:" + firing),
                    email);
        }
        if (rule.channels().contains(AlertRule.Channel.webhook)) {
            notifications.broadcast(rule.webhookKind(), data);
        }
    }

    static String narrowing(AlertRule rule, @Nullable String ownerName) {
        List<String> parts = new ArrayList<>();
        if (rule.tier() != null) {
            parts.add("tier " + rule.tier());
        }
        if (rule.figureOwnerId() != null) {
            parts.add(ownerName == null ? "owner " + rule.figureOwnerId() : ownerName + "'s customers");
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String tierQuery(@Nullable String tier) {
        return tier == null ? "" : "?tier=" + java.net.URLEncoder.encode(tier, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String clip(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }
}
