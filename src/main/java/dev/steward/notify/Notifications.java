package dev.steward.notify;

import dev.steward.core.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends notifications to people and events to integrators' webhooks. Both are written in the caller's transaction (a
 * transactional outbox): when it rolls back, nothing is sent; when it commits, delivery follows within seconds, is
 * retried with back-off while a server is down, and happens once however many instances run.
 */
@Service
public class Notifications {

    private static final int DELIVERY_JOB_SIZE = 500;

    private final Inbox inbox;
    private final Preferences preferences;
    private final Outbox outbox;
    private final Webhooks webhooks;
    private final WebhookEvents events;
    private final DeliveryRequests requests;
    private final Attachments attachments;
    private final JsonMapper json;
    private final MailSettings mail;
    private final Clock clock;

    Notifications(
            Inbox inbox,
            Preferences preferences,
            Outbox outbox,
            Webhooks webhooks,
            WebhookEvents events,
            DeliveryRequests requests,
            Attachments attachments,
            JsonMapper json,
            MailSettings mail,
            Clock clock) {
        this.inbox = inbox;
        this.preferences = preferences;
        this.outbox = outbox;
        this.webhooks = webhooks;
        this.events = events;
        this.requests = requests;
        this.attachments = attachments;
        this.json = json;
        this.mail = mail;
        this.clock = clock;
    }

    /**
     * Puts the notification in its recipient's in-app list and, by their email preference, queues an email now or for
     * their daily digest. Joins the caller's transaction (runs in one of its own without). A notification whose key
     * the recipient already had is ignored.
     */
    @Transactional
    public void send(Notification notification) {
        send(notification, preferences.emailMode(notification.recipient()));
    }

    /**
     * Puts the notification in its recipient's in-app list and emails it as {@code email} says, whatever their
     * preference: for messages the recipient asked for in a given way themselves (an alert rule's channels). Joins the
     * caller's transaction. A notification whose key the recipient already had is ignored.
     */
    @Transactional
    public void send(Notification notification, EmailMode email) {
        Instant now = clock.instant();
        UUID id = Ids.newId();
        if (!inbox.add(id, notification, now)) {
            return;
        }
        switch (email) {
            case immediate -> requests.deliverSoon(List.of(outbox.addEmail(id, notification.recipient(), now)));
            case daily -> outbox.addDigestItem(id, notification.recipient(), now);
            case off -> {
                // In-app only.
            }
        }
    }

    /**
     * Queues an email of its own, with its files, for one person, whatever their notification preference (it is not a
     * notification: nothing goes to their in-app list). It is delivered like any other email of the outbox: after
     * commit, retried with back-off while the SMTP server is down, once across instances; when the outbox gives up,
     * {@link EmailUndelivered} is published. Joins the caller's transaction (runs in one of its own without).
     *
     * @return the delivery's id, to follow it with {@link #emailStatuses}
     */
    @Transactional
    public UUID sendEmail(Email email) {
        UUID delivery = outbox.addEmail(email.recipient(), email.subject(), email.body(), clock.instant());
        attachments.add(delivery, email.attachments());
        requests.deliverSoon(List.of(delivery));
        return delivery;
    }

    /**
     * Queues emails to addresses outside Steward's users (customers' contacts), each once: an email whose key was
     * queued before, by this instance or another, is left out. Delivered like any other email of the outbox: after
     * commit, retried with back-off, once across instances. Joins the caller's transaction (runs in one of its own
     * without).
     *
     * @return the deliveries queued now, by the emails' keys, to follow them with {@link #emailStatuses}
     */
    @Transactional
    public Map<String, UUID> sendExternalEmails(List<ExternalEmail> emails) {
        Map<String, UUID> queued = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (ExternalEmail email : emails) {
            outbox.addExternalEmail(email, now).ifPresent(delivery -> queued.put(email.key(), delivery));
        }
        // One delivery job per few hundred emails: a survey to every account's contacts queues thousands.
        List<UUID> deliveries = new ArrayList<>(queued.values());
        for (int from = 0; from < deliveries.size(); from += DELIVERY_JOB_SIZE) {
            requests.deliverSoon(deliveries.subList(from, Math.min(deliveries.size(), from + DELIVERY_JOB_SIZE)));
        }
        return queued;
    }

    /** Who Steward's emails come from ({@code steward.mail.from}), as {@code address} or {@code Name <address>}. */
    public String sender() {
        return mail.from();
    }

    /** A path within Steward as a link for emails: with {@code steward.mail.base-url} when set, else the path. */
    public String linkTo(String path) {
        return mail.link(path);
    }

    /** How the emails queued with {@link #sendEmail} are doing, by delivery id; ids not known are left out. */
    @Transactional(readOnly = true)
    public Map<UUID, EmailStatus> emailStatuses(Collection<UUID> deliveries) {
        return outbox.emailStatuses(deliveries);
    }

    /**
     * Queues an event for every enabled webhook endpoint that wants its kind, posted as
     * {@code {"id","kind","occurredAt","text","data"}} with {@code data} the payload. {@code text} (a line for chat
     * tools such as Slack) is the payload's {@code "text"} when it has one, else names the kind. Joins the caller's
     * transaction (runs in one of its own without).
     *
     * @param kind dotted lower-case words, such as {@code cta.escalated}
     * @param payload anything JSON can hold
     */
    @Transactional
    public void broadcast(String kind, Map<String, Object> payload) {
        Notification.checkedKind(kind);
        List<WebhookEndpoint> endpoints = webhooks.subscribedTo(kind);
        if (endpoints.isEmpty()) {
            return;
        }
        Map<String, Object> data = payload == null ? Map.of() : new LinkedHashMap<>(payload);
        String text = data.get("text") instanceof String given && !given.isBlank() ? given : "Steward: " + kind;
        Instant now = clock.instant();
        WebhookEvent event = new WebhookEvent(Ids.newId(), kind, text, json.writeValueAsString(data), now);
        events.add(event);
        List<UUID> deliveries = new ArrayList<>();
        for (WebhookEndpoint endpoint : endpoints) {
            deliveries.add(outbox.addWebhook(event.id(), endpoint.id(), now));
        }
        requests.deliverSoon(deliveries);
    }
}
