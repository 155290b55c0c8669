package dev.steward.playbook;

import dev.steward.notify.Notification;
import dev.steward.notify.Notifications;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Tells people about their CTAs through the notify module's outbox, in the transaction that made or changed the CTA
 * (so a CTA and its notice are kept together or not at all): its owner when it is made for them or given to them, the
 * owner's manager when it is overdue; and integrators through outbound webhooks ({@code cta.created},
 * {@code cta.escalated}). Each notice has a key, so a CTA is announced once however often its cause is seen.
 */
@Component
class CtaNotices {

    private final Notifications notifications;

    CtaNotices(Notifications notifications) {
        this.notifications = notifications;
    }

    /** A CTA was made for its owner. */
    void created(UUID cta, UUID owner, String account, String title) {
        if (owner != null) {
            notifications.send(Notification.of(
                            owner,
                            "cta.assigned",
                            subject("New CTA: ", title),
                            "A CTA for " + account + " is yours: " + title + ".")
                    .withLink("/ctas/" + cta)
                    .withKey("cta-created:" + cta));
        }
        notifications.broadcast("cta.created", payload(cta, account, title, owner));
    }

    /** A CTA is overdue: its owner's manager hears of it ({@code manager} {@code null}: the owner has none). */
    void escalated(UUID cta, UUID manager, UUID owner, String account, String title) {
        if (manager != null) {
            notifications.send(Notification.of(
                            manager,
                            "cta.escalated",
                            subject("Overdue CTA escalated: ", title),
                            "The CTA \"" + title + "\" for " + account
                                    + " is past its due time and has been escalated to you as the owner's manager.")
                    .withLink("/ctas/" + cta)
                    .withKey("cta-escalated:" + cta));
        }
        if (owner != null) {
            notifications.send(Notification.of(
                            owner,
                            "cta.overdue",
                            subject("Your CTA is overdue: ", title),
                            "The CTA \"" + title + "\" for " + account + " is past its due time"
                                    + (manager == null ? "." : "; your manager has been told."))
                    .withLink("/ctas/" + cta)
                    .withKey("cta-overdue:" + cta));
        }
        notifications.broadcast("cta.escalated", payload(cta, account, title, owner));
    }

    /** A CTA came to another owner. */
    void reassigned(UUID cta, UUID owner, String account, String title, String by) {
        notifications.send(Notification.of(
                        owner,
                        "cta.assigned",
                        subject("CTA given to you: ", title),
                        by + " gave you the CTA \"" + title + "\" for " + account + ".")
                .withLink("/ctas/" + cta)
                .withKey("cta-reassigned:" + cta + ":" + owner));
    }

    /** A subject within the outbox's 200 characters: a long title is cut with an ellipsis. */
    static String subject(String prefix, String title) {
        String subject = prefix + title;
        return subject.length() <= 200 ? subject : subject.substring(0, 199) + "…";
    }

    private static Map<String, Object> payload(UUID cta, String account, String title, UUID owner) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("cta", cta.toString());
        payload.put("account", account);
        payload.put("title", title);
        payload.put("text", title + " (" + account + ")");
        if (owner != null) {
            payload.put("owner", owner.toString());
        }
        return payload;
    }
}
