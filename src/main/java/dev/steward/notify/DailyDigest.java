package dev.steward.notify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The daily digest: for each person who chose it, one email with every notification that waited for it. Taking the
 * waiting notifications and queuing their digest email happen in one transaction, so each goes into one digest,
 * once; the digest emails then go out like any other (retried while the SMTP server is down).
 */
@Component
class DailyDigest {

    /** Notifications taken in one transaction; a longer queue is taken in several. */
    static final int TAKEN_AT_ONCE = 50_000;
    /** Notifications listed in one email; the rest are counted, and all are in the in-app list. */
    static final int LISTED = 100;

    static final int BODY_SHOWN = 500;

    private static final Logger log = LoggerFactory.getLogger(DailyDigest.class);
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("d MMM, HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Outbox outbox;
    private final Inbox inbox;
    private final Deliveries deliveries;
    private final EmailChannel email;
    private final MailSettings mail;
    private final TransactionTemplate transactions;
    private final Clock clock;

    DailyDigest(
            Outbox outbox,
            Inbox inbox,
            Deliveries deliveries,
            EmailChannel email,
            MailSettings mail,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.outbox = outbox;
        this.inbox = inbox;
        this.deliveries = deliveries;
        this.email = email;
        this.mail = mail;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** Queues and sends the digests of everything waiting; how many digest emails there were. */
    int send() {
        int digests = 0;
        while (true) {
            List<UUID> queued = transactions.execute(status -> queue());
            if (queued == null || queued.isEmpty()) {
                break;
            }
            digests += queued.size();
            deliveries.deliver(queued);
        }
        if (digests > 0) {
            log.info("Queued {} daily digest email(s)", digests);
        }
        return digests;
    }

    private List<UUID> queue() {
        Map<UUID, List<Delivery>> byRecipient = new LinkedHashMap<>();
        for (Delivery item : outbox.takeDigestItems(TAKEN_AT_ONCE)) {
            byRecipient
                    .computeIfAbsent(item.recipientId(), recipient -> new ArrayList<>())
                    .add(item);
        }
        Instant now = clock.instant();
        List<UUID> digests = new ArrayList<>();
        byRecipient.forEach((recipient, items) -> {
            List<InAppNotification> notifications = items.stream()
                    .map(item -> inbox.find(item.notificationId()))
                    .flatMap(Optional::stream)
                    .toList();
            UUID digest = outbox.addDigestEmail(recipient, subject(notifications.size()), body(notifications), now);
            outbox.markDigested(items.stream().map(Delivery::id).toList(), digest, now);
            digests.add(digest);
        });
        return digests;
    }

    static String subject(int count) {
        return "Steward daily digest: " + count + (count == 1 ? " notification" : " notifications");
    }

    String body(List<InAppNotification> notifications) {
        StringBuilder body = new StringBuilder();
        body.append(notifications.size() == 1 ? "One notification" : notifications.size() + " notifications")
                .append(" since your last digest:\n");
        for (InAppNotification notification : notifications.subList(0, Math.min(LISTED, notifications.size()))) {
            body.append("\n* ")
                    .append(notification.subject())
                    .append(" (")
                    .append(WHEN.format(notification.createdAt()))
                    .append(")\n");
            String text = notification.body().strip();
            if (!text.isEmpty()) {
                String shown = text.length() <= BODY_SHOWN ? text : text.substring(0, BODY_SHOWN) + "…";
                body.append("  ").append(shown.replace("\n", "\n  ")).append('\n');
            }
            if (notification.link() != null) {
                body.append("  ").append(mail.link(notification.link())).append('\n');
            }
        }
        if (notifications.size() > LISTED) {
            body.append("\n… and ")
                    .append(notifications.size() - LISTED)
                    .append(" more in Steward: ")
                    .append(mail.link("/notifications"))
                    .append('\n');
        }
        return body.append(email.footer()).toString();
    }
}
